// "Approvals must mean something": the dry-run says whether a run can run and why not, and approval of a
// run that cannot run is refused (409 CANNOT_RUN) unless an admin overrides it, saying why (audited in
// the approval's transaction). Checked again at approval time. Through the API where the status matters.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { POST as approveRoute } from "@/app/api/v1/runs/[id]/approve/route";
import { POST as requestAgainRoute } from "@/app/api/v1/runs/[id]/request-again/route";
import { requestRun } from "@/lib/orchestrator/request-run";
import { runDryRun } from "@/lib/orchestrator/dry-run";
import { approveRun } from "@/lib/orchestrator/approve-run";
import { executeRun } from "@/lib/orchestrator/execute-run";
import { getRun } from "@/lib/orchestrator/list-runs";
import { requestRunAgain } from "@/lib/orchestrator/request-again";
import { asReport, type CannotRunReason } from "@/lib/orchestrator/report";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain";
import { AppError } from "@/lib/errors";
import { allowTestEgress, grantTestSecrets, makeActor, makeOrg, testSecretVar } from "@/test/factories";
import { bearer, callRoute, tokenFor } from "@/test/call-route";
import { startTarget, type Target } from "@/test/target-server";
import { playbookYaml, trustNewKey, uploadSigned } from "@/test/playbook-fixtures";

let target: Target;
beforeAll(async () => {
  target = await startTarget();
});
afterAll(async () => {
  await target.close();
});

const uniq = () => randomBytes(4).toString("hex");
type Team = { orgId: string; slug: string; admin: Actor; operator: Actor; approver: Actor; sign: (s: string) => string };
let team: Team;
const setVars: string[] = [];

beforeEach(async () => {
  const org = await makeOrg("canrun");
  await allowTestEgress(org.id);
  const admin = await makeActor(org.id, "admin");
  const key = await trustNewKey(admin);
  team = { orgId: org.id, slug: org.slug, admin, operator: await makeActor(org.id, "operator"), approver: await makeActor(org.id, "approver"), sign: key.sign };
});
afterEach(() => {
  for (const v of setVars.splice(0)) delete process.env[v];
});

function setSecret(name: string, value = `v-${uniq()}`) {
  const v = testSecretVar(team.slug, name);
  process.env[v] = value;
  setVars.push(v);
  return value;
}

async function publish(steps: Parameters<typeof playbookYaml>[2], extra?: Record<string, unknown>) {
  const name = `cr-${uniq()}`;
  await uploadSigned(team.admin, playbookYaml(name, "low", steps, extra), team.sign);
  return name;
}

/** The clear-cache: one http step that sends a secret. */
async function secretPlaybook(secret: string, path: string) {
  return publish([{ id: "purge", action: "http", with: { url: `${target.url}${path}`, method: "POST", headers: { authorization: `Bearer {{ secret "${secret}" }}` } }, timeout: "5s" }]);
}

async function dryRun(name: string, params: Record<string, string> = {}, incidentId?: string) {
  const run = await requestRun({ actor: team.operator, input: { playbook: name, params, ...(incidentId ? { incidentId } : {}) } });
  await runDryRun(run.id);
  return getRun({ actor: team.admin, id: run.id });
}

const verdict = (run: { dryRunReport: unknown }) => asReport(run.dryRunReport)!.verdict;
const codes = (reasons: CannotRunReason[]) => reasons.map((r) => r.code);

const approveApi = async (runId: string, role: "approver" | "admin", body: Record<string, unknown> = {}) =>
  callRoute(approveRoute, { headers: bearer(await tokenFor(team.orgId, role)), params: { id: runId }, body, path: `/api/v1/runs/${runId}/approve` });

