// Human lifecycle changes: acknowledge and resolve, one incident or many. Illegal transitions are
// conflicts (409); in a bulk change they are that incident's outcome and the others go ahead.
import { z } from "zod";
import { db, type Tx } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { AppError, notFound } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/append-audit";
import { timeline } from "@/lib/incidents/ingest-signals";
import { lockIncidentGroups } from "@/lib/incidents/group-lock";
import { incidentsChanged } from "@/lib/oncall/hooks";

/** Body of acknowledge and resolve: an optional note for the timeline. */
export const ZIncidentNoteInput = z.object({ note: z.string().max(2000).optional() }).strict();

type Incident = Awaited<ReturnType<Tx["incident"]["findUniqueOrThrow"]>>;
type Action = "acknowledge" | "resolve";

/** The person acting, who becomes the owner of what they acknowledge; a service token is nobody. */
const personOf = (actor: Actor) => (actor.type === "user" ? actor.id : (actor.userId ?? null));

/**
 * The incident as it is once nothing else can change it: its group locked (deliveries and
 * auto-resolve wait) and its row locked (another person's ack or resolve waits), then read fresh.
 */
async function lockIncident(tx: Tx, orgId: string, id: string) {
  const found = await tx.incident.findFirst({ where: { id, orgId }, select: { groupKey: true } });
  if (!found) throw notFound("incident");
  await lockIncidentGroups(tx, orgId, [found.groupKey]);
  await tx.$executeRaw`SELECT 1 FROM "Incident" WHERE id = ${id}::uuid FOR UPDATE`;
  return tx.incident.findUniqueOrThrow({ where: { id } });
}

/** One transition of a locked incident, with its timeline entry and audit event in the caller's transaction. */
async function transition(tx: Prisma.TransactionClient, actor: Actor, inc: Incident, action: Action, note?: string, extra: Record<string, unknown> = {}) {
  const by = actor.label ?? actor.id;
  if (action === "acknowledge") {
    if (inc.status !== "open") throw new AppError("conflict", `incident is ${inc.status}${inc.acknowledgedBy ? ` (by ${inc.acknowledgedBy})` : ""}; only open incidents can be acknowledged`);
    // The first person to acknowledge takes it; an owner already set stays.
    const owner = inc.ownerId ?? personOf(actor);
    const updated = await tx.incident.update({ where: { id: inc.id }, data: { status: "acknowledged", acknowledgedAt: new Date(), acknowledgedBy: by, ownerId: owner } });
    await timeline(tx, actor.orgId, inc.id, "acknowledged", actor, note ? { note } : {});
    await appendAudit(tx, { actor, action: "incident.acknowledged", target: { type: "incident", id: inc.id }, data: { from: inc.status, note, ...extra } });
    return updated;
  }
  if (inc.status === "resolved") throw new AppError("conflict", "incident is already resolved");
  const updated = await tx.incident.update({ where: { id: inc.id }, data: { status: "resolved", resolvedAt: new Date(), resolvedBy: by } });
  await timeline(tx, actor.orgId, inc.id, "resolved", actor, note ? { note } : {});
  await appendAudit(tx, { actor, action: "incident.resolved", target: { type: "incident", id: inc.id }, data: { from: inc.status, note, ...extra } });
  return updated;
}

/**
 * Acknowledges inside the caller's transaction (a one-time link is burnt in the same one, so the two
 * commit together); the caller tells on-call with incidentsChanged after the commit.
 */
export async function acknowledgeWithin(tx: Prisma.TransactionClient, { actor, id, note }: { actor: Actor; id: string; note?: string }) {
  assertCan(actor, "incidents.ack");
  const inc = await lockIncident(tx, actor.orgId, id);
  return transition(tx, actor, inc, "acknowledge", note);
}

export async function acknowledgeIncident({ actor, id, note }: { actor: Actor; id: string; note?: string }) {
  assertCan(actor, "incidents.ack");
  const updated = await db.$transaction((tx) => acknowledgeWithin(tx, { actor, id, note }));
  // Escalation stops (the pending step also checks the incident when it fires).
  await incidentsChanged([id], "acknowledged");
  return updated;
}

export async function resolveIncident({ actor, id, note }: { actor: Actor; id: string; note?: string }) {
  assertCan(actor, "incidents.resolve");
  const updated = await db.$transaction(async (tx) => transition(tx, actor, await lockIncident(tx, actor.orgId, id), "resolve", note));
  await incidentsChanged([id], "resolved");
  return updated;
}

export const BULK_MAX_IDS = 200;
export const ZBulkIncidentAction = z
  .object({
    ids: z.array(z.string().uuid()).min(1).max(BULK_MAX_IDS),
    action: z.enum(["acknowledge", "resolve"]),
    note: z.string().max(2000).optional(),
  })
  .strict();
export type BulkIncidentAction = z.infer<typeof ZBulkIncidentAction>;

export type BulkOutcome =
  | { id: string; outcome: "acknowledged" | "resolved"; status: string }
  | { id: string; outcome: "conflict"; status: string; message: string }
  | { id: string; outcome: "not_found"; message: string };

/**
 * Acknowledges or resolves many incidents in one transaction. Every group and row is locked up front in
 * sorted order (a delivery or another bulk change locks the same way, so none waits crosswise), then
 * each incident gets its own outcome: changed (with its own audit event in this transaction), conflict
 * (already in that state, or resolved) or not found (another organization's id counts as not found).
 */
export async function bulkChangeIncidents({ actor, input }: { actor: Actor; input: BulkIncidentAction }): Promise<{ action: BulkIncidentAction["action"]; results: BulkOutcome[]; changed: number }> {
  // Who may act at all is checked before the input is read (README: 401, then 403, then 400).
  assertCan(actor, "incidents.ack");
  const { ids, action, note } = ZBulkIncidentAction.parse(input);
  assertCan(actor, action === "acknowledge" ? "incidents.ack" : "incidents.resolve");
  const unique = [...new Set(ids)];
  const results = await db.$transaction(
    async (tx) => {
      const found = await tx.incident.findMany({ where: { id: { in: unique }, orgId: actor.orgId }, select: { id: true, groupKey: true } });
      await lockIncidentGroups(tx, actor.orgId, found.map((f) => f.groupKey));
      const sorted = found.map((f) => f.id).sort();
      if (sorted.length) await tx.$executeRaw`SELECT 1 FROM "Incident" WHERE id = ANY(${sorted}::uuid[]) ORDER BY id FOR UPDATE`;
      const fresh = new Map((await tx.incident.findMany({ where: { id: { in: sorted } } })).map((i) => [i.id, i]));
      const out: BulkOutcome[] = [];
      for (const id of unique) {
        const inc = fresh.get(id);
        if (!inc) {
          out.push({ id, outcome: "not_found", message: "incident not found" });
          continue;
        }
        try {
          const updated = await transition(tx, actor, inc, action, note, { bulk: true });
          out.push({ id, outcome: action === "acknowledge" ? "acknowledged" : "resolved", status: updated.status });
        } catch (err) {
          if (!(err instanceof AppError) || err.code !== "conflict") throw err;
          out.push({ id, outcome: "conflict", status: inc.status, message: err.message });
        }
      }
      return out;
    },
    { timeout: 30_000, maxWait: 10_000 },
  );
  const changedIds = results.filter((r) => r.outcome === "acknowledged" || r.outcome === "resolved").map((r) => r.id);
  if (changedIds.length) await incidentsChanged(changedIds, action === "acknowledge" ? "acknowledged" : "resolved");
  return { action, results, changed: changedIds.length };
}
