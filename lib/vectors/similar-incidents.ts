// "Have we seen this before?": the nearest past incidents of the same org, with which playbooks were
// run on them and how those runs ended.
import { z } from "zod";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { notFound } from "@/lib/errors";
import { embedObjects, embedder } from "@/lib/vectors/embed-objects";
import { vectorStore } from "@/lib/vectors/store";
import { fromBytes } from "@/lib/vectors/vector-index";

export const ZSimilarQuery = z.object({ k: z.coerce.number().int().min(1).max(50).default(5) }).strict();

/** The incident's vector under the current embedder; embedded now (as the job would) if the job has not run yet. */
async function incidentVector(id: string): Promise<Float32Array | null> {
  const e = await embedder();
  const read = () => db.embedding.findUnique({ where: { kind_objectId: { kind: "incident", objectId: id } }, select: { embedder: true, vector: true } });
  let row = await read();
  if (!row || row.embedder !== e.id) {
    await embedObjects("incident", [id], { embedder: e });
    row = await read();
  }
  return row && row.embedder === e.id ? fromBytes(row.vector) : null;
}

export async function similarIncidents({ actor, id, k = 5 }: { actor: Actor; id: string; k?: number }) {
  assertCan(actor, "incidents.read");
  const incident = await db.incident.findFirst({ where: { id, orgId: actor.orgId }, select: { id: true, openedAt: true } });
  if (!incident) throw notFound("incident");
  const [store, e, vector] = await Promise.all([vectorStore(), embedder(), incidentVector(id)]);
  if (!vector) return { backend: store.backend, embedder: e.id, items: [] };
  // Ask for more than k: some neighbours may be newer than this incident (not "past").
  const hits = await store.search(vector, { orgId: actor.orgId, kind: "incident", embedder: e.id, k: k * 3, exclude: [id] });
  const score = new Map(hits.map((h) => [h.objectId, h.score]));
  const rows = await db.incident.findMany({
    where: { id: { in: hits.map((h) => h.objectId) }, orgId: actor.orgId, openedAt: { lte: incident.openedAt } },
    select: {
      id: true,
      title: true,
      status: true,
      severity: true,
      service: true,
      openedAt: true,
      resolvedAt: true,
      runs: {
        select: { id: true, playbookName: true, status: true, finishedAt: true, outcomeNote: true, approvals: { where: { decision: "rejected" }, select: { comment: true } } },
        orderBy: { createdAt: "asc" },
      },
    },
  });
  const items = rows
    .map((r) => ({
      incident: { ...r, runs: undefined },
      similarity: Math.round(score.get(r.id)! * 1000) / 1000,
      // A run's note: how it went (outcome note), else why it was refused (a rejection's comment).
      runs: r.runs.map(({ approvals, outcomeNote, ...run }) => ({ ...run, note: outcomeNote ?? (approvals.map((a) => a.comment).filter(Boolean).join("; ") || null) })),
    }))
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, k);
  return { backend: store.backend, embedder: e.id, items };
}