describe("the dry-run's verdict", () => {
  it("a granted secret that is not set: cannot run (secret_missing), the run waits without paging approvers", async () => {
    await grantTestSecrets(team.orgId, ["CACHE_ADMIN_TOKEN"]);
    const run = await dryRun(await secretPlaybook("CACHE_ADMIN_TOKEN", `/purge-${uniq()}`));
    expect(run.status).toBe("awaiting_approval");
    const v = verdict(run);
    expect(v.canRun).toBe(false);
    expect(v.reasons).toEqual([{ code: "secret_missing", stepId: "purge", message: expect.stringContaining("CACHE_ADMIN_TOKEN") }]);
    // Resolved without revealing: the report has the name, the message the variable, never a value.
    expect(v.reasons[0]!.message).toContain(testSecretVar(team.slug, "CACHE_ADMIN_TOKEN"));
    expect(await db.notificationAttempt.count({ where: { runId: run.id } })).toBe(0);
  });

  it("a set secret: can run, and its value appears nowhere in the report", async () => {
    await grantTestSecrets(team.orgId, ["CACHE_ADMIN_TOKEN"]);
    const value = setSecret("CACHE_ADMIN_TOKEN");
    const run = await dryRun(await secretPlaybook("CACHE_ADMIN_TOKEN", `/purge-${uniq()}`));
    expect(verdict(run)).toMatchObject({ canRun: true, reasons: [] });
    expect(JSON.stringify(run.dryRunReport)).not.toContain(value);
  });

  it("an ungranted secret and a denied host are reasons, each with its step", async () => {
    const name = await publish([
      { id: "a", action: "http", with: { url: `${target.url}/a`, headers: { "x-t": '{{ secret "NOT_GRANTED" }}' } }, timeout: "5s" },
      { id: "b", action: "http", with: { url: "http://203.0.113.7/hook" }, timeout: "5s" },
    ]);
    const run = await dryRun(name);
    expect(run.status).toBe("awaiting_approval");
    expect(verdict(run).reasons).toEqual([
      { code: "secret_not_granted", stepId: "a", message: expect.stringContaining("NOT_GRANTED") },
      { code: "egress_denied", stepId: "b", message: expect.stringContaining("203.0.113.7") },
    ]);
  });

  it("a Kubernetes step: no agent, then an agent whose allow-list lacks the action (the issue's cordon-node)", async () => {
    const name = await publish([{ id: "cordon", action: "k8s.cordon", with: { cluster: "prod", node: "node-1" } }]);
    expect(verdict(await dryRun(name)).reasons).toEqual([{ code: "agent_missing", stepId: "cordon", message: expect.stringContaining("prod") }]);

    const now = new Date();
    await db.agentCluster.create({ data: { orgId: team.orgId, name: "prod", enrolledAt: now, connectedAt: now, lastHeartbeatAt: now, allowlist: ["k8s.rollout_restart"] } });
    const run = await dryRun(name);
    expect(verdict(run).reasons).toEqual([{ code: "agent_action_not_allowed", stepId: "cordon", message: "the agent in cluster prod does not allow k8s.cordon (its allow-list: k8s.rollout_restart)" }]);
    // Not asked of an agent that would refuse it.
    expect(await db.agentTrigger.count({ where: { runId: run.id } })).toBe(0);

    await db.agentCluster.updateMany({ where: { orgId: team.orgId }, data: { lastHeartbeatAt: new Date(Date.now() - 3600_000) } });
    expect(codes(verdict(await dryRun(name)).reasons)).toEqual(["agent_disconnected"]);
  });

  it("verify steps: no Prometheus, then one that does not answer", async () => {
    const name = await publish([{ id: "check", action: "verify", with: { query: "up == 1", deadline: "10s", interval: "1s" } }]);
    expect(verdict(await dryRun(name)).reasons).toEqual([{ code: "prometheus_missing", stepId: "check", message: expect.stringContaining("no Prometheus") }]);
    // Port 9 (discard): nothing listens.
    await db.prometheusSource.create({ data: { orgId: team.orgId, url: "http://127.0.0.1:9", authType: "none" } });
    expect(codes(verdict(await dryRun(name)).reasons)).toEqual(["prometheus_unreachable"]);
  });

  it("a label the steps need and the incident lacks: the plan is broken, the run fails with label_missing", async () => {
    const name = await publish([{ id: "call", action: "http", with: { url: `${target.url}/ns/{{ incident.labels.namespace }}` }, timeout: "5s" }]);
    const incident = await db.incident.create({ data: { orgId: team.orgId, title: "no namespace", severity: "warning", status: "open", labels: { service: "x" } } });
    const run = await dryRun(name, {}, incident.id);
    expect(run.status).toBe("failed");
    expect(codes(verdict(run).reasons)).toEqual(["label_missing"]);
    expect(run.error).toMatch(/incident\.labels\.namespace/);
  });
});

