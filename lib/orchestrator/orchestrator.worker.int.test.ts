// kill -9 of a real worker process in the middle of a step. The step's side effect must never happen
// twice: a non-idempotent step found `started` is marked `unknown` and the run fails; an idempotent one
// is retried with the same idempotency key and the run completes.
import "@/test/own-redis-prefix";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { requestRun } from "@/lib/orchestrator/request-run";
import { approveRun } from "@/lib/orchestrator/approve-run";
import { getRun } from "@/lib/orchestrator/list-runs";
import { TERMINAL } from "@/lib/orchestrator/policy";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain";
import { allowTestEgress, grantTestSecrets, makeActor, makeOrg, testSecretVar } from "@/test/factories";
import { startTarget, type Target } from "@/test/target-server";
import { playbookYaml, trustNewKey, uploadSigned } from "@/test/playbook-fixtures";
import { kill9, killAllWorkers, startWorker as startWorkerProcess, stopWorker as stop } from "@/test/worker-process";

const SECRET = `wk-${randomBytes(16).toString("hex")}`;
const startWorker = () => startWorkerProcess({ WORKER_QUEUES: "orchestrator:2", [testSecretVar(team.orgSlug, "TARGET_TOKEN")]: SECRET });

async function settled(runId: string, actor: Actor, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await getRun({ actor, id: runId });
    if (TERMINAL.has(run.status)) return run;
    if (Date.now() > deadline) throw new Error(`run still ${run.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

let target: Target;
let team: { orgId: string; orgSlug: string; admin: Actor; operator: Actor; approver: Actor; sign: (s: string) => string };
beforeAll(async () => {
  target = await startTarget();
  const org = await makeOrg("kill");
  await allowTestEgress(org.id);
  await grantTestSecrets(org.id, ["TARGET_TOKEN"]);
  // The dry-run and the approval check (in this process) look the secret up where the worker reads it.
  process.env[testSecretVar(org.slug, "TARGET_TOKEN")] = SECRET;
  const admin = await makeActor(org.id, "admin");
  const key = await trustNewKey(admin);
  team = { orgId: org.id, orgSlug: org.slug, admin, operator: await makeActor(org.id, "operator"), approver: await makeActor(org.id, "approver"), sign: key.sign };
});
afterAll(async () => {
  killAllWorkers();
  await target.close();
});

async function approvedRun(step: { method: string; path: string }) {
  const name = `kill-${randomBytes(4).toString("hex")}`;
  const source = playbookYaml(name, "low", [
    { id: "act", action: "http", with: { url: `${target.url}${step.path}`, method: step.method, headers: { authorization: 'Bearer {{ secret "TARGET_TOKEN" }}' } }, timeout: "60s", retries: 2 },
    { id: "after", action: "http", with: { url: `${target.url}${step.path}-after`, method: "POST" }, timeout: "10s" },
  ]);
  await uploadSigned(team.admin, source, team.sign);
  const run = await requestRun({ actor: team.operator, input: { playbook: name } });
  const { runDryRun } = await import("@/lib/orchestrator/dry-run");
  await runDryRun(run.id);
  await approveRun({ actor: team.approver, id: run.id });
  return run.id;
}

describe("worker killed mid-step", { timeout: 90_000 }, () => {
  it("non-idempotent step: no second call; the run fails with the step marked unknown", async () => {
    const p = `/post-${randomBytes(3).toString("hex")}`;
    target.on(p, { hold: true });
    const first = startWorker();
    await first.started;
    const runId = await approvedRun({ method: "POST", path: p });
    await target.waitFor(p);
    await kill9(first);
    target.release({ status: 200 }); // too late: nobody is listening for this answer

    const second = startWorker();
    await second.started;
    const run = await settled(runId, team.admin);
    await stop(second);

    expect(run.status).toBe("failed");
    expect(run.steps.map((s) => s.status)).toEqual(["unknown", "skipped"]);
    expect(run.error).toMatch(/not idempotent/);
    expect(target.calls(p)).toHaveLength(1);
    expect(target.calls(`${p}-after`)).toHaveLength(0);
    const actions = (await db.auditEvent.findMany({ where: { targetId: runId }, orderBy: { seq: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["run.execution_started", "run.step_started", "run.execution_resumed", "run.step_unknown", "run.failed"]));
    expect((await verifyAuditChain(team.orgId)).ok).toBe(true);
    expect([...first.output, ...second.output].join("")).not.toContain(SECRET);
  });

  it("idempotent step: retried with the same idempotency key; the run completes", async () => {
    const p = `/put-${randomBytes(3).toString("hex")}`;
    target.on(p, { holdFirst: 1, status: 200 });
    const first = startWorker();
    await first.started;
    const runId = await approvedRun({ method: "PUT", path: p });
    await target.waitFor(p);
    await kill9(first);

    const second = startWorker();
    await second.started;
    const run = await settled(runId, team.admin);
    await stop(second);

    expect(run.status).toBe("succeeded");
    const calls = target.calls(p);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.headers["idempotency-key"]).toBe(calls[0]!.headers["idempotency-key"]);
    expect(calls[1]!.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(target.calls(`${p}-after`)).toHaveLength(1);
    expect(run.steps.map((s) => [s.status, s.attempts])).toEqual([["succeeded", 2], ["succeeded", 1]]);
    const resumed = await db.auditEvent.findFirstOrThrow({ where: { targetId: runId, action: "run.step_started", data: { path: ["recovered"], equals: true } } });
    expect(resumed.data).toMatchObject({ stepId: "act", attempt: 2 });
    expect([...first.output, ...second.output].join("")).not.toContain(SECRET);
  });
});
