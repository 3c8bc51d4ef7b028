// Execution (the run.execute job). The rules that make it safe to kill a worker at any instant:
// - one executor at a time holds the run's lease (lease.ts); every write starts by checking its fencing
//   token, so an executor that stalled past its lease cannot write over the one that took over;
// - the signature is verified again right before anything runs, against the keys as they are now;
// - a step is marked `started` (committed) before its side effect and its outcome is committed after;
// - the `started` mark is a compare-and-set on (status, attempts), so two executors never both start
//   the same attempt;
// - on recovery a step found `started` without an outcome is retried only if its action is idempotent;
//   otherwise the run fails with the step `unknown`, for a human to check the target;
// - secrets are fetched per step at execution time and scrubbed from everything stored or logged.
import { setTimeout as sleep } from "node:timers/promises";
import { db } from "@/lib/db";
import type { Prisma, Run, RunStep } from "@/lib/generated/prisma/client";
import { systemActor, type Actor } from "@/lib/context";
import { appendAudit } from "@/lib/audit/append-audit";
import type { Verification } from "@/lib/playbooks/verify-version";
import type { StepSpec } from "@/lib/playbooks/schema";
import { defaultSecretProvider, type SecretProvider } from "@/lib/secrets/providers";
import { orgSecrets } from "@/lib/secrets/grants";
import type { Resolver } from "@/lib/egress/fetch";
import { actionFor } from "@/lib/orchestrator/actions";
import { NotSentError, PermanentActionError, type Action } from "@/lib/orchestrator/actions/types";
import { evaluateWhen, render, secretNames, secretPlaceholder, type Scope } from "@/lib/orchestrator/template";
import { lockRun, moveRun } from "@/lib/orchestrator/transition";
import { loadRunContext, type RunContext } from "@/lib/orchestrator/run-context";
import { scrub, scrubText, type Secrets } from "@/lib/orchestrator/scrub";
import { errorText } from "@/lib/orchestrator/error-text";
import { acquireLease, LeaseLost, type Lease } from "@/lib/orchestrator/lease";
import { quorumMet, runMatchesPlaybook, stepsMatchPlaybook, type Refusal } from "@/lib/orchestrator/preflight";

const DONE = new Set(["succeeded", "failed", "skipped"]);
const MAX_BACKOFF_MS = 30_000;

export type ExecuteOptions = {
  signal?: AbortSignal;
  backoffMs?: (attempt: number) => number;
  /** Lease duration and renewal period (lease.ts); tests shorten them or stop renewals to play a stalled executor. */
  leaseMs?: number;
  renewEveryMs?: number;
  /** Where secrets come from; the environment or Vault (secretProviderFromEnv) by default. */
  secrets?: SecretProvider;
  /** Name resolution for the egress check (lib/egress/fetch.ts); the system resolver by default. */
  resolve?: Resolver;
};

export type ExecuteOutcome = { status: string; step?: string };

/** Runs `work` in a transaction; the first one of an execution also claims the run (see executeRun). */
type Txn = <T>(work: (tx: Prisma.TransactionClient) => Promise<T>) => Promise<T>;

class NotClaimed extends Error {}

export async function executeRun(runId: string, opts: ExecuteOptions = {}): Promise<ExecuteOutcome> {
  const lease = await acquireLease(runId, opts);
  if ("skipped" in lease) return { status: lease.skipped };
  try {
    return await executeLeased(runId, lease, { ...opts, signal: opts.signal ? AbortSignal.any([opts.signal, lease.signal]) : lease.signal });
  } catch (err) {
    if (err instanceof LeaseLost || lease.signal.aborted) return { status: `stopped: ${(lease.signal.reason as Error | undefined)?.message ?? (err as Error).message}` };
    throw err;
  } finally {
    await lease.release();
  }
}