describe("approval of a run that cannot run", () => {
  async function missingSecretRun(path = `/purge-${uniq()}`) {
    await grantTestSecrets(team.orgId, ["CACHE_ADMIN_TOKEN"]);
    const run = await dryRun(await secretPlaybook("CACHE_ADMIN_TOKEN", path));
    expect(verdict(run).canRun).toBe(false);
    return run.id;
  }

  it("is refused with 409 CANNOT_RUN and the reasons; the refusal is audited", async () => {
    const runId = await missingSecretRun();
    const res = await approveApi(runId, "approver", { comment: "looks fine" });
    expect(res.status).toBe(409);
    expect(res.json.error).toMatchObject({ code: "CANNOT_RUN", message: expect.stringContaining("CACHE_ADMIN_TOKEN"), details: { reasons: [expect.objectContaining({ code: "secret_missing" })] } });
    expect((await getRun({ actor: team.admin, id: runId })).status).toBe("awaiting_approval");
    expect(await db.approval.count({ where: { runId } })).toBe(0);
    const refused = await db.auditEvent.findFirstOrThrow({ where: { orgId: team.orgId, targetId: runId, action: "run.approval_refused" } });
    expect(refused.data).toMatchObject({ reason: "cannot_run" });
  });

  it("a non-admin's override is 403", async () => {
    const runId = await missingSecretRun();
    const res = await approveApi(runId, "approver", { override: true, reason: "I know better" });
    expect(res.status).toBe(403);
    expect(await db.approval.count({ where: { runId } })).toBe(0);
  });

  it("an override needs a reason (400)", async () => {
    const runId = await missingSecretRun();
    expect((await approveApi(runId, "admin", { override: true })).status).toBe(400);
  });

  it("an admin's override approves it, audited with the reason in the approval's transaction; execution still reads nothing", async () => {
    const path = `/purge-${uniq()}`;
    const runId = await missingSecretRun(path);
    const res = await approveApi(runId, "admin", { override: true, reason: "the secret is being rolled out right now" });
    expect(res.status, res.text).toBe(200);
    expect(res.json.status).toBe("approved");
    const events = await db.auditEvent.findMany({ where: { orgId: team.orgId, targetId: runId }, orderBy: { seq: "asc" } });
    const i = events.findIndex((e) => e.action === "run.approval_override");
    expect(i).toBeGreaterThan(-1);
    expect(events[i]!.data).toMatchObject({ reason: "the secret is being rolled out right now", reasons: [expect.objectContaining({ code: "secret_missing" })] });
    // One transaction: the override, the approval and the move to approved are consecutive in the chain.
    expect(events.slice(i, i + 3).map((e) => e.action)).toEqual(["run.approval_override", "run.approval_recorded", "run.approved"]);
    expect(events[i + 1]!.data).toMatchObject({ override: "the secret is being rolled out right now" });
    expect((await verifyAuditChain(team.orgId)).ok).toBe(true);

    expect((await executeRun(runId)).status).toBe("failed");
    expect(target.calls(path)).toHaveLength(0);
  });

  it("is checked again at approval time: a grant revoked or a host no longer allowed after a clean dry-run → refused", async () => {
    await grantTestSecrets(team.orgId, ["CACHE_ADMIN_TOKEN"]);
    setSecret("CACHE_ADMIN_TOKEN");
    const run = await dryRun(await secretPlaybook("CACHE_ADMIN_TOKEN", `/purge-${uniq()}`));
    expect(verdict(run).canRun).toBe(true);
    await db.organization.update({ where: { id: team.orgId }, data: { secretGrants: [] } });
    const err = await approveRun({ actor: team.approver, id: run.id }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: "CANNOT_RUN", details: { reasons: [expect.objectContaining({ code: "secret_not_granted" })] } });

    await db.organization.update({ where: { id: team.orgId }, data: { secretGrants: ["CACHE_ADMIN_TOKEN"], egressAllowCidrs: [] } });
    await expect(approveRun({ actor: team.approver, id: run.id })).rejects.toMatchObject({ code: "CANNOT_RUN", details: { reasons: [expect.objectContaining({ code: "egress_denied" })] } });
  });

  it("the approval check does not read secrets (the web process need not hold them; the worker's dry-run did)", async () => {
    await grantTestSecrets(team.orgId, ["CACHE_ADMIN_TOKEN"]);
    setSecret("CACHE_ADMIN_TOKEN");
    const run = await dryRun(await secretPlaybook("CACHE_ADMIN_TOKEN", `/purge-${uniq()}`));
    delete process.env[testSecretVar(team.slug, "CACHE_ADMIN_TOKEN")];
    expect((await approveRun({ actor: team.approver, id: run.id })).status).toBe("approved");
  });

  it("the dry-run's word stands until it is redone: fixing the secret is not enough, requesting again is", async () => {
    const path = `/purge-${uniq()}`;
    const runId = await missingSecretRun(path);
    setSecret("CACHE_ADMIN_TOKEN");
    expect(((await approveRun({ actor: team.approver, id: runId }).catch((e: AppError) => e)) as AppError).code).toBe("CANNOT_RUN");

    const res = await callRoute(requestAgainRoute, { headers: bearer(await tokenFor(team.orgId, "operator")), params: { id: runId }, body: {}, path: `/api/v1/runs/${runId}/request-again` });
    expect(res.status, res.text).toBe(201);
    const again = res.json as { id: string; previousRunId: string; status: string };
    expect(again).toMatchObject({ previousRunId: runId, status: "dry_run" });
    // The old run no longer waits: one intent, one run awaiting approval.
    const old = await getRun({ actor: team.admin, id: runId });
    expect(old.status).toBe("cancelled");
    expect(old.nextRuns.map((r) => r.id)).toEqual([again.id]);

    await runDryRun(again.id);
    expect(verdict(await getRun({ actor: team.admin, id: again.id })).canRun).toBe(true);
    await approveRun({ actor: team.approver, id: again.id });
    expect((await executeRun(again.id)).status).toBe("succeeded");
    expect(target.calls(path)).toHaveLength(1);
    expect(await db.auditEvent.findFirst({ where: { orgId: team.orgId, targetId: runId, action: "run.requested_again" } })).toMatchObject({ data: { runId: again.id } });
  });
});

