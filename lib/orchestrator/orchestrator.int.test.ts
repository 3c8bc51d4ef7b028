// The run lifecycle against real Postgres and Redis and a local HTTP target that counts calls. Jobs are
// run in-process here (runDryRun / executeRun); orchestrator.worker.int.test.ts runs them in a real
// worker process and kills it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { AppError } from "@/lib/errors";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain";
import { queue } from "@/lib/jobs/queue";
import { requestRun } from "@/lib/orchestrator/request-run";
import { runDryRun } from "@/lib/orchestrator/dry-run";
import { approveRun, executeJobId, rejectRun } from "@/lib/orchestrator/approve-run";
import { cancelRun } from "@/lib/orchestrator/cancel-run";
import { executeRun } from "@/lib/orchestrator/execute-run";
import { expireRuns } from "@/lib/orchestrator/sweep-runs";
import { getRun } from "@/lib/orchestrator/list-runs";
import { revokeSigningKey } from "@/lib/playbooks/signing-keys";
import { uploadPlaybook } from "@/lib/playbooks/save-playbook";
import { updateOrchestratorSettings } from "@/lib/orchestrator/settings";
import { allowTestEgress, grantTestSecrets, makeActor, makeOrg, testSecretVar } from "@/test/factories";
import { startTarget, type Target } from "@/test/target-server";
import { makeKeyPair, playbookYaml, trustNewKey, uploadSigned } from "@/test/playbook-fixtures";
import { signPlaybook } from "@/lib/playbooks/signature";

let target: Target;
beforeAll(async () => {
  target = await startTarget();
});
afterAll(async () => {
  await target.close();
});

type Team = { orgId: string; orgSlug: string; admin: Actor; operator: Actor; approver: Actor; approver2: Actor; sign: (s: string) => string; keyId: string };
let team: Team;
beforeEach(async () => {
  const org = await makeOrg("orch");
  await allowTestEgress(org.id);
  const admin = await makeActor(org.id, "admin");
  const key = await trustNewKey(admin);
  team = { orgId: org.id, orgSlug: org.slug, admin, operator: await makeActor(org.id, "operator"), approver: await makeActor(org.id, "approver"), approver2: await makeActor(org.id, "approver"), sign: key.sign, keyId: key.id };
});

const uniq = () => randomBytes(4).toString("hex");

async function publish(risk: "low" | "medium" | "high", steps: Parameters<typeof playbookYaml>[2], extra?: Record<string, unknown>) {
  const name = `pb-${uniq()}`;
  await uploadSigned(team.admin, playbookYaml(name, risk, steps, extra), team.sign);
  return name;
}

async function readyRun(name: string, params: Record<string, string | number | boolean> = {}) {
  const run = await requestRun({ actor: team.operator, input: { playbook: name, params } });
  expect(run.status).toBe("dry_run");
  await runDryRun(run.id);
  return run.id;
}

