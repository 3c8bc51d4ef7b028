// One way to move a run: lock its row, check the transition against the table, update, append to the
// audit chain, all in the caller's transaction. Illegal transitions are conflicts (409).
import type { Prisma, Run } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/context";
import { AppError, notFound } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/append-audit";
import { canTransition, type RunStatus } from "@/lib/orchestrator/policy";
import { timeline } from "@/lib/incidents/ingest-signals";

/** SELECT … FOR UPDATE: concurrent approvals, cancels and workers queue up behind each other here. */
export async function lockRun(tx: Prisma.TransactionClient, id: string, orgId?: string): Promise<Run> {
  // One round trip: the columns are the model's fields (no @map), and the driver returns uuid and
  // enum columns as strings, timestamps as Dates and jsonb parsed, as Prisma would.
  const [run] = await tx.$queryRaw<Run[]>`SELECT * FROM "Run" WHERE id = ${id}::uuid FOR UPDATE`;
  if (!run || (orgId && run.orgId !== orgId)) throw notFound("run");
  return run;
}

export function assertTransition(run: Pick<Run, "status">, to: RunStatus, what: string) {
  if (!canTransition(run.status, to)) throw new AppError("conflict", `cannot ${what}: run is ${run.status.replaceAll("_", " ")}`);
}

// Incident timelines show the run's milestones, not every step.
const TIMELINE_EVENTS: Partial<Record<RunStatus, string>> = {
  approved: "run_approved",
  rejected: "run_rejected",
  succeeded: "run_succeeded",
  failed: "run_failed",
  cancelled: "run_cancelled",
  expired: "run_expired",
};

export async function moveRun(
  tx: Prisma.TransactionClient,
  run: Run,
  to: RunStatus,
  { actor, action, data = {}, set = {} }: { actor: Actor; action: string; data?: Record<string, unknown>; set?: Prisma.RunUpdateInput },
): Promise<Run> {
  assertTransition(run, to, action.replace(/^run\./, ""));
  const now = new Date();
  const updated = await tx.run.update({
    where: { id: run.id },
    data: {
      status: to,
      ...(to === "executing" && !run.startedAt ? { startedAt: now } : {}),
      ...(["succeeded", "failed", "cancelled", "rejected", "expired"].includes(to) ? { finishedAt: now } : {}),
      ...set,
    },
  });
  await appendAudit(tx, { actor, action, target: { type: "run", id: run.id }, data: { from: run.status, to, playbook: run.playbookName, ...data } });
  const event = TIMELINE_EVENTS[to];
  if (run.incidentId && event) await timeline(tx, run.orgId, run.incidentId, event, actor, { runId: run.id, playbook: run.playbookName, ...(typeof data.reason === "string" ? { reason: data.reason } : {}) });
  return updated;
}