describe("request again", () => {
  it("a failed run: same playbook version, params and incident, a fresh dry-run", async () => {
    const path = `/fail-${uniq()}`;
    target.on(path, { status: 500 });
    const name = await publish([{ id: "call", action: "http", with: { url: `${target.url}${path}`, body: { service: "{{ params.service }}" } }, timeout: "5s" }], { params: { service: { type: "string", required: true } } });
    const first = await dryRun(name, { service: "checkout" });
    await approveRun({ actor: team.approver, id: first.id });
    expect((await executeRun(first.id)).status).toBe("failed");

    const again = await requestRunAgain({ actor: team.operator, id: first.id });
    expect(again).toMatchObject({ status: "dry_run", playbookVersionId: first.playbookVersionId, params: { service: "checkout" }, previousRunId: first.id });
    expect((await getRun({ actor: team.admin, id: first.id })).status).toBe("failed");
  });

  it("is refused for a run that is still on its way (409), and for a viewer (403)", async () => {
    const run = await dryRun(await publish([{ id: "w", action: "wait", with: { duration: "1ms" } }]));
    expect(verdict(run).canRun).toBe(true);
    expect(((await requestRunAgain({ actor: team.operator, id: run.id }).catch((e: AppError) => e)) as AppError).code).toBe("conflict");
    const res = await callRoute(requestAgainRoute, { headers: bearer(await tokenFor(team.orgId, "viewer")), params: { id: run.id }, body: {}, path: `/api/v1/runs/${run.id}/request-again` });
    expect(res.status).toBe(403);
  });
});

describe("a running verify step", () => {
  it("shows its current value and check count while it waits for the condition", async () => {
    // A Prometheus that always answers one series at 5: `expect: empty` never holds.
    const { createServer } = await import("node:http");
    const prom = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "success", data: { resultType: "vector", result: [{ metric: { job: "api" }, value: [Date.now() / 1000, "5"] }] } }));
    });
    await new Promise<void>((r) => prom.listen(0, "127.0.0.1", r));
    try {
      const { port } = prom.address() as import("node:net").AddressInfo;
      await db.prometheusSource.create({ data: { orgId: team.orgId, url: `http://127.0.0.1:${port}`, authType: "none" } });
      const name = await publish([{ id: "calm", action: "verify", with: { query: "errors > 0", expect: "empty", deadline: "4s", interval: "1s" }, timeout: "30s" }]);
      const run = await dryRun(name);
      expect(verdict(run).canRun).toBe(true);
      await approveRun({ actor: team.approver, id: run.id });
      const done = executeRun(run.id);
      type Progress = { checks?: number; value?: unknown };
      let seen = null as Progress | null;
      for (let i = 0; i < 60 && !(seen?.checks && seen.checks >= 2); i++) {
        await new Promise((r) => setTimeout(r, 100));
        const step = await db.runStep.findFirstOrThrow({ where: { runId: run.id, stepId: "calm" } });
        if (step.status === "started" && step.output) seen = step.output as unknown as Progress;
      }
      expect(seen).toMatchObject({ checks: expect.any(Number), value: 5, holds: false });
      expect(seen!.checks).toBeGreaterThanOrEqual(2);
      expect((await done).status).toBe("failed");
      const step = await db.runStep.findFirstOrThrow({ where: { runId: run.id, stepId: "calm" } });
      expect(step.output).toMatchObject({ value: 5, checks: expect.any(Number) });
    } finally {
      prom.closeAllConnections();
      await new Promise<void>((r) => prom.close(() => r()));
    }
  });
});
