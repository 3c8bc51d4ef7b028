// Two executors on one run (a BullMQ job delivered again after its lock expired, a worker whose event
// loop stalled): the execution lease decides which one may act, and the stale one's writes are refused.
// Also the lock order between a failing step and a cancel (run row first, then steps).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { AppError } from "@/lib/errors";
import { requestRun } from "@/lib/orchestrator/request-run";
import { runDryRun } from "@/lib/orchestrator/dry-run";
import { approveRun } from "@/lib/orchestrator/approve-run";
import { cancelRun } from "@/lib/orchestrator/cancel-run";
import { executeRun } from "@/lib/orchestrator/execute-run";
import { getRun } from "@/lib/orchestrator/list-runs";
import { allowTestEgress, grantTestSecrets, makeActor, makeOrg } from "@/test/factories";
import { startTarget, type Target } from "@/test/target-server";
import { playbookYaml, trustNewKey, uploadSigned } from "@/test/playbook-fixtures";

let target: Target;
beforeAll(async () => {
  target = await startTarget();
});
afterAll(async () => {
  await target.close();
});

type Team = { orgId: string; admin: Actor; operator: Actor; approver: Actor; sign: (s: string) => string };
let team: Team;
beforeEach(async () => {
  const org = await makeOrg("lease");
  await allowTestEgress(org.id);
  await grantTestSecrets(org.id, ["GATE"]);
  const admin = await makeActor(org.id, "admin");
  const key = await trustNewKey(admin);
  team = { orgId: org.id, admin, operator: await makeActor(org.id, "operator"), approver: await makeActor(org.id, "approver"), sign: key.sign };
});

const uniq = () => randomBytes(4).toString("hex");

async function approvedRun(steps: Parameters<typeof playbookYaml>[2]) {
  const name = `ls-${uniq()}`;
  await uploadSigned(team.admin, playbookYaml(name, "low", steps), team.sign);
  const run = await requestRun({ actor: team.operator, input: { playbook: name } });
  // Each test hands executeRun its own secret provider; the dry-run and the approval check need one too.
  const secrets = { name: "stub", get: async () => "v" };
  await runDryRun(run.id, { secrets });
  await approveRun({ actor: team.approver, id: run.id, checks: { secrets } });
  return run.id;
}

async function auditCount(runId: string, action: string) {
  return db.auditEvent.count({ where: { orgId: team.orgId, targetId: runId, action } });
}