async function auditActions(runId: string) {
  const rows = await db.auditEvent.findMany({ where: { orgId: team.orgId, targetId: runId }, orderBy: { seq: "asc" } });
  return rows.map((r) => r.action);
}

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe("run lifecycle", () => {
  it("requests, dry-runs, refuses self-approval, approves, executes once and audits every step", async () => {
    const path = `/hook-${uniq()}`;
    const name = await publish(
      "medium",
      [
        { id: "call", action: "http", with: { url: `${target.url}${path}`, method: "POST", body: { service: "{{ params.service }}", replicas: "{{ params.replicas }}" } }, timeout: "5s" },
        { id: "after", action: "wait", with: { duration: "10ms" }, when: 'steps.call.status == "succeeded"' },
      ],
      { params: { service: { type: "string", required: true }, replicas: { type: "number", default: 3 } } },
    );
    const runId = await readyRun(name, { service: "checkout" });

    const ready = await getRun({ actor: team.approver, id: runId });
    expect(ready.status).toBe("awaiting_approval");
    const report = ready.dryRunReport as { steps: Array<{ stepId: string; plan: { summary: string; details: { body: unknown } } | null; willRun: boolean | null }>; verification: { ok: boolean } };
    expect(report.verification.ok).toBe(true);
    expect(report.steps[0]!.plan!.summary).toContain(`${target.url}${path}`);
    expect(JSON.stringify(report.steps[0]!.plan!.details.body)).toContain("checkout");
    expect(report.steps[1]!.willRun).toBeNull(); // depends on the first step's outcome
    expect(target.calls(path)).toHaveLength(0); // planning has no side effects

    const self = await rejection(approveRun({ actor: { ...team.operator, role: "approver" }, id: runId }));
    expect(self.code).toBe("forbidden");
    expect((await getRun({ actor: team.admin, id: runId })).status).toBe("awaiting_approval");

    const approved = await approveRun({ actor: team.approver, id: runId, comment: "go" });
    expect(approved.status).toBe("approved");
    expect(await queue("orchestrator").getJob(executeJobId(runId))).toBeTruthy();

    expect(await executeRun(runId, { backoffMs: () => 10 })).toEqual({ status: "succeeded" });
    const calls = target.calls(path);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.headers["idempotency-key"]).toBe(`nops-${runId}-call`);
    expect(JSON.parse(calls[0]!.body)).toEqual({ service: "checkout", replicas: 3 });

    // A second delivery of the same job does nothing.
    expect((await executeRun(runId)).status).toMatch(/skipped/);
    expect(target.calls(path)).toHaveLength(1);

    const done = await getRun({ actor: team.operator, id: runId });
    expect(done.steps.map((s) => [s.stepId, s.status, s.attempts])).toEqual([
      ["call", "succeeded", 1],
      ["after", "succeeded", 1],
    ]);
    expect(await auditActions(runId)).toEqual([
      "run.requested",
      "run.dry_run_started",
      "run.dry_run_completed",
      "run.approval_refused",
      "run.approval_recorded",
      "run.approved",
      "run.execution_started",
      "run.step_started",
      "run.step_succeeded",
      "run.step_started",
      "run.step_succeeded",
      "run.succeeded",
    ]);
    const refusal = await db.auditEvent.findFirstOrThrow({ where: { targetId: runId, action: "run.approval_refused" } });
    expect(refusal.data).toMatchObject({ reason: "self_approval" });
    expect((await verifyAuditChain(team.orgId)).ok).toBe(true);
  });

  it("high risk needs two distinct approvers, neither the requester", async () => {
    const name = await publish("high", [{ id: "w", action: "wait", with: { duration: "1ms" } }]);
    const runId = await readyRun(name);
    expect((await rejection(approveRun({ actor: { ...team.operator, role: "approver" }, id: runId }))).code).toBe("forbidden");
    expect((await approveRun({ actor: team.approver, id: runId })).status).toBe("awaiting_approval");
    expect((await rejection(approveRun({ actor: team.approver, id: runId }))).code).toBe("conflict");
    // A token created by the same person is the same principal.
    expect((await rejection(approveRun({ actor: { type: "token", id: "t1", orgId: team.orgId, role: "approver", userId: team.approver.id }, id: runId }))).code).toBe("conflict");
    expect((await approveRun({ actor: team.approver2, id: runId })).status).toBe("approved");
    expect(await db.approval.count({ where: { runId } })).toBe(2);
  });

  it("low risk: the requester may approve their own run", async () => {
    const name = await publish("low", [{ id: "w", action: "wait", with: { duration: "1ms" } }]);
    const run = await requestRun({ actor: team.approver, input: { playbook: name } });
    await runDryRun(run.id);
    expect((await approveRun({ actor: team.approver, id: run.id })).status).toBe("approved");
  });

  it("simultaneous approvals: one transition, one execution job", async () => {
    const name = await publish("low", [{ id: "w", action: "wait", with: { duration: "1ms" } }]);
    const runId = await readyRun(name);
    const approvers = [team.approver, team.approver2, team.admin];
    const results = await Promise.allSettled(approvers.map((actor) => approveRun({ actor, id: runId })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((r) => r.status === "rejected")) expect(((r as PromiseRejectedResult).reason as AppError).code).toBe("conflict");
    expect(await db.approval.count({ where: { runId } })).toBe(1);
    expect((await auditActions(runId)).filter((a) => a === "run.approved")).toHaveLength(1);
    const jobs = (await queue("orchestrator").getJobs(["waiting", "delayed", "active", "completed", "failed"])).filter((j) => j.data.runId === runId && j.name === "run.execute");
    expect(jobs).toHaveLength(1);
  });

  it("rejects with a comment; illegal transitions are conflicts", async () => {
    const name = await publish("medium", [{ id: "w", action: "wait", with: { duration: "1ms" } }]);
    const runId = await readyRun(name);
    expect((await rejectRun({ actor: team.approver, id: runId, comment: "not during the sale" })).status).toBe("rejected");
    expect((await rejection(approveRun({ actor: team.approver2, id: runId }))).code).toBe("conflict");
    expect((await rejection(cancelRun({ actor: team.operator, id: runId }))).code).toBe("conflict");
  });

  it("refuses parameters the playbook does not declare or that break its rules", async () => {
    const name = await publish("low", [{ id: "w", action: "wait", with: { duration: "1ms" } }], {
      params: { deployment: { type: "string", required: true, pattern: "[a-z0-9-]+" }, replicas: { type: "number", min: 1, max: 10 } },
    });
    const bad = await rejection(requestRun({ actor: team.operator, input: { playbook: name, params: { deployment: "Bad Name", replicas: 50, extra: "x" } } }));
    expect(bad.code).toBe("validation_failed");
    expect(bad.message).toMatch(/deployment: does not match.*replicas: must be ≤ 10|extra: not a parameter/);
    expect(await db.run.count({ where: { orgId: team.orgId } })).toBe(0);
  });
});

