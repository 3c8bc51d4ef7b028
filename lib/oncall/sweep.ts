// Every minute (job oncall.sweep): what a lost enqueue or a crash at the wrong moment would leave
// undone. Each repair goes through the same idempotent job as the normal path.
import { db } from "@/lib/db";
import { enqueueMany } from "@/lib/jobs/queue";
import { openedJobId } from "@/lib/oncall/hooks";
import { deliverJobId, escalateJobId } from "@/lib/oncall/escalation-jobs";

const BATCH = 200;

/** Every organization, or one (`orgId`, for tests sharing a database). */
export async function sweepOncall({ now = new Date(), orgId }: { now?: Date; orgId?: string } = {}) {
  const ago = (ms: number) => new Date(now.getTime() - ms);
  const org = orgId ? { orgId } : {};
  // 1. Incidents opened in the last hour (at least a minute ago) that never got a page.
  const unpaged = await db.incident.findMany({
    where: { ...org, status: "open", page: null, events: { some: { type: "opened", at: { gte: ago(3600_000), lte: ago(60_000) } } } },
    select: { id: true },
    take: BATCH,
  });
  // 2. Steps overdue by a minute: their delayed job was lost.
  const overdue = await db.incidentPage.findMany({ where: { ...org, status: "active", nextAt: { lte: ago(60_000) } }, select: { id: true, seq: true }, take: BATCH });
  // 3. Pages still escalating for an incident that is no longer open.
  const stale = await db.incidentPage.findMany({ where: { ...org, status: { in: ["active", "acknowledged"] }, incident: { status: { not: "open" } } }, select: { incidentId: true, status: true, incident: { select: { status: true } } }, take: BATCH });
  // 4. Silenced or inhibited incidents still open: paging starts once nothing mutes them any more.
  const muted = await db.incidentPage.findMany({ where: { ...org, status: { in: ["silenced", "inhibited"] }, incident: { status: "open" } }, orderBy: { updatedAt: "asc" }, select: { incidentId: true }, take: BATCH });
  // 5. Notifications queued ten minutes ago whose job is gone (BullMQ ignores an id it still holds).
  const lost = await db.notificationAttempt.findMany({ where: { ...org, status: "queued", updatedAt: { lte: ago(600_000) } }, select: { id: true }, take: BATCH });

  await enqueueMany([...unpaged, ...muted.map((m) => ({ id: m.incidentId }))].map(({ id }) => ({ name: "oncall.incident_opened" as const, payload: { incidentId: id }, opts: { jobId: `${openedJobId(id)}-${now.getTime()}` } })));
  // A fresh id: the lost job may sit in the failed set under its own id. Running a step twice is safe (seq check).
  await enqueueMany(overdue.map((p) => ({ name: "oncall.escalate" as const, payload: { pageId: p.id, seq: p.seq }, opts: { jobId: `${escalateJobId(p.id, p.seq)}-${now.getTime()}` } })));
  await enqueueMany(
    stale
      .filter((p) => p.incident.status === "resolved" || p.status === "active")
      .map((p) => {
        const status = p.incident.status === "resolved" ? ("resolved" as const) : ("acknowledged" as const);
        return { name: "oncall.incident_status" as const, payload: { incidentId: p.incidentId, status }, opts: { jobId: `oncall-${status}-${p.incidentId}-${now.getTime()}` } };
      }),
  );
  await enqueueMany(lost.map((l) => ({ name: "oncall.deliver" as const, payload: { attemptId: l.id }, opts: { jobId: deliverJobId(l.id) } })));
  return { unpaged: unpaged.length, overdue: overdue.length, stale: stale.length, muted: muted.length, lost: lost.length };
}
