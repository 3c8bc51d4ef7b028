// The orchestrator's backstop, run every minute: expire runs whose approval window closed, and make
// sure every approved or executing run has a live execution job (an enqueue lost after the approval
// committed, or a job that exhausted its stall retries, is picked up again; execution itself is
// crash-safe, so re-enqueueing never repeats a side effect).
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { systemActor } from "@/lib/context";
import { queue } from "@/lib/jobs/queue";
import { JOBS } from "@/lib/jobs/definitions";
import { lockRun, moveRun } from "@/lib/orchestrator/transition";
import { enqueueExecution, executeJobId } from "@/lib/orchestrator/approve-run";

// A dry-run plans (at most a PromQL query per verify step); one still unfinished after this gave up.
const DRY_RUN_GIVE_UP_MS = 10 * 60_000;

export async function expireRuns(now = new Date()): Promise<number> {
  const due = await db.run.findMany({ where: { status: "awaiting_approval", approvalExpiresAt: { lte: now } }, select: { id: true, orgId: true } });
  let expired = 0;
  for (const { id, orgId } of due) {
    expired += await db.$transaction(async (tx) => {
      const run = await lockRun(tx, id);
      if (run.status !== "awaiting_approval" || !run.approvalExpiresAt || run.approvalExpiresAt > now) return 0;
      await moveRun(tx, run, "expired", { actor: systemActor("orchestrator", orgId), action: "run.expired", data: { approvalExpiresAt: run.approvalExpiresAt } });
      return 1;
    });
  }
  return expired;
}

export async function resumeStuckRuns(now = new Date()): Promise<number> {
  const candidates = await db.run.findMany({
    where: { status: { in: ["approved", "executing"] }, updatedAt: { lte: new Date(now.getTime() - env().RUN_RESUME_AFTER_MS) } },
    select: { id: true },
  });
  let resumed = 0;
  const q = queue(JOBS["run.execute"].queue);
  for (const { id } of candidates) {
    const job = await q.getJob(executeJobId(id));
    const state = job ? await job.getState() : "missing";
    if (state === "missing" || state === "unknown") {
      await enqueueExecution(id);
      resumed++;
    } else if (state === "failed" || state === "completed") {
      // The job gave up (or ended without finishing the run): start a fresh attempt under the same id.
      await job!.remove();
      await enqueueExecution(id);
      resumed++;
    }
  }
  return resumed;
}

/** Dry-runs whose job exhausted its attempts would sit in dry_run forever; fail them visibly instead. */
export async function failAbandonedDryRuns(now = new Date()): Promise<number> {
  const stale = await db.run.findMany({ where: { status: "dry_run", updatedAt: { lte: new Date(now.getTime() - DRY_RUN_GIVE_UP_MS) } }, select: { id: true, orgId: true } });
  let failed = 0;
  for (const { id, orgId } of stale) {
    failed += await db.$transaction(async (tx) => {
      const run = await lockRun(tx, id);
      if (run.status !== "dry_run" || run.updatedAt.getTime() > now.getTime() - DRY_RUN_GIVE_UP_MS) return 0;
      await moveRun(tx, run, "failed", { actor: systemActor("orchestrator", orgId), action: "run.dry_run_failed", data: { reason: "dry-run did not complete" }, set: { error: "the dry-run did not complete (see the worker logs); request the run again" } });
      return 1;
    });
  }
  return failed;
}

export async function sweepRuns() {
  return { expired: await expireRuns(), resumed: await resumeStuckRuns(), abandonedDryRuns: await failAbandonedDryRuns() };
}