describe("signatures gate execution", () => {
  async function approvedRun(path: string) {
    const name = await publish("low", [{ id: "call", action: "http", with: { url: `${target.url}${path}` }, timeout: "5s" }]);
    const runId = await readyRun(name);
    return { name, runId };
  }

  it("tampered bytes: approval refused and audited, nothing executes", async () => {
    const path = `/t-${uniq()}`;
    const { runId } = await approvedRun(path);
    const run = await db.run.findUniqueOrThrow({ where: { id: runId } });
    await db.$executeRaw`UPDATE "PlaybookVersion" SET source = convert_to(convert_from(source, 'UTF8') || '# injected', 'UTF8') WHERE id = ${run.playbookVersionId}::uuid`;
    const err = await rejection(approveRun({ actor: team.approver, id: runId }));
    expect(err.code).toBe("unprocessable");
    expect(err.message).toMatch(/modified/);
    const refusal = await db.auditEvent.findFirstOrThrow({ where: { targetId: runId, action: "run.approval_refused" } });
    expect(refusal.data).toMatchObject({ reason: "signature_digest_mismatch" });
    expect((await getRun({ actor: team.admin, id: runId })).status).toBe("awaiting_approval");
  });

  it("bytes tampered after approval: the worker refuses before the first step", async () => {
    const path = `/t2-${uniq()}`;
    const { runId } = await approvedRun(path);
    await approveRun({ actor: team.approver, id: runId });
    const run = await db.run.findUniqueOrThrow({ where: { id: runId } });
    await db.$executeRaw`UPDATE "PlaybookVersion" SET source = convert_to(replace(convert_from(source, 'UTF8'), '127.0.0.1', 'localhost'), 'UTF8') WHERE id = ${run.playbookVersionId}::uuid`;
    expect((await executeRun(runId)).status).toBe("refused");
    expect(target.calls(path)).toHaveLength(0);
    const after = await getRun({ actor: team.admin, id: runId });
    expect(after.status).toBe("failed");
    expect(after.error).toMatch(/refused before execution/);
    expect(after.steps[0]!.status).toBe("skipped");
    expect(await auditActions(runId)).toContain("run.execution_refused");
  });

  it("a signature by a key the org does not trust is refused", async () => {
    const stranger = makeKeyPair();
    const name = `pb-${uniq()}`;
    const source = playbookYaml(name, "low", [{ id: "w", action: "wait", with: { duration: "1ms" } }]);
    await uploadPlaybook({ actor: team.admin, input: { source, signature: signPlaybook(Buffer.from(source), stranger.privatePem) } });
    const runId = await readyRun(name);
    const report = (await getRun({ actor: team.admin, id: runId })).dryRunReport as { verification: { ok: boolean; reason: string } };
    expect(report.verification).toMatchObject({ ok: false, reason: "no_trusted_key" }); // the approver sees it in the report
    const err = await rejection(approveRun({ actor: team.approver, id: runId }));
    expect(err.message).toMatch(/does not verify with any key/);
    const refusal = await db.auditEvent.findFirstOrThrow({ where: { targetId: runId, action: "run.approval_refused" } });
    expect(refusal.data).toMatchObject({ reason: "signature_no_trusted_key" });
  });

  it("a key revoked after approval stops the pending run in the worker", async () => {
    const path = `/rv-${uniq()}`;
    const { runId } = await approvedRun(path);
    await approveRun({ actor: team.approver, id: runId });
    await revokeSigningKey({ actor: team.admin, id: team.keyId, reason: "key leaked" });
    expect((await executeRun(runId)).status).toBe("refused");
    expect(target.calls(path)).toHaveLength(0);
    const refused = await db.auditEvent.findFirstOrThrow({ where: { targetId: runId, action: "run.execution_refused" } });
    expect(refused.data).toMatchObject({ verification: { ok: false, reason: "revoked_key" } });
  });

  it("unsigned playbooks run only when an admin allows them, and each such run is audited as unsigned", async () => {
    const name = `pb-${uniq()}`;
    await uploadPlaybook({ actor: team.admin, input: { source: playbookYaml(name, "low", [{ id: "w", action: "wait", with: { duration: "1ms" } }]) } });
    const first = await readyRun(name);
    expect((await rejection(approveRun({ actor: team.approver, id: first }))).message).toMatch(/not signed/);

    await updateOrchestratorSettings({ actor: team.admin, input: { allowUnsignedPlaybooks: true } });
    const second = await readyRun(name);
    await approveRun({ actor: team.approver, id: second });
    expect((await executeRun(second)).status).toBe("succeeded");
    const approved = await db.auditEvent.findFirstOrThrow({ where: { targetId: second, action: "run.approved" } });
    expect(approved.data).toMatchObject({ unsigned: true });
    const started = await db.auditEvent.findFirstOrThrow({ where: { targetId: second, action: "run.execution_started" } });
    expect(started.data).toMatchObject({ unsigned: true });
  });
});

