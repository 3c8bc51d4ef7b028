// Incidents and runs become vectors: their text (what an on-call engineer would read) is redacted with
// the org's key first — nothing is embedded before redaction — then embedded and stored. Unchanged text
// under the same embedder is not embedded again; a different embedder means a re-embed.
import { createHash } from "node:crypto";
import { db } from "@/lib/db";
import { enqueueMany } from "@/lib/jobs/queue";
import { orgRedactor } from "@/lib/orgs/redaction-key";
import { embedderFromEnv } from "@/lib/vectors/openai-embedder";
import type { Embedder } from "@/lib/vectors/types";
import { vectorStore } from "@/lib/vectors/store";

export type EmbedKind = "incident" | "run";

let cached: Promise<Embedder> | undefined;
/** The configured embedder, ready: an OpenAI-compatible one learns its dimension (part of its id) first. */
export const embedder = (): Promise<Embedder> =>
  (cached ??= (async () => {
    const e = embedderFromEnv();
    await e.ready?.();
    return e;
  })().catch((err: unknown) => {
    cached = undefined;
    throw err;
  }));

const labelText = (labels: unknown) =>
  Object.entries((labels ?? {}) as Record<string, unknown>)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(" ");

export async function incidentText(id: string): Promise<{ orgId: string; text: string } | null> {
  const i = await db.incident.findUnique({ where: { id }, include: { signals: { take: 50, orderBy: { startsAt: "asc" } } } });
  if (!i) return null;
  const signals = i.signals.map((s) => {
    const ann = s.annotations as Record<string, string>;
    return [s.title, ann.summary, ann.description, labelText(s.labels)].filter(Boolean).join(" — ");
  });
  return { orgId: i.orgId, text: [i.title, i.service ? `service ${i.service}` : "", `severity ${i.severity}`, labelText(i.labels), ...new Set(signals)].filter(Boolean).join("\n") };
}

export async function runText(id: string): Promise<{ orgId: string; text: string } | null> {
  const r = await db.run.findUnique({ where: { id }, include: { steps: { orderBy: { idx: "asc" } } } });
  if (!r) return null;
  const steps = r.steps.map((s) => `${s.stepId} ${s.action} ${s.status}${s.error ? `: ${s.error}` : ""}`);
  return { orgId: r.orgId, text: [`playbook ${r.playbookName}`, `status ${r.status}`, labelText(r.params), r.reason ?? "", r.error ?? "", ...steps].filter(Boolean).join("\n") };
}

const textOf = (kind: EmbedKind, id: string) => (kind === "incident" ? incidentText(id) : runText(id));

export async function embedObjects(kind: EmbedKind, ids: readonly string[], opts: { embedder?: Embedder } = {}) {
  const e = opts.embedder ?? (await embedder());
  const store = await vectorStore();
  let embedded = 0;
  let unchanged = 0;
  for (const id of ids) {
    const src = await textOf(kind, id);
    if (!src) continue;
    const text = (await orgRedactor(src.orgId)).text(src.text);
    const textHash = createHash("sha256").update(text).digest("hex");
    const existing = await db.embedding.findUnique({ where: { kind_objectId: { kind, objectId: id } }, select: { textHash: true, embedder: true } });
    if (existing?.textHash === textHash && existing.embedder === e.id) {
      unchanged++;
      continue;
    }
    const [vector] = await e.embed([text]);
    await store.upsert({ orgId: src.orgId, kind, objectId: id, embedder: e.id, vector: vector!, textHash });
    embedded++;
  }
  return { embedded, unchanged };
}

/** Queue embedding after a change; a job already waiting for the same object absorbs the repeat. */
export async function requestEmbedding(kind: EmbedKind, ids: readonly string[]) {
  if (!ids.length) return;
  await enqueueMany(ids.map((id) => ({ name: "vectors.embed" as const, payload: { kind, id }, opts: { deduplication: { id: `embed-${kind}-${id}` } } })));
}

// Ingestion touches the same incidents delivery after delivery during a storm: their embedding requests
// are gathered for a moment and sent as one enqueue, off the request path.
const EMBED_COALESCE_MS = 250;
const pendingEmbeds = new Map<EmbedKind, Set<string>>();
let flushTimer: NodeJS.Timeout | undefined;

/**
 * requestEmbedding, batched: returns at once; the ids are enqueued within EMBED_COALESCE_MS. A failed
 * enqueue is logged and left to the hourly vectors.reembed job (the objects themselves are committed).
 */
export function requestEmbeddingSoon(kind: EmbedKind, ids: readonly string[]): void {
  if (!ids.length) return;
  let set = pendingEmbeds.get(kind);
  if (!set) pendingEmbeds.set(kind, (set = new Set()));
  for (const id of ids) set.add(id);
  flushTimer ??= setTimeout(flushEmbeds, EMBED_COALESCE_MS);
  flushTimer.unref?.();
}

function flushEmbeds() {
  flushTimer = undefined;
  for (const [kind, set] of pendingEmbeds) {
    pendingEmbeds.delete(kind);
    requestEmbedding(kind, [...set]).catch((err: Error) =>
      console.error(JSON.stringify({ level: "warn", msg: "could not queue embeddings (vectors.reembed will catch up)", kind, count: set.size, error: err.message })),
    );
  }
}

/** Everything without a vector from the current embedder (new installs, embedder changes). */
export async function reembedStale(limit = 5000) {
  const e = await embedder();
  const [incidents, runs] = await Promise.all([
    db.$queryRaw<{ id: string }[]>`SELECT i.id FROM "Incident" i LEFT JOIN "Embedding" e ON e.kind = 'incident' AND e."objectId" = i.id WHERE e.id IS NULL OR e.embedder <> ${e.id} LIMIT ${limit}`,
    db.$queryRaw<{ id: string }[]>`SELECT r.id FROM "Run" r LEFT JOIN "Embedding" e ON e.kind = 'run' AND e."objectId" = r.id WHERE e.id IS NULL OR e.embedder <> ${e.id} LIMIT ${limit}`,
  ]);
  await requestEmbedding("incident", incidents.map((r) => r.id));
  await requestEmbedding("run", runs.map((r) => r.id));
  return { incidents: incidents.length, runs: runs.length };
}
