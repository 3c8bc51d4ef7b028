// Human lifecycle changes: acknowledge and resolve. Illegal transitions are conflicts (409).
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

/**
 * Acknowledges inside the caller's transaction (a one-time link is burnt in the same one, so the two
 * commit together); the caller tells on-call with incidentsChanged after the commit.
 */
export async function acknowledgeWithin(tx: Prisma.TransactionClient, { actor, id, note }: { actor: Actor; id: string; note?: string }) {
  assertCan(actor, "incidents.ack");
  const inc = await lockIncident(tx, actor.orgId, id);
  if (inc.status !== "open") throw new AppError("conflict", `incident is ${inc.status}${inc.acknowledgedBy ? ` (by ${inc.acknowledgedBy})` : ""}; only open incidents can be acknowledged`);
  const by = actor.label ?? actor.id;
  const updated = await tx.incident.update({ where: { id }, data: { status: "acknowledged", acknowledgedAt: new Date(), acknowledgedBy: by } });
  await timeline(tx, actor.orgId, id, "acknowledged", actor, note ? { note } : {});
  await appendAudit(tx, { actor, action: "incident.acknowledged", target: { type: "incident", id }, data: { from: inc.status, note } });
  return updated;
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
  const updated = await db.$transaction(async (tx) => {
    const inc = await lockIncident(tx, actor.orgId, id);
    if (inc.status === "resolved") throw new AppError("conflict", "incident is already resolved");
    const by = actor.label ?? actor.id;
    const updated = await tx.incident.update({ where: { id }, data: { status: "resolved", resolvedAt: new Date(), resolvedBy: by } });
    await timeline(tx, actor.orgId, id, "resolved", actor, note ? { note } : {});
    await appendAudit(tx, { actor, action: "incident.resolved", target: { type: "incident", id }, data: { from: inc.status, note } });
    return updated;
  });
  await incidentsChanged([id], "resolved");
  return updated;
}