describe("expiry, cancel, failures", () => {
  it("an approval window that closed expires the run (on approve, and by the sweeper)", async () => {
    const name = await publish("low", [{ id: "w", action: "wait", with: { duration: "1ms" } }]);
    const a = await readyRun(name);
    const b = await readyRun(name);
    await db.run.updateMany({ where: { id: { in: [a, b] } }, data: { approvalExpiresAt: new Date(Date.now() - 1000) } });
    expect((await rejection(approveRun({ actor: team.approver, id: a }))).message).toMatch(/expired/);
    expect((await getRun({ actor: team.admin, id: a })).status).toBe("expired");
    expect(await expireRuns()).toBeGreaterThanOrEqual(1);
    expect((await getRun({ actor: team.admin, id: b })).status).toBe("expired");
    expect(await auditActions(b)).toContain("run.expired");
  });

  it("cancel during a step stops the run before the next step", async () => {
    const slow = `/slow-${uniq()}`;
    const next = `/next-${uniq()}`;
    target.on(slow, { hold: true });
    const name = await publish("low", [
      { id: "first", action: "http", with: { url: `${target.url}${slow}` }, timeout: "20s" },
      { id: "second", action: "http", with: { url: `${target.url}${next}` }, timeout: "5s" },
    ]);
    const runId = await readyRun(name);
    await approveRun({ actor: team.approver, id: runId });
    const execution = executeRun(runId);
    await target.waitFor(slow);
    expect((await cancelRun({ actor: team.operator, id: runId, reason: "wrong cluster" })).cancelRequestedAt).toBeTruthy();
    target.release();
    expect(await execution).toEqual({ status: "cancelled", step: "second" });
    const run = await getRun({ actor: team.admin, id: runId });
    expect(run.steps.map((s) => s.status)).toEqual(["succeeded", "cancelled"]);
    expect(target.calls(next)).toHaveLength(0);
    expect(await auditActions(runId)).toEqual(expect.arrayContaining(["run.cancel_requested", "run.cancelled"]));
  });

  it("retries idempotent steps with backoff and fails the run after the last attempt", async () => {
    const flaky = `/flaky-${uniq()}`;
    target.on(flaky, { status: 503, body: "busy" });
    const name = await publish("low", [
      { id: "put", action: "http", with: { url: `${target.url}${flaky}`, method: "PUT" }, timeout: "5s", retries: 2 },
      { id: "never", action: "wait", with: { duration: "1ms" } },
    ]);
    const runId = await readyRun(name);
    await approveRun({ actor: team.approver, id: runId });
    expect(await executeRun(runId, { backoffMs: () => 5 })).toEqual({ status: "failed", step: "put" });
    const calls = target.calls(flaky);
    expect(calls).toHaveLength(3);
    expect(new Set(calls.map((c) => c.headers["idempotency-key"])).size).toBe(1);
    const run = await getRun({ actor: team.admin, id: runId });
    expect(run.steps.map((s) => [s.status, s.attempts])).toEqual([["failed", 3], ["skipped", 0]]);
    expect((await auditActions(runId)).filter((a) => a === "run.step_attempt_failed")).toHaveLength(2);
  });

  it("does not retry a non-idempotent step after an ambiguous failure", async () => {
    const once = `/once-${uniq()}`;
    target.on(once, { status: 502 });
    const name = await publish("low", [{ id: "post", action: "http", with: { url: `${target.url}${once}` }, timeout: "5s", retries: 3 }]);
    const runId = await readyRun(name);
    await approveRun({ actor: team.approver, id: runId });
    expect((await executeRun(runId, { backoffMs: () => 5 })).status).toBe("failed");
    expect(target.calls(once)).toHaveLength(1);
  });

  it("k8s steps fail clearly while no agent is connected", async () => {
    const name = await publish("low", [{ id: "restart", action: "k8s.rollout_restart", with: { namespace: "shop", deployment: "checkout" } }]);
    const runId = await readyRun(name);
    const report = (await getRun({ actor: team.admin, id: runId })).dryRunReport as { steps: Array<{ plan: { summary: string } }> };
    expect(report.steps[0]!.plan.summary).toMatch(/no agent connected/);
    expect((await rejection(approveRun({ actor: team.approver, id: runId }))).code).toBe("CANNOT_RUN");
    await approveRun({ actor: team.admin, id: runId, override: { reason: "test: the agent is being installed" } });
    expect((await executeRun(runId)).status).toBe("failed");
    expect((await getRun({ actor: team.admin, id: runId })).steps[0]!.error).toMatch(/no agent connected/);
  });
});

