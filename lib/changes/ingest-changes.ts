// POST /api/v1/changes: store what the body describes, once. Changes are data like signals (no audit
// event each); they belong to the caller's organization and to nothing else.
import { z } from "zod";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { parseChanges } from "@/lib/changes/parse-changes";
import { ZName, type ChangeRecord } from "@/lib/changes/schemas";

/**
 * Defaults for changes that do not name their subject, for senders that cannot say it in the body (a
 * LaunchDarkly webhook URL ending `?service=checkout`).
 */
export const ZIngestQuery = z.object({ service: ZName.optional(), namespace: ZName.optional(), cluster: ZName.optional() }).strict();
export type IngestQuery = z.output<typeof ZIngestQuery>;

export type IngestResult =
  | { status: 200 | 201; body: { id: string | null; deduplicated: boolean; ignored?: string } }
  | { status: 200 | 201; body: { changes: { id: string | null; deduplicated: boolean; ignored?: string }[] } };

/** An agent's ingest token speaks for its own cluster only: the cluster of its changes is the one it enrolled as. */
async function agentClusterName(actor: Actor): Promise<string | null> {
  if (actor.type !== "token") return null;
  const cluster = await db.agentCluster.findFirst({ where: { orgId: actor.orgId, ingestTokenId: actor.id }, select: { name: true } });
  return cluster?.name ?? null;
}

export async function ingestChanges({ actor, body, query = {}, now = new Date() }: { actor: Actor; body: unknown; query?: IngestQuery; now?: Date }): Promise<IngestResult> {
  assertCan(actor, "signals.ingest");
  const { batch, items } = parseChanges(body, now);
  const cluster = await agentClusterName(actor);
  const records: ChangeRecord[] = items.flatMap((it) =>
    it.change
      ? [
          {
            ...it.change,
            service: it.change.service ?? query.service ?? null,
            namespace: it.change.namespace ?? query.namespace ?? null,
            cluster: cluster ?? it.change.cluster ?? query.cluster ?? null,
          },
        ]
      : [],
  );
  // One statement: the whole request is stored or nothing is; ON CONFLICT DO NOTHING makes a repeat
  // (or two racing deliveries) keep the first row.
  const created = records.length
    ? await db.change.createManyAndReturn({
        data: records.map((r) => ({ ...r, orgId: actor.orgId, labels: r.labels, raw: r.raw as object })),
        skipDuplicates: true,
        select: { id: true, dedupKey: true },
      })
    : [];
  const createdIds = new Map(created.map((c) => [c.dedupKey, c.id]));
  const missing = records.map((r) => r.dedupKey).filter((k) => !createdIds.has(k));
  const existing = missing.length
    ? new Map((await db.change.findMany({ where: { orgId: actor.orgId, dedupKey: { in: missing } }, select: { id: true, dedupKey: true } })).map((c) => [c.dedupKey, c.id]))
    : new Map<string, string>();

  // Two items of one batch with the same key: the first is the new row, the second a duplicate of it.
  const claimed = new Set<string>();
  const results = items.map((it) => {
    if (!it.change) return { id: null, deduplicated: false, ignored: it.ignored };
    const key = it.change.dedupKey;
    const fresh = createdIds.get(key);
    if (fresh && !claimed.has(key)) {
      claimed.add(key);
      return { id: fresh, deduplicated: false };
    }
    return { id: fresh ?? existing.get(key) ?? null, deduplicated: true };
  });
  const status = results.some((r) => r.id && !r.deduplicated) ? 201 : 200;
  return batch ? { status, body: { changes: results } } : { status, body: results[0]! };
}