async function executeLeased(runId: string, lease: Lease, opts: ExecuteOptions): Promise<ExecuteOutcome> {
  const [ctx, rows, approvals] = await Promise.all([
    loadRunContext(runId),
    db.runStep.findMany({ where: { runId }, orderBy: { idx: "asc" } }),
    db.approval.findMany({ where: { runId, decision: "approved" }, select: { userId: true } }),
  ]);
  const actor = systemActor("orchestrator", ctx.run.orgId);
  if (ctx.run.status !== "approved" && ctx.run.status !== "executing") return { status: `skipped: run is ${ctx.run.status}` };
  // Every write is fenced: the first statement locks the run row (so every path locks run, then steps)
  // and fails unless this executor still holds the lease.
  const fenced: Txn = (work) =>
    db.$transaction(async (tx) => {
      await lease.fence(tx);
      return work(tx);
    });
  const { verification } = ctx;
  if (!verification.ok) return { status: await refuse(fenced, ctx, { reason: `signature_${verification.reason}`, message: verification.message }, actor, { verification }) };
  // What runs is what was signed, approved by the quorum the signed risk requires: the run row and the
  // spec cache are not trusted for either.
  const spec = ctx.spec!;
  const refusal = runMatchesPlaybook(ctx.run, spec) ?? stepsMatchPlaybook(rows, spec) ?? quorumMet(ctx.run, spec, approvals.map((a) => a.userId));
  if (refusal) return { status: await refuse(fenced, ctx, refusal, actor) };

  // The claim (approved → executing, audited) commits together with the first change the execution
  // makes, usually "step 1 started": one transaction less between an approval and the first side effect.
  let claimPending = true;
  const txn: Txn = async (work) => {
    const claiming = claimPending;
    const result = await fenced(async (tx) => {
      if (claiming) await claimIn(tx, ctx, verification, actor);
      return work(tx);
    });
    claimPending = false;
    return result;
  };

  try {
    const scope: Scope & { steps: Record<string, unknown> } = { ...ctx.scope, steps: {} };
    for (const row of rows) {
      if (DONE.has(row.status)) {
        scope.steps[row.stepId] = { status: row.status, output: row.output };
        continue;
      }
      // Until the claim commits, the run is as loaded; afterwards, look again (a cancel may have come in).
      const current = claimPending ? ctx.run : await db.run.findUniqueOrThrow({ where: { id: runId }, select: { status: true, cancelRequestedAt: true } });
      if (!claimPending && current.status !== "executing") return { status: current.status };
      if (current.cancelRequestedAt && row.status === "pending") {
        await finish(txn, runId, actor, "cancelled", { action: "run.cancelled", data: { beforeStep: row.stepId } });
        return { status: "cancelled", step: row.stepId };
      }
      const outcome = await runStep(txn, ctx, actor, row, spec.steps[row.idx]!, scope, opts);
      scope.steps[row.stepId] = { status: outcome.status, output: outcome.output ?? null };
      if (outcome.status === "failed" || outcome.status === "unknown") return { status: "failed", step: row.stepId };
    }
    await finish(txn, runId, actor, "succeeded", { action: "run.succeeded" });
    return { status: "succeeded" };
  } catch (err) {
    if (err instanceof NotClaimed) return { status: err.message };
    throw err;
  }
}

/** A check right before execution failed (signature, or a run that no longer matches its signed playbook): the run fails, nothing runs. */
async function refuse(txn: Txn, ctx: RunContext, refusal: Refusal, actor: Actor, extra: { verification?: Verification } = {}): Promise<string> {
  return txn(async (tx) => {
    const run = await lockRun(tx, ctx.run.id);
    if (run.status !== "approved" && run.status !== "executing") return `skipped: run is ${run.status}`;
    await moveRun(tx, run, "failed", {
      actor,
      action: "run.execution_refused",
      data: { reason: refusal.reason, ...extra },
      set: { ...(extra.verification ? { verification: extra.verification as unknown as Prisma.InputJsonValue } : {}), error: `refused before execution: ${refusal.message}` },
    });
    await tx.runStep.updateMany({ where: { runId: run.id, status: "pending" }, data: { status: "skipped" } });
    return "refused";
  });
}

