// Checks that a run row still agrees with its signed playbook, made when it is approved and again right
// before it executes. The row's risk, quorum, params and steps were derived from the signed bytes when
// the run was requested; a later write to the database (the spec cache, the run row) must not lower
// the quorum, skip approvals or change what executes, so each of them is compared with the bytes.
import type { Run, RunStep } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import type { PlaybookSpec } from "@/lib/playbooks/schema";
import { APPROVAL_POLICY } from "@/lib/orchestrator/policy";
import { resolveParams, type ParamValue } from "@/lib/orchestrator/params";

export type Refusal = { reason: string; message: string };

/** The approval policy of the signed playbook: the run row's risk is a copy, not the source. */
export function signedPolicy(spec: PlaybookSpec) {
  return { risk: spec.risk, ...APPROVAL_POLICY[spec.risk] };
}

export function runMatchesPlaybook(run: Pick<Run, "risk" | "requiredApprovals" | "params">, spec: PlaybookSpec): Refusal | null {
  const policy = signedPolicy(spec);
  if (run.risk !== policy.risk || run.requiredApprovals !== policy.approvals) {
    return { reason: "run_tampered", message: `the run records ${run.risk} risk and ${run.requiredApprovals} approval(s), but its signed playbook is ${policy.risk} risk (${policy.approvals}): the run row was modified` };
  }
  try {
    resolveParams(spec.params, run.params as Record<string, ParamValue>);
  } catch (e) {
    return { reason: "params_invalid", message: `the run's params do not satisfy the signed playbook's declarations (${e instanceof AppError ? e.message : String(e)})` };
  }
  return null;
}

export function stepsMatchPlaybook(rows: readonly Pick<RunStep, "idx" | "stepId" | "action">[], spec: PlaybookSpec): Refusal | null {
  const same = rows.length === spec.steps.length && rows.every((r, i) => r.idx === i && r.stepId === spec.steps[i]!.id && r.action === spec.steps[i]!.action);
  return same ? null : { reason: "steps_tampered", message: "the run's steps do not match its signed playbook: the run was modified" };
}

/** Distinct approvers (the requester counts only where the policy lets them), against the signed quorum. */
export function quorumMet(run: Pick<Run, "requestedById">, spec: PlaybookSpec, approverIds: readonly string[]): Refusal | null {
  const policy = signedPolicy(spec);
  const counted = new Set(approverIds.filter((id) => policy.requesterMayApprove || id !== run.requestedById));
  if (counted.size >= policy.approvals) return null;
  return { reason: "quorum_not_met", message: `the run has ${counted.size} of the ${policy.approvals} approvals its ${policy.risk}-risk playbook requires` };
}