describe("two executors on one run", () => {
  it.each(["PUT", "POST"])("while the first one's %s is in flight, the second neither repeats it nor fails the run", async (method) => {
    const path = `/held-${uniq()}`;
    target.on(path, { hold: true });
    const runId = await approvedRun([
      { id: "act", action: "http", with: { url: `${target.url}${path}`, method }, timeout: "20s", retries: 2 },
      { id: "after", action: "wait", with: { duration: "1ms" } },
    ]);
    const first = executeRun(runId, { leaseMs: 2_000 });
    await target.waitFor(path);
    // A second delivery of the job (BullMQ lock expired) while the step is still running.
    const second = executeRun(runId, { leaseMs: 2_000 });
    await sleep(3_000); // longer than the lease: the first executor keeps renewing it
    expect(target.calls(path)).toHaveLength(1);
    expect((await getRun({ actor: team.admin, id: runId })).status).toBe("executing");
    target.release({ status: 200 });
    const [a, b] = await Promise.all([first, second]);
    expect(a).toEqual({ status: "succeeded" });
    expect(b.status).toMatch(/skipped/);
    expect(target.calls(path)).toHaveLength(1);
    const run = await getRun({ actor: team.admin, id: runId });
    expect(run.status).toBe("succeeded");
    expect(run.steps.map((s) => [s.stepId, s.status, s.attempts])).toEqual([
      ["act", "succeeded", 1],
      ["after", "succeeded", 1],
    ]);
    expect(await auditCount(runId, "run.step_started")).toBe(2);
  });

  it("a stalled executor whose lease expired before its side effect: the new one acts once, the stale one's writes are refused", async () => {
    const path = `/once-${uniq()}`;
    target.on(path, { status: 200 });
    const runId = await approvedRun([{ id: "act", action: "http", with: { url: `${target.url}${path}`, method: "POST", headers: { "x-token": '{{ secret "GATE" }}' } }, timeout: "10s" }]);
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    let wake!: () => void;
    const gate = new Promise<void>((r) => (wake = r));
    // The stalled executor: stops before its side effect (while reading a secret) and its lease is not
    // renewed meanwhile, which is what a blocked event loop looks like from the database.
    const stale = executeRun(runId, {
      leaseMs: 300,
      renewEveryMs: 60_000,
      secrets: { name: "gated", get: async () => (entered(), await gate, "v") },
    });
    await inside;
    await sleep(600);
    const fresh = await executeRun(runId, { leaseMs: 2_000, secrets: { name: "plain", get: async () => "v" } });
    expect(fresh).toEqual({ status: "succeeded" });
    wake();
    expect((await stale).status).toMatch(/lease/);
    expect(target.calls(path)).toHaveLength(1);
    const run = await getRun({ actor: team.admin, id: runId });
    expect(run.status).toBe("succeeded");
    expect(run.steps.map((s) => [s.status, s.attempts])).toEqual([["succeeded", 1]]);
    expect(await auditCount(runId, "run.step_started")).toBe(1);
    expect(await auditCount(runId, "run.step_succeeded")).toBe(1);
  });

  it("a stalled executor whose side effect was in flight when its lease expired cannot overwrite what the new one decided", async () => {
    const path = `/stuck-${uniq()}`;
    target.on(path, { hold: true });
    const runId = await approvedRun([
      { id: "act", action: "http", with: { url: `${target.url}${path}`, method: "POST" }, timeout: "20s" },
      { id: "after", action: "wait", with: { duration: "1ms" } },
    ]);
    const stale = executeRun(runId, { leaseMs: 300, renewEveryMs: 60_000 });
    await target.waitFor(path);
    await sleep(600);
    // The new executor finds a non-idempotent step started by an executor presumed dead.
    expect(await executeRun(runId, { leaseMs: 2_000 })).toEqual({ status: "failed", step: "act" });
    target.release({ status: 200 });
    expect((await stale).status).toMatch(/lease/);
    const run = await getRun({ actor: team.admin, id: runId });
    expect(run.status).toBe("failed");
    expect(run.steps.map((s) => s.status)).toEqual(["unknown", "skipped"]);
    expect(await auditCount(runId, "run.step_succeeded")).toBe(0);
    expect(target.calls(path)).toHaveLength(1);
  });
});

describe("lock order", () => {
  it("a step failing while the run is cancelled never deadlocks", { timeout: 120_000 }, async () => {
    const errors: unknown[] = [];
    for (let i = 0; i < 25; i++) {
      const path = `/fail-${uniq()}`;
      target.on(path, { hold: true });
      const runId = await approvedRun([
        { id: "act", action: "http", with: { url: `${target.url}${path}`, method: "POST" }, timeout: "10s" },
        { id: "after", action: "wait", with: { duration: "1ms" } },
      ]);
      const execution = executeRun(runId).catch((e: unknown) => (errors.push(e), null));
      await target.waitFor(path);
      // The step fails (HTTP 400 → failStep) at the moment the cancel arrives.
      target.release({ status: 400, body: "no" });
      await cancelRun({ actor: team.operator, id: runId, reason: "race" }).catch((e: unknown) => {
        if (!(e instanceof AppError && e.code === "conflict")) errors.push(e);
      });
      await execution;
      const { status } = await getRun({ actor: team.admin, id: runId });
      if (status !== "failed") errors.push(`run ${i} ended ${status}`);
    }
    expect(errors.map((e) => String(e).slice(0, 300))).toEqual([]);
  });
});
