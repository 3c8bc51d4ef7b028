// The dry-run report as stored on a run and read by approvers, the approval check and the run pages; and
// its verdict: can this run run, and if not, why (one reason per problem, each with a code a client can
// act on). Types and pure functions only: client components import this module.
import type { Verification } from "@/lib/playbooks/verify-version";
import type { DestinationCheck } from "@/lib/egress/policy";

export const CANNOT_RUN_CODES = [
  // The plan itself is broken: nothing but a new request (other params, another playbook version) helps.
  "playbook_invalid",
  "run_tampered",
  "params_invalid",
  "param_missing",
  "label_missing",
  "step_invalid",
  "plan_failed",
  // The plan is fine but this organization cannot carry it out right now.
  "signature_invalid",
  "secret_not_granted",
  "secret_missing",
  "secret_unavailable",
  "agent_missing",
  "agent_disconnected",
  "agent_action_not_allowed",
  "cluster_ambiguous",
  "egress_denied",
  "prometheus_missing",
  "prometheus_unreachable",
] as const;
export type CannotRunCode = (typeof CANNOT_RUN_CODES)[number];

/** A broken plan fails the run at once; an admin override cannot make it runnable either. */
const BROKEN: ReadonlySet<CannotRunCode> = new Set(["playbook_invalid", "run_tampered", "params_invalid", "param_missing", "label_missing", "step_invalid", "plan_failed"]);

export const isBroken = (code: CannotRunCode) => BROKEN.has(code);

export type CannotRunReason = { code: CannotRunCode; message: string; stepId?: string };
export type Verdict = { canRun: boolean; reasons: CannotRunReason[]; checkedAt: string };

export function verdictOf(reasons: CannotRunReason[], at = new Date()): Verdict {
  return { canRun: reasons.length === 0, reasons, checkedAt: at.toISOString() };
}

export type StepPlan = {
  stepId: string;
  name: string | null;
  action: string;
  when: string | null;
  /** true/false when decided now; null when it depends on earlier steps' results. */
  willRun: boolean | null;
  idempotent: boolean | null;
  timeoutMs: number;
  retries: number;
  secrets: string[];
  /** Every host the step would connect to, and whether the org's egress policy allows it (null: known only at execution). */
  egress: DestinationCheck[];
  plan: { summary: string; details?: Record<string, unknown> } | null;
  error: string | null;
};

export type DryRunReport = {
  generatedAt: string;
  playbook: { name: string; version: number; digest: string; risk: string };
  verification: Verification;
  params: Record<string, unknown>;
  steps: StepPlan[];
  verdict: Verdict;
};

/** A stored report, or null. Reports written before verdicts existed carried `problems` (plain strings): read as step_invalid reasons. */
export function asReport(value: unknown): DryRunReport | null {
  if (!value || typeof value !== "object" || !Array.isArray((value as DryRunReport).steps)) return null;
  const r = value as DryRunReport & { problems?: string[] };
  if (r.verdict) return r;
  const reasons = (r.problems ?? []).map((message): CannotRunReason => ({ code: "step_invalid", message }));
  return { ...r, verdict: verdictOf(reasons, new Date(r.generatedAt)) };
}
