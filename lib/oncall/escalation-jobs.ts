// Enqueueing on-call jobs with deterministic ids, so a retried or duplicated producer adds each job once.
import { enqueue, enqueueMany, queue } from "@/lib/jobs/queue";
import { JOBS } from "@/lib/jobs/definitions";

export const escalateJobId = (pageId: string, seq: number) => `oncall-esc-${pageId}-${seq}`;
export const deliverJobId = (attemptId: string) => `oncall-notify-${attemptId}`;

/** The delayed job for notification `seq` of a page, due at `at` (BullMQ keeps it in Redis). */
export async function scheduleEscalation(pageId: string, seq: number, at: Date) {
  await enqueue("oncall.escalate", { pageId, seq }, { jobId: escalateJobId(pageId, seq), delay: Math.max(0, at.getTime() - Date.now()) });
}

/** Removes a pending escalation (ack/resolve). A job already running is left alone: it checks the page itself. */
export async function cancelEscalation(pageId: string, seq: number) {
  await queue(JOBS["oncall.escalate"].queue)
    .remove(escalateJobId(pageId, seq))
    .catch(() => 0);
}

export async function enqueueDeliveries(attemptIds: readonly string[]) {
  await enqueueMany(attemptIds.map((attemptId) => ({ name: "oncall.deliver" as const, payload: { attemptId }, opts: { jobId: deliverJobId(attemptId) } })));
}
