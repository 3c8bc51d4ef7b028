// One escalation step (job oncall.escalate {pageId, seq}): notify the step's targets, then schedule the
// next step as a delayed job. The job acts only while the page is active at exactly this seq and the
// incident is still open, so a step that fires after an acknowledgement, a resolution or a duplicate
// delivery does nothing. The step's notifications and the page's new seq commit together; a crash after
// that commit is repaired by the retry (it finds seq + 1 and enqueues again, with the same job ids).
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import { systemActor } from "@/lib/context";
import { timeline } from "@/lib/incidents/ingest-signals";
import { dueAt, stepOf, totalSeqs, type Plan } from "@/lib/oncall/plan";
import { resolveTargets } from "@/lib/oncall/targets";
import { enqueueDeliveries, scheduleEscalation } from "@/lib/oncall/escalation-jobs";
import { stopEscalation } from "@/lib/oncall/stop-escalation";

type Outcome = { done: string; deliveries: string[]; next: { seq: number; at: Date } | null };

export async function escalate({ pageId, seq }: { pageId: string; seq: number }, now = new Date()) {
  const outcome = await db.$transaction(async (tx): Promise<Outcome> => {
    await tx.$executeRaw`SELECT 1 FROM "IncidentPage" WHERE id = ${pageId}::uuid FOR UPDATE`;
    const page = await tx.incidentPage.findUnique({ where: { id: pageId }, include: { incident: { select: { status: true } } } });
    const nothing = (done: string): Outcome => ({ done, deliveries: [], next: null });
    if (!page) return nothing("no such page");
    if (page.status !== "active") return nothing(`page ${page.status}`);
    if (page.incident.status !== "open") {
      // The acknowledgement's own job has not run yet (or was lost): stop here all the same.
      await stopEscalation(tx, page, page.incident.status === "resolved" ? "resolved" : "acknowledged");
      return nothing(`incident ${page.incident.status}`);
    }
    const plan = page.plan as unknown as Plan;
    if (page.seq === seq + 1) {
      // This step committed before its job could enqueue what followed: enqueue it again.
      const { index, cycle } = stepOf(plan, seq);
      const queued = await tx.notificationAttempt.findMany({ where: { pageId, step: index, cycle, status: "queued" }, select: { id: true } });
      return { done: "re-enqueued", deliveries: queued.map((q) => q.id), next: page.nextAt ? { seq: page.seq, at: page.nextAt } : null };
    }
    if (page.seq !== seq) return nothing(`stale: page is at ${page.seq}`);

    const { index, cycle, step } = stepOf(plan, seq);
    const { recipients, problems } = await resolveTargets(tx, page.orgId, step.targets, now);
    const event = seq === 0 ? "incident.triggered" : "incident.escalated";
    const rows = recipients.map((r) => ({
      id: randomUUID(),
      orgId: page.orgId,
      incidentId: page.incidentId,
      pageId,
      channelId: r.channelId,
      channelName: r.channelName,
      channelType: r.channelType,
      recipient: r.recipient,
      address: r.address,
      event,
      step: index,
      cycle,
      dedupKey: `page-${pageId}-${seq}-${r.channelId}-${r.recipient}`,
    }));
    await tx.notificationAttempt.createMany({ data: rows, skipDuplicates: true });
    const nextSeq = seq + 1;
    const nextAt = nextSeq < totalSeqs(plan) ? dueAt(plan, page.startedAt, nextSeq) : null;
    await tx.incidentPage.update({ where: { id: pageId }, data: { seq: nextSeq, nextAt } });
    await timeline(tx, page.orgId, page.incidentId, seq === 0 ? "notified" : "escalated", systemActor("oncall", page.orgId), {
      message: `step ${index + 1} of ${plan.steps.length}${cycle ? ` (repeat ${cycle})` : ""}: ${recipients.length ? recipients.map((r) => r.label).join(", ") : "nobody reachable"}`,
      step: index,
      cycle,
      ...(problems.length ? { problems } : {}),
      ...(nextAt ? { nextAt: nextAt.toISOString() } : {}),
    });
    return { done: "notified", deliveries: rows.map((r) => r.id), next: nextAt ? { seq: nextSeq, at: nextAt } : null };
  });
  await enqueueDeliveries(outcome.deliveries);
  if (outcome.next) await scheduleEscalation(pageId, outcome.next.seq, outcome.next.at);
  return { done: outcome.done, deliveries: outcome.deliveries.length, next: outcome.next };
}
