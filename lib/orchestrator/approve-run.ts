// Approve / reject. The run row is locked for the whole decision, so concurrent approvals are counted
// one after the other: exactly one of them can complete the quorum and enqueue execution. Refusals
// (self-approval, a signature that no longer verifies, an expired window) are committed to the audit
// chain before the caller hears about them.
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { principalOf, systemActor, type Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { AppError, notFound } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/append-audit";
import { enqueue } from "@/lib/jobs/queue";
import { runMatchesPlaybook, signedPolicy } from "@/lib/orchestrator/preflight";
import { assertTransition, lockRun, moveRun } from "@/lib/orchestrator/transition";
import { loadRunContext } from "@/lib/orchestrator/run-context";
import { checkRun, type CheckOptions } from "@/lib/orchestrator/can-run";
import { asReport, isBroken, type CannotRunReason } from "@/lib/orchestrator/report";

export const executeJobId = (runId: string) => `run-exec-${runId}`;

export async function enqueueExecution(runId: string) {
  await enqueue("run.execute", { runId }, { jobId: executeJobId(runId) });
}

// Within an approval, the Prometheus probe must not keep the approver waiting long.
const APPROVAL_PROBE_MS = 3000;

/** The dry-run's verdict and the check made now, each reason once. */
function cannotRunReasons(stored: unknown, now: readonly CannotRunReason[]): CannotRunReason[] {
  const seen = new Set<string>();
  return [...(asReport(stored)?.verdict.reasons ?? []), ...now].filter((r) => {
    const key = `${r.code}|${r.stepId ?? ""}|${r.message}`;
    return !seen.has(key) && seen.add(key);
  });
}

export type ApproveOptions = {
  actor: Actor;
  id: string;
  comment?: string;
  /** Approve although the run cannot run (runs.override), saying why; audited. */
  override?: { reason: string };
  checks?: CheckOptions;
};

export async function approveRun({ actor, id, comment, override, checks }: ApproveOptions) {
  assertCan(actor, "runs.approve");
  if (override) assertCan(actor, "runs.override");
  const ctx = await loadRunContext(id).catch((e: unknown) => {
    throw e instanceof AppError ? notFound("run") : e;
  });
  if (ctx.run.orgId !== actor.orgId) throw notFound("run");
  const { verification, spec } = ctx;
  // Things may have changed since the dry-run (a secret removed, an agent gone): look again, before the
  // row is locked, since the lookups may go over the network (Vault, Prometheus).
  const now = ctx.run.status === "awaiting_approval" ? await checkRun(ctx, { prometheusTimeoutMs: APPROVAL_PROBE_MS, resolveSecrets: false, ...checks }) : null;
  const result = await db.$transaction(async (tx) => {
    const run = await lockRun(tx, id, actor.orgId);
    assertTransition(run, "approved", "approve");
    const refuse = async (code: "forbidden" | "conflict" | "unprocessable" | "CANNOT_RUN", reason: string, message: string, data: Record<string, unknown> = {}, details?: unknown) => {
      await appendAudit(tx, { actor, action: "run.approval_refused", target: { type: "run", id }, data: { reason, message, ...data } });
      return { refused: new AppError(code, message, details) };
    };
    if (run.approvalExpiresAt && run.approvalExpiresAt.getTime() <= Date.now()) {
      await moveRun(tx, run, "expired", { actor: systemActor("orchestrator", run.orgId), action: "run.expired", data: { approvalExpiresAt: run.approvalExpiresAt } });
      return { refused: new AppError("conflict", "the approval window for this run has expired; request it again") };
    }
    if (!verification.ok) {
      return refuse("unprocessable", `signature_${verification.reason}`, `playbook signature check failed: ${verification.message}`, { verification });
    }
    // A verified version always parses (checkPlaybookBytes); the guard is for the compiler.
    if (!spec) throw new AppError("unprocessable", "the playbook does not parse");
    // The quorum comes from the signed bytes; a run row that disagrees with them was modified.
    const mismatch = runMatchesPlaybook(run, spec);
    if (mismatch) return refuse("unprocessable", mismatch.reason, mismatch.message);
    const me = principalOf(actor);
    const policy = signedPolicy(spec);
    if (!policy.requesterMayApprove && me === run.requestedById) {
      return refuse("forbidden", "self_approval", `${policy.risk}-risk runs must be approved by someone other than the requester`);
    }
    const reasons = cannotRunReasons(run.dryRunReport, now?.reasons ?? []);
    if (reasons.length) {
      const listed = reasons.map((r) => (r.stepId ? `${r.stepId}: ${r.message}` : r.message)).join("; ");
      if (!override) return refuse("CANNOT_RUN", "cannot_run", `this run cannot run: ${listed}`, { reasons }, { reasons });
      const broken = reasons.filter((r) => isBroken(r.code));
      if (broken.length) return refuse("CANNOT_RUN", "cannot_run", `this run cannot run, and no override changes that: ${listed}`, { reasons, override: override.reason }, { reasons });
      await appendAudit(tx, { actor, action: "run.approval_override", target: { type: "run", id }, data: { reason: override.reason, reasons } });
    }
    // Insert and count in one statement (approvals are latency-critical): the count does not see the
    // row the same statement inserts, hence the sum.
    const [{ inserted, before }] = await tx.$queryRaw<[{ inserted: number; before: number }]>`
      WITH ins AS (
        INSERT INTO "Approval" (id, "orgId", "runId", "userId", "userLabel", decision, comment, "createdAt")
        VALUES (${randomUUID()}::uuid, ${run.orgId}::uuid, ${id}::uuid, ${me}, ${actor.label ?? actor.id}, 'approved', ${comment ?? null}, now())
        ON CONFLICT ("runId", "userId") DO NOTHING RETURNING 1)
      SELECT (SELECT count(*) FROM ins)::int AS inserted,
             (SELECT count(*) FROM "Approval" WHERE "runId" = ${id}::uuid AND decision = 'approved')::int AS before`;
    if (!inserted) throw new AppError("conflict", "you have already approved this run; it needs another approver");
    const count = before + inserted;
    await appendAudit(tx, {
      actor,
      action: "run.approval_recorded",
      target: { type: "run", id },
      data: { approvals: count, required: policy.approvals, comment: comment ?? null, verification, ...(reasons.length && override ? { override: override.reason } : {}) },
    });
    if (count < policy.approvals) return { run, execute: false };
    const approved = await moveRun(tx, run, "approved", {
      actor,
      action: "run.approved",
      data: { approvals: count, ...("unsigned" in verification ? { unsigned: true } : { keyId: verification.keyId, fingerprint: verification.fingerprint }) },
      set: { verification: verification as unknown as Prisma.InputJsonValue },
    });
    return { run: approved, execute: true };
  });
  if ("refused" in result) throw result.refused;
  if (result.execute) await enqueueExecution(id);
  return result.run;
}

export async function rejectRun({ actor, id, comment }: { actor: Actor; id: string; comment: string }) {
  assertCan(actor, "runs.reject");
  return db.$transaction(async (tx) => {
    const run = await lockRun(tx, id, actor.orgId);
    assertTransition(run, "rejected", "reject");
    await tx.approval.upsert({
      where: { runId_userId: { runId: id, userId: principalOf(actor) } },
      create: { orgId: run.orgId, runId: id, userId: principalOf(actor), userLabel: actor.label ?? actor.id, decision: "rejected", comment },
      update: { decision: "rejected", comment },
    });
    return moveRun(tx, run, "rejected", { actor, action: "run.rejected", data: { reason: comment } });
  });
}