describe("secrets", () => {
  it("resolve at execution only and never reach the database", async () => {
    const secret = `s3cr3t-${randomBytes(12).toString("hex")}`;
    process.env[testSecretVar(team.orgSlug, "TARGET_TOKEN")] = secret;
    await grantTestSecrets(team.orgId, ["TARGET_TOKEN"]);
    const echo = `/echo-${uniq()}`;
    target.on(echo, { echoHeaders: true });
    const bad = `/bad-${uniq()}`;
    target.on(bad, { status: 400, body: `rejected token ${secret}` });
    const name = await publish("low", [
      { id: "echo", action: "http", with: { url: `${target.url}${echo}`, headers: { authorization: 'Bearer {{ secret "TARGET_TOKEN" }}' } }, timeout: "5s" },
      { id: "bad", action: "http", with: { url: `${target.url}${bad}?token={{ secret "TARGET_TOKEN" }}`, body: { token: '{{ secret "TARGET_TOKEN" }}' } }, timeout: "5s" },
    ]);
    const runId = await readyRun(name);
    const report = JSON.stringify((await getRun({ actor: team.admin, id: runId })).dryRunReport);
    expect(report).toContain("«secret:TARGET_TOKEN»");
    await approveRun({ actor: team.approver, id: runId });
    expect((await executeRun(runId)).status).toBe("failed");
    // The target did receive the real value…
    expect(target.calls(echo)[0]!.headers.authorization).toBe(`Bearer ${secret}`);
    expect(target.calls(bad)[0]!.body).toContain(secret);
    // …and it was echoed back in the response and the error, yet no stored row contains it.
    const run = await getRun({ actor: team.admin, id: runId });
    expect(JSON.stringify(run.steps[0]!.output)).toContain("«secret:TARGET_TOKEN»");
    const tables = await db.$queryRaw<{ table_name: string }[]>`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`;
    for (const { table_name } of tables) {
      const hits = await db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "${table_name}" t WHERE row_to_json(t)::text LIKE $1`, `%${secret}%`);
      expect(Number(hits[0]!.n), `secret found in ${table_name}`).toBe(0);
    }
  });
});

describe("sweeper", () => {
  it("re-enqueues an approved run whose job was lost, and fails an abandoned dry-run", async () => {
    const name = await publish("low", [{ id: "w", action: "wait", with: { duration: "1ms" } }]);
    const approved = await readyRun(name);
    await approveRun({ actor: team.approver, id: approved });
    await (await queue("orchestrator").getJob(executeJobId(approved)))!.remove();
    const stale = new Date(Date.now() - 11 * 60_000);
    await db.run.update({ where: { id: approved }, data: { updatedAt: stale } });
    const stuck = await requestRun({ actor: team.operator, input: { playbook: name } });
    await db.run.update({ where: { id: stuck.id }, data: { updatedAt: stale } });

    const { resumeStuckRuns, failAbandonedDryRuns } = await import("@/lib/orchestrator/sweep-runs");
    expect(await resumeStuckRuns()).toBeGreaterThanOrEqual(1);
    expect(await queue("orchestrator").getJob(executeJobId(approved))).toBeTruthy();
    expect(await failAbandonedDryRuns()).toBeGreaterThanOrEqual(1);
    expect((await getRun({ actor: team.admin, id: stuck.id })).status).toBe("failed");
  });
});
