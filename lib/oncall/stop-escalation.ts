// An incident was acknowledged or resolved (job oncall.incident_status): its escalation stops, the
// pending step's delayed job is removed, and webhook and PagerDuty channels that were told about the
// incident are told this too (PagerDuty acknowledges or resolves its incident, dedup_key neuralops-<id>).
import { randomUUID } from "node:crypto";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";
import { systemActor } from "@/lib/context";
import { timeline } from "@/lib/incidents/ingest-signals";
import { cancelEscalation, enqueueDeliveries } from "@/lib/oncall/escalation-jobs";

type Page = { id: string; orgId: string; incidentId: string; status: string; seq: number };

/** Inside the caller's transaction, with the page row locked: the page stops paging. */
export async function stopEscalation(tx: Prisma.TransactionClient, page: Page, status: "acknowledged" | "resolved") {
  await tx.incidentPage.update({ where: { id: page.id }, data: { status, nextAt: null } });
  if (page.status === "active") {
    await timeline(tx, page.orgId, page.incidentId, "escalation_stopped", systemActor("oncall", page.orgId), { message: `escalation stopped: incident ${status}`, reason: status });
  }
}

// Machine receivers keep state about the incident; people were told by the notification that paged them.
const FOLLOWERS = ["webhook", "pagerduty"] as const;

export async function onIncidentStatus({ incidentId, status }: { incidentId: string; status: "acknowledged" | "resolved" }) {
  const out = await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT 1 FROM "IncidentPage" WHERE "incidentId" = ${incidentId}::uuid FOR UPDATE`;
    const page = await tx.incidentPage.findUnique({ where: { incidentId } });
    let pending: { pageId: string; seq: number } | null = null;
    if (page && (page.status === "active" || (page.status === "acknowledged" && status === "resolved"))) {
      if (page.status === "active") pending = { pageId: page.id, seq: page.seq };
      await stopEscalation(tx, page, status);
    }
    const told = await tx.notificationAttempt.findMany({
      where: { incidentId, status: "sent", event: { in: ["incident.triggered", "incident.escalated"] }, channelType: { in: [...FOLLOWERS] }, channelId: { not: null } },
      distinct: ["channelId"],
      select: { orgId: true, channelId: true, channelName: true, channelType: true, pageId: true },
    });
    const dedupKeys = told.map((t) => `status-${incidentId}-${status}-${t.channelId}`);
    await tx.notificationAttempt.createMany({
      data: told.map((t, i) => ({ id: randomUUID(), orgId: t.orgId, incidentId, pageId: t.pageId, channelId: t.channelId, channelName: t.channelName, channelType: t.channelType, recipient: "channel", event: `incident.${status}`, dedupKey: dedupKeys[i]! })),
      skipDuplicates: true,
    });
    // A retried job finds the rows its first try made.
    const queued = dedupKeys.length ? await tx.notificationAttempt.findMany({ where: { incidentId, dedupKey: { in: dedupKeys }, status: "queued" }, select: { id: true } }) : [];
    return { pending, deliveries: queued.map((q) => q.id) };
  });
  if (out.pending) await cancelEscalation(out.pending.pageId, out.pending.seq);
  await enqueueDeliveries(out.deliveries);
  return { stopped: out.pending !== null, notices: out.deliveries.length };
}