/** approved → executing, or an audited resume of an executing run. Throws NotClaimed (rolling back) otherwise. */
async function claimIn(tx: Prisma.TransactionClient, ctx: RunContext, verification: Verification, actor: Actor) {
  const run = await lockRun(tx, ctx.run.id);
  if (run.status !== "approved" && run.status !== "executing") throw new NotClaimed(`skipped: run is ${run.status}`);
  const summary = "unsigned" in verification ? { unsigned: true } : verification.ok ? { keyId: verification.keyId, fingerprint: verification.fingerprint } : {};
  if (run.status === "approved") await moveRun(tx, run, "executing", { actor, action: "run.execution_started", data: { ...summary, digest: verification.digest }, set: { verification: verification as unknown as Prisma.InputJsonValue } });
  else await appendAudit(tx, { actor, action: "run.execution_resumed", target: { type: "run", id: run.id }, data: { ...summary, digest: verification.digest } });
}

type StepOutcome = { status: "succeeded" | "failed" | "skipped" | "unknown"; output?: unknown };

async function runStep(txn: Txn, ctx: RunContext, actor: Actor, row: RunStep, spec: StepSpec, scope: Scope, opts: ExecuteOptions): Promise<StepOutcome> {
  const runId = ctx.run.id;
  const action = actionFor(spec.action) as Action<unknown>;
  const audit = (tx: Prisma.TransactionClient, what: string, data: Record<string, unknown>) =>
    appendAudit(tx, { actor, action: `run.step_${what}`, target: { type: "run", id: runId }, data: { stepId: row.stepId, action: spec.action, ...data } });

  let shape: unknown;
  try {
    if (row.status === "pending" && spec.when && !evaluateWhen(spec.when, scope)) {
      await txn(async (tx) => {
        await tx.runStep.update({ where: { id: row.id }, data: { status: "skipped", finishedAt: new Date() } });
        await audit(tx, "skipped", { when: spec.when });
      });
      return { status: "skipped" };
    }
    // Rendered with placeholders: enough to validate and to know whether the action is idempotent.
    shape = action.schema.parse(render(spec.with, scope, secretPlaceholder));
  } catch (err) {
    return failStep(txn, ctx, actor, row, errorText(err), undefined, new Map());
  }

  if (row.status === "started") {
    if (!action.idempotent(shape)) {
      await txn(async (tx) => {
        await tx.runStep.update({ where: { id: row.id }, data: { status: "unknown", finishedAt: new Date(), error: "the worker stopped while this step was in progress; its action is not idempotent, so it was not retried: check the target before doing anything else" } });
        await audit(tx, "unknown", { attempt: row.attempts, idempotencyKey: row.idempotencyKey });
        const run = await lockRun(tx, runId);
        await moveRun(tx, run, "failed", { actor, action: "run.failed", data: { step: row.stepId, reason: "step outcome unknown after a crash" }, set: { error: `step '${row.stepId}' may or may not have taken effect (worker stopped mid-step); not retried because '${spec.action}' is not idempotent` } });
        await tx.runStep.updateMany({ where: { runId, status: "pending" }, data: { status: "skipped" } });
      });
      return { status: "unknown" };
    }
  }

  const secrets = new Map<string, string>();
  let input: unknown;
  try {
    // Only names the org granted, only from the org's own namespace.
    const source = orgSecrets(opts.secrets ?? defaultSecretProvider(), ctx.org);
    for (const name of secretNames(spec.with)) secrets.set(name, await source.get(name, opts.signal ? { signal: opts.signal } : {}));
    input = action.schema.parse(render(spec.with, scope, (name) => secrets.get(name)!));
  } catch (err) {
    return failStep(txn, ctx, actor, row, errorText(err), undefined, secrets);
  }

  let attempts = row.attempts;
  let status = row.status;
  for (;;) {
    const attempt = attempts + 1;
    const startedAt = new Date();
    const claimed = await txn(async (tx) => {
      // Compare-and-set: only the executor that saw (status, attempts) may start this attempt.
      const { count } = await tx.runStep.updateMany({ where: { id: row.id, status, attempts }, data: { status: "started", attempts: attempt, startedAt, error: null } });
      if (count === 1) await audit(tx, "started", { attempt, idempotencyKey: row.idempotencyKey, ...(status === "started" ? { recovered: true } : {}) });
      return count === 1;
    });
    if (!claimed) throw new Error(`step ${row.stepId} of run ${runId} was claimed by another executor`);
    attempts = attempt;
    status = "started";

    const signal = opts.signal ? AbortSignal.any([AbortSignal.timeout(spec.timeout), opts.signal]) : AbortSignal.timeout(spec.timeout);
    try {
      const egress = { policy: ctx.org.egress, ...(opts.resolve ? { resolve: opts.resolve } : {}) };
      // Progress is shown, not relied on: written only while this attempt is the step's current one, never failing the step.
      const progress = async (out: Record<string, unknown>) => {
        await db.runStep.updateMany({ where: { id: row.id, status: "started", attempts: attempt }, data: { output: scrub(out, secrets) as Prisma.InputJsonValue } }).catch(() => {});
      };
      const result = await action.execute(input, { orgId: ctx.run.orgId, runId, stepId: row.stepId, playbookDigest: ctx.version.digest, prometheus: ctx.prometheus, egress, idempotencyKey: row.idempotencyKey, attempt, signal, progress });
      const output = scrub({ summary: result.summary, ...(result.output ?? {}) }, secrets);
      await txn(async (tx) => {
        await tx.runStep.update({ where: { id: row.id }, data: { status: "succeeded", finishedAt: new Date(), output: output as Prisma.InputJsonValue } });
        await audit(tx, "succeeded", { attempt, summary: output.summary });
      });
      return { status: "succeeded", output };
    } catch (err) {
      const timedOut = signal.aborted && !opts.signal?.aborted;
      const message = scrubText(timedOut ? `timed out after ${spec.timeout} ms${action.idempotent(input) ? "" : "; the target may have acted"}` : errorText(err), secrets);
      const errOutput = err instanceof PermanentActionError ? scrub(err.output, secrets) : undefined;
      const retryable = !(err instanceof PermanentActionError) && attempt <= spec.retries && (action.idempotent(input) || err instanceof NotSentError);
      if (!retryable) return failStep(txn, ctx, actor, row, message, errOutput, secrets, attempt);
      const delay = (opts.backoffMs ?? defaultBackoff)(attempt);
      await txn(async (tx) => {
        await tx.runStep.update({ where: { id: row.id }, data: { status: "pending", error: message } });
        await audit(tx, "attempt_failed", { attempt, error: message, retryInMs: delay });
      });
      status = "pending";
      await sleep(delay, undefined, { signal: opts.signal });
    }
  }
}

