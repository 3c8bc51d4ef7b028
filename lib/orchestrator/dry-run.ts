// Dry-run: check that the run can run (lib/orchestrator/can-run.ts), render every step with secrets as
// placeholders and ask each action for its plan (no side effects: the rendered request, the notification
// text, the PromQL evaluated now). The stored report, with its verdict, is exactly what approvers see.
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { systemActor, type Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { enqueue } from "@/lib/jobs/queue";
import { lockRun, moveRun } from "@/lib/orchestrator/transition";
import { loadRunContext } from "@/lib/orchestrator/run-context";
import { orchestratorSettings } from "@/lib/orchestrator/settings";
import { errorText } from "@/lib/orchestrator/error-text";
import { checkRun, type CheckOptions } from "@/lib/orchestrator/can-run";
import { isBroken, verdictOf, type CannotRunCode, type CannotRunReason, type DryRunReport, type StepPlan } from "@/lib/orchestrator/report";
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

// The plan of a step with these problems is not asked for: a denied host is not contacted, not even by
// a plan's read, and an agent that does not allow the action (or a cluster not known) would refuse it.
const NO_PLAN: ReadonlySet<CannotRunCode> = new Set(["egress_denied", "agent_action_not_allowed", "cluster_ambiguous"]);

export async function runDryRun(runId: string, opts: CheckOptions = {}) {
  const ctx = await loadRunContext(runId);
  if (ctx.run.status !== "dry_run") return { skipped: `run is ${ctx.run.status}` };
  const settings = await orchestratorSettings(ctx.run.orgId);
  const { verification, spec } = ctx;
  const checked = await checkRun(ctx, opts);
  const reasons = [...checked.reasons];
  const steps: StepPlan[] = [];
  for (const s of checked.steps) {
    const entry: StepPlan = {
      stepId: s.spec.id,
      name: s.spec.name ?? null,
      action: s.spec.action,
      when: s.spec.when ?? null,
      willRun: s.willRun,
      idempotent: s.input === undefined ? null : s.action.idempotent(s.input),
      timeoutMs: s.spec.timeout,
      retries: s.spec.retries,
      secrets: s.secrets,
      egress: s.egress,
      plan: null,
      error: s.reasons.find((r) => isBroken(r.code))?.message ?? null,
    };
    if (s.input !== undefined && !s.reasons.some((r) => NO_PLAN.has(r.code))) {
      try {
        entry.plan = await s.action.plan(s.input, { ...checked.env, stepId: s.spec.id });
      } catch (err) {
        entry.error = errorText(err);
        reasons.push({ code: "plan_failed", message: entry.error, stepId: s.spec.id });
      }
    }
    steps.push(entry);
  }
  const verdict = verdictOf(reasons);
  const report: DryRunReport = {
    generatedAt: new Date().toISOString(),
    playbook: { name: ctx.run.playbookName, version: ctx.version.version, digest: ctx.version.digest, risk: spec?.risk ?? ctx.run.risk },
    verification,
    params: ctx.run.params as Record<string, unknown>,
    steps,
    verdict,
  };
  const describe = (r: CannotRunReason) => (r.stepId ? `${r.stepId}: ${r.message}` : r.message);
  const broken = reasons.filter((r) => isBroken(r.code));
  const actor = systemActor("orchestrator", ctx.run.orgId);
  const outcome = await db.$transaction(async (tx) => {
    const run = await lockRun(tx, runId);
    if (run.status !== "dry_run") return { skipped: `run is ${run.status}` };
    const set = { dryRunReport: report as unknown as Prisma.InputJsonValue, verification: verification as unknown as Prisma.InputJsonValue };
    // A broken plan cannot become runnable: the run fails. Otherwise it waits for approval, with a
    // "cannot run" verdict when the org cannot carry it out yet (approval then refuses, bar an admin override).
    if (broken.length) {
      await moveRun(tx, run, "failed", { actor, action: "run.dry_run_failed", data: { reasons }, set: { ...set, error: `dry-run found problems: ${broken.map(describe).join("; ")}` } });
      return { status: "failed", reasons };
    }
    const approvalExpiresAt = new Date(Date.now() + settings.approvalTtlSeconds * 1000);
    const waiting = await moveRun(tx, run, "awaiting_approval", {
      actor,
      action: "run.dry_run_completed",
      data: { verification: verification.ok ? "ok" : verification.reason, approvalExpiresAt, canRun: verdict.canRun, ...(verdict.canRun ? {} : { reasons }) },
      set: { ...set, approvalExpiresAt },
    });
    // Approvers are paged for a run they can approve, not for one that cannot run.
    if (!verdict.canRun) return { status: "awaiting_approval", canRun: false, reasons };
    return { status: "awaiting_approval", notifications: await notifyApprovers(tx, waiting) };
  });
  if (!("notifications" in outcome) || !outcome.notifications) return outcome;
  // A lost enqueue is caught up by the oncall.sweep job (queued notifications without a job).
  await enqueueDeliveries(outcome.notifications).catch((err: Error) => console.error(JSON.stringify({ level: "warn", msg: "could not queue approval requests (the sweep will)", runId, error: err.message })));
  return { status: outcome.status, approversNotified: outcome.notifications.length };
}
