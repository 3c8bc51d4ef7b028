// Run lifecycle and approval policy, as data. Everything that moves a run consults these tables.
import type { Risk } from "@/lib/playbooks/schema";
import { asReport } from "@/lib/orchestrator/report";

export const RUN_STATUSES = ["suggested", "dry_run", "awaiting_approval", "approved", "executing", "succeeded", "failed", "cancelled", "rejected", "expired"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const TRANSITIONS: Record<RunStatus, readonly RunStatus[]> = {
  suggested: ["dry_run", "cancelled"],
  dry_run: ["awaiting_approval", "failed", "cancelled"],
  // Back to dry_run: re-plan (e.g. after the target changed); approvals given so far are discarded.
  awaiting_approval: ["approved", "rejected", "expired", "cancelled", "dry_run"],
  // failed: the signature check right before execution refused it.
  approved: ["executing", "failed", "cancelled"],
  executing: ["succeeded", "failed", "cancelled"],
  succeeded: [],
  failed: [],
  cancelled: [],
  rejected: [],
  expired: [],
};

export const TERMINAL: ReadonlySet<RunStatus> = new Set(RUN_STATUSES.filter((s) => TRANSITIONS[s].length === 0));

export function canTransition(from: RunStatus, to: RunStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** How many distinct approvals a risk class needs, and whether the requester's own approval counts. */
export const APPROVAL_POLICY: Record<Risk, { approvals: number; requesterMayApprove: boolean }> = {
  low: { approvals: 1, requesterMayApprove: true },
  medium: { approvals: 1, requesterMayApprove: false },
  high: { approvals: 2, requesterMayApprove: false },
};

/**
 * "Request again" (a new run, same params, fresh dry-run): for a run that is over, or one whose dry-run
 * says it cannot run (it is cancelled in favour of the new one).
 */
export function canRequestAgain(run: { status: RunStatus; dryRunReport: unknown }): boolean {
  if (TERMINAL.has(run.status)) return true;
  return run.status === "awaiting_approval" && asReport(run.dryRunReport)?.verdict.canRun === false;
}