function defaultBackoff(attempt: number): number {
  const base = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (attempt - 1));
  return Math.round(base / 2 + Math.random() * (base / 2));
}

async function failStep(txn: Txn, ctx: RunContext, actor: Actor, row: RunStep, message: string, output: unknown, secrets: Secrets, attempt = row.attempts): Promise<StepOutcome> {
  const error = scrubText(message, secrets);
  await txn(async (tx) => {
    await tx.runStep.update({ where: { id: row.id }, data: { status: "failed", finishedAt: new Date(), error, ...(output ? { output: output as Prisma.InputJsonValue } : {}) } });
    await appendAudit(tx, { actor, action: "run.step_failed", target: { type: "run", id: ctx.run.id }, data: { stepId: row.stepId, action: row.action, attempt, error } });
    const run = await lockRun(tx, ctx.run.id);
    await moveRun(tx, run, "failed", { actor, action: "run.failed", data: { step: row.stepId, reason: error }, set: { error: `step '${row.stepId}' failed: ${error}` } });
    await tx.runStep.updateMany({ where: { runId: ctx.run.id, status: "pending" }, data: { status: "skipped" } });
  });
  return { status: "failed", output };
}

async function finish(txn: Txn, runId: string, actor: Actor, to: "succeeded" | "cancelled", { action, data = {} }: { action: string; data?: Record<string, unknown> }): Promise<Run> {
  return txn(async (tx) => {
    const run = await lockRun(tx, runId);
    const moved = await moveRun(tx, run, to, { actor, action, data });
    if (to === "cancelled") await tx.runStep.updateMany({ where: { runId, status: "pending" }, data: { status: "cancelled" } });
    return moved;
  });
}
