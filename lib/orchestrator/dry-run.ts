// Dry-run: render every step with secrets as placeholders and ask each action for its plan (no side
// effects: the rendered request, the notification text, the PromQL evaluated now). The stored report
// is exactly what approvers see.
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { systemActor, type Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { enqueue } from "@/lib/jobs/queue";
import { actionFor } from "@/lib/orchestrator/actions";
import { evaluateWhen, render, secretNames, secretPlaceholder, type Scope } from "@/lib/orchestrator/template";
import { lockRun, moveRun } from "@/lib/orchestrator/transition";
import { loadRunContext } from "@/lib/orchestrator/run-context";
import { orchestratorSettings } from "@/lib/orchestrator/settings";
import { errorText } from "@/lib/orchestrator/error-text";
import { runMatchesPlaybook } from "@/lib/orchestrator/preflight";
import { isGranted, notGrantedMessage } from "@/lib/secrets/grants";
import { checkDestination, type DestinationCheck } from "@/lib/egress/policy";
import { notifyApprovers } from "@/lib/oncall/page-approvers";
import { enqueueDeliveries } from "@/lib/oncall/escalation-jobs";

export async function startDryRun({ actor, id }: { actor: Actor; id: string }) {
  assertCan(actor, "runs.dryrun");
  const run = await db.$transaction(async (tx) => {
    const run = await lockRun(tx, id, actor.orgId);
    // Re-planning discards approvals given for the previous plan.
    if (run.status === "awaiting_approval") await tx.approval.deleteMany({ where: { runId: id } });
    return moveRun(tx, run, "dry_run", { actor, action: "run.dry_run_started", set: { dryRunReport: undefined, approvalExpiresAt: null } });
  });
  await enqueue("run.dry_run", { runId: run.id });
  return run;
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

function whenNow(expr: string | undefined, scope: Scope): boolean | null {
  if (!expr) return true;
  if (/\bsteps\./.test(expr)) return null;
  return evaluateWhen(expr, scope);
}

export async function runDryRun(runId: string) {
  const ctx = await loadRunContext(runId);
  if (ctx.run.status !== "dry_run") return { skipped: `run is ${ctx.run.status}` };
  const settings = await orchestratorSettings(ctx.run.orgId);
  const { verification, spec } = ctx;
  const env = { orgId: ctx.run.orgId, runId, playbookDigest: ctx.version.digest, prometheus: ctx.prometheus, egress: { policy: ctx.org.egress } };
  const steps: StepPlan[] = [];
  // The plan is of the stored bytes (the ones the verification below is about); without them there is nothing to plan.
  const planProblems = spec ? [runMatchesPlaybook(ctx.run, spec)?.message].filter((m): m is string => !!m) : [`playbook: ${verification.ok ? "does not parse" : verification.message}`];
  for (const step of spec?.steps ?? []) {
    const action = actionFor(step.action);
    const entry: StepPlan = {
      stepId: step.id,
      name: step.name ?? null,
      action: step.action,
      when: step.when ?? null,
      willRun: null,
      idempotent: null,
      timeoutMs: step.timeout,
      retries: step.retries,
      secrets: [...secretNames(step.with)],
      egress: [],
      plan: null,
      error: null,
    };
    try {
      entry.willRun = whenNow(step.when, ctx.scope);
      // A step whose condition is already false is not rendered: it may use params left empty.
      if (entry.willRun === false) {
        steps.push(entry);
        continue;
      }
      // A secret the org was not granted would fail the step at execution: say so now.
      const ungranted = entry.secrets.find((name) => !isGranted(name, ctx.org.secretGrants));
      if (ungranted) throw new Error(notGrantedMessage(ungranted));
      const input = action.schema.parse(render(step.with, ctx.scope, secretPlaceholder));
      entry.idempotent = action.idempotent(input);
      // Checked before planning: a denied destination is not contacted, not even by a plan's read.
      entry.egress = (action.destinations?.(input, { ...env, stepId: step.id }) ?? []).map((url) => checkDestination(url, ctx.org.egress));
      const denied = entry.egress.find((d) => d.allowed === false);
      if (denied) throw new Error(`egress policy denies ${denied.host ?? "the destination"}: ${denied.reason}`);
      entry.plan = await action.plan(input, { ...env, stepId: step.id });
    } catch (err) {
      entry.error = errorText(err);
    }
    steps.push(entry);
  }
  const problems = [...planProblems, ...steps.filter((s) => s.error).map((s) => `${s.stepId}: ${s.error}`)];
  const report = {
    generatedAt: new Date().toISOString(),
    playbook: { name: ctx.run.playbookName, version: ctx.version.version, digest: ctx.version.digest, risk: spec?.risk ?? ctx.run.risk },
    verification,
    params: ctx.run.params,
    steps,
    problems,
  };
  const actor = systemActor("orchestrator", ctx.run.orgId);
  const outcome = await db.$transaction(async (tx) => {
    const run = await lockRun(tx, runId);
    if (run.status !== "dry_run") return { skipped: `run is ${run.status}` };
    const set = { dryRunReport: report as unknown as Prisma.InputJsonValue, verification: verification as unknown as Prisma.InputJsonValue };
    if (problems.length) {
      await moveRun(tx, run, "failed", { actor, action: "run.dry_run_failed", data: { problems }, set: { ...set, error: `dry-run found problems: ${problems.join("; ")}` } });
      return { status: "failed", problems };
    }
    const approvalExpiresAt = new Date(Date.now() + settings.approvalTtlSeconds * 1000);
    const waiting = await moveRun(tx, run, "awaiting_approval", { actor, action: "run.dry_run_completed", data: { verification: verification.ok ? "ok" : verification.reason, approvalExpiresAt }, set: { ...set, approvalExpiresAt } });
    return { status: "awaiting_approval", notifications: await notifyApprovers(tx, waiting) };
  });
  if (!outcome.notifications) return outcome;
  // A lost enqueue is caught up by the oncall.sweep job (queued notifications without a job).
  await enqueueDeliveries(outcome.notifications).catch((err: Error) => console.error(JSON.stringify({ level: "warn", msg: "could not queue approval requests (the sweep will)", runId, error: err.message })));
  return { status: outcome.status, approversNotified: outcome.notifications.length };
}
