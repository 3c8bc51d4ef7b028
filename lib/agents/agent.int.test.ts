// BYOC end to end, everything real but the Kubernetes API: the real agent process enrolls through the real
// enrollment route, dials the real gateway over a WebSocket on 127.0.0.1, verifies signed triggers and
// performs Kubernetes calls against a local API stand-in that records each request (no API server can run
// here; agent/README.md lists the checks that need a real cluster).
// Its own Redis prefix: the worker process started below must see this file's gateway and jobs only.
import "@/test/own-redis-prefix";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain";
import { requestRun } from "@/lib/orchestrator/request-run";
import { runDryRun } from "@/lib/orchestrator/dry-run";
import { approveRun } from "@/lib/orchestrator/approve-run";
import { asReport } from "@/lib/orchestrator/report";
import { executeRun } from "@/lib/orchestrator/execute-run";
import { getRun } from "@/lib/orchestrator/list-runs";
import { createCluster, deleteCluster, listClusters, reissueBootstrapToken } from "@/lib/agents/clusters";
import { scanMonitor } from "@/lib/monitors/scan-monitor";
import { startAgentGateway, type AgentGatewayServer } from "@/lib/agents/gateway";
import { awaitTrigger, closeOutcomeSubscriber, issueTrigger, signPayload, wireTrigger } from "@/lib/agents/triggers";
import { queryClusterRange } from "@/lib/agents/query";
import { controlPlaneAgentGateway } from "@/lib/agents/k8s-steps";
import { metrics } from "@/lib/metrics/registry";
import { AGENT_CONNECT_PATH, signBytes, type TriggerPayload } from "@/lib/agents/protocol";
import { POST as enrollRoute } from "@/app/api/v1/agent/enroll/route";
import { POST as remoteWriteRoute } from "@/app/api/v1/write/route";
import { createMonitor } from "@/lib/monitors/manage-monitors";
import { makeActor, makeOrg } from "@/test/factories";
import { playbookYaml, trustNewKey, uploadSigned } from "@/test/playbook-fixtures";
import { startFakeKubeApi, type FakeKubeApi, type RecordedRequest } from "@/test/fake-kube-api";
import { killAllAgents, startAgentProcess, type AgentProc } from "@/test/agent-process";
import { startRouteServer } from "@/test/prom/route-server";
import { eventually, missingBinaries, startMetricTarget, startPrometheus, stopAll } from "@/test/prom/harness";
import { kill9, killAllWorkers, startWorker, stopWorker, until } from "@/test/worker-process";

const missing = missingBinaries();
if (missing.length) throw new Error(`missing ${missing.join(", ")}: apt-get install -y prometheus prometheus-alertmanager`);

const ALLOWED = ["k8s.rollout_restart", "k8s.scale", "k8s.logs", "k8s.events", "prometheus.query_range"]; // not k8s.delete_pod

let gateway: AgentGatewayServer;
let kube: FakeKubeApi;
let app: Awaited<ReturnType<typeof startRouteServer>>;
let agent: AgentProc;
let team: { orgId: string; admin: Actor; operator: Actor; approver: Actor; sign: (s: string) => string };
let cluster: { id: string; name: string };
let bootstrapToken: string;
const gatewayLog: string[] = [];
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  const org = await makeOrg("byoc");
  const admin = await makeActor(org.id, "admin");
  const key = await trustNewKey(admin);
  team = { orgId: org.id, admin, operator: await makeActor(org.id, "operator"), approver: await makeActor(org.id, "approver"), sign: key.sign };
  gateway = await startAgentGateway({ port: 0, log: (l) => gatewayLog.push(l) });
  kube = await startFakeKubeApi();
  kube.addDeployment("shop", "web", 3);
  app = await startRouteServer({ "POST /api/v1/agent/enroll": enrollRoute, "POST /api/v1/write": remoteWriteRoute });
  const created = await createCluster({ actor: admin, input: { name: "prod-eu" } });
  cluster = created.cluster;
  bootstrapToken = created.bootstrapToken;
});

afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  await agent?.stop();
  killAllAgents();
  killAllWorkers();
  await gateway?.close();
  await kube?.close();
  await app?.stop();
  await closeOutcomeSubscriber();
  await stopAll();
});

const gatewayUrl = () => `ws://127.0.0.1:${gateway.port}${AGENT_CONNECT_PATH}`;
const uniq = () => randomBytes(4).toString("hex");
const mutations = (where: (r: RecordedRequest) => boolean) => kube.requests.filter((r) => r.method !== "GET" && r.method !== "POST" && where(r));

async function rejections(code: string) {
  const rows = await db.auditEvent.findMany({ where: { orgId: team.orgId, action: "agent.trigger_rejected" }, orderBy: { seq: "asc" } });
  return rows.filter((r) => (r.data as { code: string }).code === code);
}

/**
 * An approved run of one k8s.scale step, executing, with the agent's PATCH held by the API stand-in until
 * kube.release(): the agent is mid-step.
 */
async function scaleHeldMidStep(deployment: string, running: number, replicas: number) {
  kube.addDeployment("shop", deployment, running);
  const name = await publish([{ id: "scale", action: "k8s.scale", with: { namespace: "shop", deployment, replicas }, timeout: "30s" }]);
  const runId = await approvedRun(name);
  const isScale = (r: RecordedRequest) => r.method === "PATCH" && r.path === `/apis/apps/v1/namespaces/shop/deployments/${deployment}/scale` && r.query.dryRun === undefined;
  kube.hold(isScale);
  const execution = executeRun(runId);
  await kube.waitFor(isScale);
  return { runId, isScale, execution };
}

/** Cuts the agent's socket from the gateway's side and waits until the agent has dialled back in. */
async function dropAndAwaitReconnect() {
  const connects = () => gatewayLog.filter((l) => l.includes("connected (agent")).length;
  const before = connects();
  gateway.drop(cluster.id);
  await until("agent reconnected", async () => connects() > before && gateway.connected().includes(cluster.id), 20_000);
}

/** The rejection audited for one nonce, once it is there. */
const rejectionOf = (code: string, nonce: string) =>
  until(`${code} audited for ${nonce}`, async () => (await rejections(code)).find((e) => (e.data as { nonce: string }).nonce === nonce), 20_000);

/** A signed, valid-looking trigger for the agent's cluster, overridable field by field. */
async function trigger(over: Partial<TriggerPayload> = {}, signWith?: string) {
  const now = Date.now();
  const payload: TriggerPayload = {
    v: 1,
    clusterId: cluster.id,
    runId: null,
    stepId: null,
    nonce: randomBytes(18).toString("base64url"),
    playbookDigest: null,
    action: "k8s.scale",
    mode: "execute",
    params: { namespace: "shop", deployment: "web", replicas: 9 },
    issuedAt: new Date(now).toISOString(),
    expiresAt: new Date(now + 60_000).toISOString(),
    ...over,
  };
  if (!signWith) return { payload, wire: await signPayload(team.orgId, payload) };
  const text = JSON.stringify(payload);
  return { payload, wire: { payload: text, signature: signBytes(signWith, text) } };
}

async function publish(steps: Parameters<typeof playbookYaml>[2]) {
  const name = `agent-${uniq()}`;
  await uploadSigned(team.admin, playbookYaml(name, "low", steps), team.sign);
  return name;
}

async function approvedRun(name: string) {
  const run = await requestRun({ actor: team.operator, input: { playbook: name, params: {} } });
  await runDryRun(run.id);
  await approveRun({ actor: team.approver, id: run.id });
  return run.id;
}

describe("BYOC agent", () => {
  it("enrolls with the one-time token (then burnt), connects over WebSocket and shows as connected", async () => {
    agent = startAgentProcess({ controlPlaneUrl: app.url, gatewayUrl: gatewayUrl(), kubeApiUrl: kube.url, bootstrapToken, allowlist: ALLOWED });
    await agent.waitFor(/connected to ws:/);

    const row = await db.agentCluster.findUniqueOrThrow({ where: { id: cluster.id } });
    expect(row.bootstrapTokenHash).toBeNull();
    const identity = JSON.parse(readFileSync(path.join(agent.dir, "identity.json"), "utf8")) as { clusterId: string; publicKeyPem: string; privateKeyPem: string };
    expect(identity.clusterId).toBe(cluster.id);
    expect(row.publicKeyPem?.trim()).toBe(identity.publicKeyPem.trim());
    // The private key stayed with the agent.
    expect(JSON.stringify(await db.agentCluster.findMany({ where: { orgId: team.orgId } }))).not.toContain(identity.privateKeyPem.split("\n")[1]);

    // The token is burnt: a second enrollment with it is refused.
    const again = await fetch(`${app.url}/api/v1/agent/enroll`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ bootstrapToken, publicKeyPem: generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ type: "spki", format: "pem" }) }),
    });
    expect(again.status).toBe(401);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe("unauthenticated");

    const [listed] = await listClusters({ actor: team.admin });
    expect(listed).toMatchObject({ id: cluster.id, name: "prod-eu", state: "connected", agentVersion: "0.1.0" });
    expect([...listed!.allowlist].sort()).toEqual([...ALLOWED].sort());
    expect(gateway.connected()).toEqual([cluster.id]);
    const audit = await db.auditEvent.findMany({ where: { orgId: team.orgId, targetId: cluster.id }, orderBy: { seq: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["agent.cluster_created", "agent.enrolled", "agent.connected"]);
  });

  it("an approved run's k8s.rollout_restart step is dry-run and executed by the agent, and its result lands on the step", async () => {
    const name = await publish([{ id: "restart", action: "k8s.rollout_restart", with: { namespace: "shop", deployment: "web" }, timeout: "20s" }]);
    const before = kube.requests.length;
    const runId = await approvedRun(name);

    // The dry-run stage went to the agent as a server-side dry run.
    const dryRun = kube.requests.slice(before);
    expect(dryRun).toHaveLength(1);
    expect(dryRun[0]).toMatchObject({ method: "PATCH", path: "/apis/apps/v1/namespaces/shop/deployments/web", query: { dryRun: "All" }, contentType: "application/strategic-merge-patch+json" });
    const report = (await db.run.findUniqueOrThrow({ where: { id: runId } })).dryRunReport as { steps: { plan: { summary: string } }[] };
    expect(report.steps[0]!.plan.summary).toMatch(/^restart deployment shop\/web: .*dry run/);

    expect((await executeRun(runId)).status).toBe("succeeded");
    const executed = kube.requests.slice(before + 1);
    expect(executed).toHaveLength(1);
    const step = (await db.runStep.findFirstOrThrow({ where: { runId } }));
    expect(executed[0]).toMatchObject({ method: "PATCH", path: "/apis/apps/v1/namespaces/shop/deployments/web", contentType: "application/strategic-merge-patch+json" });
    expect(executed[0]!.query.dryRun).toBeUndefined();
    expect(executed[0]!.body).toEqual({ spec: { template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": step.idempotencyKey } } } } });

    const run = await getRun({ actor: team.admin, id: runId });
    expect(run.status).toBe("succeeded");
    expect(run.steps[0]).toMatchObject({ status: "succeeded" });
    expect(run.steps[0]!.output).toMatchObject({ cluster: "prod-eu", exitStatus: 0 });

    const t = await db.agentTrigger.findFirstOrThrow({ where: { runId, mode: "execute" } });
    expect(t).toMatchObject({ status: "succeeded", action: "k8s.rollout_restart", attempt: 1 });
    const signed = JSON.parse(t.payload) as TriggerPayload;
    const version = await db.run.findUniqueOrThrow({ where: { id: runId }, include: { playbookVersion: true } });
    expect(signed).toMatchObject({ clusterId: cluster.id, runId, stepId: "restart", playbookDigest: version.playbookVersion.digest, action: "k8s.rollout_restart", mode: "execute" });
    expect(Date.parse(signed.expiresAt) - Date.parse(signed.issuedAt)).toBeLessThanOrEqual(5 * 60_000);
    const audited = await db.auditEvent.findMany({ where: { orgId: team.orgId, targetId: t.id } });
    expect(audited.map((a) => a.action)).toEqual(["agent.action_succeeded"]);
    expect((await verifyAuditChain(team.orgId)).ok).toBe(true);
  });

  it("rejects and audits a forged signature", async () => {
    const forger = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
    const { payload, wire } = await trigger({}, forger.export({ type: "pkcs8", format: "pem" }) as string);
    const before = kube.requests.length;
    gateway.sendRaw(cluster.id, { type: "trigger", trigger: wire });
    const r = await rejectionOf("bad_signature", payload.nonce);
    expect(r.targetId).toBe(cluster.id);
    expect(kube.requests.length).toBe(before);
    expect(await metrics().registry.getSingleMetricAsString("agent_trigger_rejections_total")).toMatch(/agent_trigger_rejections_total\{code="bad_signature"\} [1-9]/);
  });

  it("rejects and audits an expired trigger", async () => {
    const old = Date.now() - 10 * 60_000;
    const { payload, wire } = await trigger({ issuedAt: new Date(old).toISOString(), expiresAt: new Date(old + 5 * 60_000).toISOString() });
    const before = kube.requests.length;
    gateway.sendRaw(cluster.id, { type: "trigger", trigger: wire });
    const r = await rejectionOf("expired", payload.nonce);
    expect((r.data as { reason: string }).reason).toMatch(/expired at/);
    // A lifetime over five minutes is refused too, even when it has not run out yet.
    const long = await trigger({ expiresAt: new Date(Date.now() + 6 * 60_000).toISOString() });
    gateway.sendRaw(cluster.id, { type: "trigger", trigger: long.wire });
    expect(((await rejectionOf("expired", long.payload.nonce)).data as { reason: string }).reason).toMatch(/lifetime 360 s/);
    expect(kube.requests.length).toBe(before);
  });

  it("rejects and audits a replayed nonce (a finished trigger sent again), leaving the stored result alone", async () => {
    const done = await db.agentTrigger.findFirstOrThrow({ where: { clusterId: cluster.id, status: "succeeded", mode: "execute" } });
    const before = kube.requests.length;
    gateway.sendRaw(cluster.id, { type: "trigger", trigger: wireTrigger(done) });
    await rejectionOf("replayed_nonce", done.nonce);
    expect(kube.requests.length).toBe(before);
    expect((await db.agentTrigger.findUniqueOrThrow({ where: { id: done.id } })).status).toBe("succeeded");
  });

  it("rejects and audits a trigger for another cluster", async () => {
    const other = await createCluster({ actor: team.admin, input: { name: `other-${uniq()}` } });
    const { payload, wire } = await trigger({ clusterId: other.cluster.id });
    const before = kube.requests.length;
    gateway.sendRaw(cluster.id, { type: "trigger", trigger: wire });
    const r = await rejectionOf("wrong_cluster", payload.nonce);
    expect((r.data as { reason: string }).reason).toContain(other.cluster.id);
    expect(kube.requests.length).toBe(before);
  });

  it("rejects and audits an action that is not on the agent's allowlist: the dry run says the run cannot run, approval is refused; a trigger that gets through anyway is refused", async () => {
    kube.addPod("shop", "web-7d9f-abcde");
    const name = await publish([{ id: "kill", action: "k8s.delete_pod", with: { namespace: "shop", pod: "web-7d9f-abcde" }, timeout: "20s" }]);
    const before = kube.requests.length;
    const run = await requestRun({ actor: team.operator, input: { playbook: name, params: {} } });
    await runDryRun(run.id);
    const planned = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    // The allow-list the agent reported says so; the agent is not even asked.
    expect(asReport(planned.dryRunReport)!.verdict).toMatchObject({ canRun: false, reasons: [{ code: "agent_action_not_allowed", stepId: "kill", message: expect.stringMatching(/does not allow k8s\.delete_pod/) }] });
    expect(await db.agentTrigger.count({ where: { runId: run.id } })).toBe(0);
    await expect(approveRun({ actor: team.approver, id: run.id })).rejects.toMatchObject({ code: "CANNOT_RUN" });

    // A dry-run trigger that reaches the agent anyway is refused by the agent itself.
    const dry = await issueTrigger({ orgId: team.orgId, clusterId: cluster.id, runId: run.id, stepId: "kill", attempt: null, playbookDigest: null, mode: "dryRun", action: "k8s.delete_pod", params: { namespace: "shop", pod: "web-7d9f-abcde" } });
    expect((await awaitTrigger(dry.id, AbortSignal.timeout(20_000))).status).toBe("rejected");
    await rejectionOf("action_not_allowed", dry.nonce);

    // The control plane itself sends nothing for a run that is not executing.
    const ctx = { orgId: team.orgId, runId: run.id, stepId: "kill", playbookDigest: "0".repeat(64), prometheus: null, idempotencyKey: "k", attempt: 1, signal: AbortSignal.timeout(5000) };
    await expect(controlPlaneAgentGateway.execute({ action: "k8s.delete_pod", namespace: "shop", pod: "web-7d9f-abcde", idempotencyKey: "k" }, ctx)).rejects.toThrow(/run is awaiting_approval: only steps of an approved, executing run/);
    expect(await db.agentTrigger.count({ where: { runId: run.id, mode: "execute" } })).toBe(0);

    // Execution mode (as if the allowlist had shrunk after approval): refused by the agent the same way.
    const exec = await issueTrigger({ orgId: team.orgId, clusterId: cluster.id, runId: run.id, stepId: "kill", attempt: 1, playbookDigest: null, mode: "execute", action: "k8s.delete_pod", params: { namespace: "shop", pod: "web-7d9f-abcde" } });
    expect((await awaitTrigger(exec.id, AbortSignal.timeout(20_000))).status).toBe("rejected");
    expect((await rejectionOf("action_not_allowed", exec.nonce)).targetId).toBe(exec.id);
    expect(kube.requests.length).toBe(before);
  });

  it("a connection dropped mid-step does not run the step twice: the agent reconnects and delivers the result it kept", async () => {
    const { runId, isScale, execution } = await scaleHeldMidStep("api", 2, 5);
    await dropAndAwaitReconnect();
    kube.release();

    expect((await execution).status).toBe("succeeded");
    expect(mutations(isScale)).toHaveLength(1);
    const step = await db.runStep.findFirstOrThrow({ where: { runId } });
    expect(step).toMatchObject({ status: "succeeded", attempts: 1 });
    expect(await db.agentTrigger.count({ where: { runId, mode: "execute" } })).toBe(1);
    expect(agent.output.join("")).toMatch(/disconnected .*reconnecting in \d+ ms/);
  });

  it("a result produced while the gateway was down is kept by the agent and delivered after it comes back", async () => {
    const { runId, isScale, execution } = await scaleHeldMidStep("search", 1, 3);
    // The gateway process goes away (deploy, crash); the action finishes while nobody is listening.
    const port = gateway.port;
    await gateway.close();
    const disconnects = agent.output.join("").split("disconnected").length;
    kube.release();
    await until("the agent noticed", async () => agent.output.join("").split("disconnected").length > disconnects, 10_000);
    await until("the action finished", async () => (await db.agentTrigger.findFirst({ where: { runId, mode: "execute" } }))?.status === "accepted" && mutations(isScale).length === 1, 10_000);

    gateway = await startAgentGateway({ port, log: (l) => gatewayLog.push(l) });
    expect((await execution).status).toBe("succeeded");
    expect(mutations(isScale)).toHaveLength(1);
    const t = await db.agentTrigger.findFirstOrThrow({ where: { runId, mode: "execute" } });
    expect(t.status).toBe("succeeded");
    expect((t.outcome as { summary: string }).summary).toBe("scaled deployment shop/search to 3 replicas (1 running before)");
  });

  it("a trigger whose acceptance was lost with the connection is sent again, and the agent answers from its journal instead of running it twice", async () => {
    const { runId, isScale, execution } = await scaleHeldMidStep("cart", 1, 4);
    const t = await until("trigger accepted", async () => db.agentTrigger.findFirst({ where: { runId, mode: "execute", status: "accepted" } }));
    // As if the agent's "accepted" had been lost with the socket: the gateway re-sends the trigger on reconnect.
    await db.agentTrigger.update({ where: { id: t.id }, data: { status: "sent" } });
    await dropAndAwaitReconnect();
    await until("re-sent trigger accepted again", async () => (await db.agentTrigger.findUniqueOrThrow({ where: { id: t.id } })).status === "accepted", 20_000);
    kube.release();

    expect((await execution).status).toBe("succeeded");
    expect(mutations(isScale)).toHaveLength(1);
    expect((await db.runStep.findFirstOrThrow({ where: { runId } })).attempts).toBe(1);
  });

  it("a worker killed mid-step: the next attempt adopts the trigger the agent is running, so the restart happens once", async () => {
    kube.addDeployment("shop", "queue", 1);
    const name = await publish([{ id: "restart", action: "k8s.rollout_restart", with: { namespace: "shop", deployment: "queue" }, timeout: "60s", retries: 2 }]);
    const isPatch = (r: RecordedRequest) => r.method === "PATCH" && r.path === "/apis/apps/v1/namespaces/shop/deployments/queue" && r.query.dryRun === undefined;
    kube.hold(isPatch);
    const first = startWorker({ WORKER_QUEUES: "orchestrator:2" });
    await first.started;
    const runId = await approvedRun(name); // approval enqueues the execution, which the worker picks up
    await kube.waitFor(isPatch, 30_000);
    await kill9(first);

    const second = startWorker({ WORKER_QUEUES: "orchestrator:2" });
    await second.started;
    await until("the recovered attempt started", async () => db.runStep.findFirst({ where: { runId, attempts: 2 } }), 30_000);
    kube.release();
    const run = await until("run finished", async () => {
      const r = await db.run.findUniqueOrThrow({ where: { id: runId } });
      return ["succeeded", "failed"].includes(r.status) ? r : null;
    }, 30_000);
    await stopWorker(second);

    expect(run.status).toBe("succeeded");
    expect(mutations(isPatch)).toHaveLength(1);
    expect(await db.agentTrigger.count({ where: { runId, mode: "execute" } })).toBe(1);
    const step = await db.runStep.findFirstOrThrow({ where: { runId } });
    expect(step).toMatchObject({ status: "succeeded", attempts: 2 });
  }, 90_000);

  it("a trigger whose wake-up was lost (no Redis message) is delivered by the gateway's sweep", async () => {
    const { payload, wire } = await trigger({ action: "k8s.scale", params: { namespace: "shop", deployment: "web", replicas: 2 } });
    // Stored as issueTrigger stores it, but nobody publishes the dispatch message.
    const row = await db.agentTrigger.create({
      data: { orgId: team.orgId, clusterId: cluster.id, mode: "execute", action: payload.action, nonce: payload.nonce, payload: wire.payload, signature: wire.signature, expiresAt: new Date(payload.expiresAt) },
    });
    const done = await awaitTrigger(row.id, AbortSignal.timeout(20_000));
    expect(done.status).toBe("succeeded");
    expect(done.sentAt).not.toBeNull();
  });

  it("a restarted agent keeps its identity and journal: it reconnects without a token and refuses a replay of what it ran before", async () => {
    await agent.stop();
    await until("gateway saw the agent go", async () => !gateway.connected().includes(cluster.id), 10_000);
    agent = startAgentProcess({ controlPlaneUrl: app.url, gatewayUrl: gatewayUrl(), kubeApiUrl: kube.url, allowlist: ALLOWED, dir: agent.dir });
    await agent.waitFor(/connected to ws:/);
    const done = await db.agentTrigger.findFirstOrThrow({ where: { clusterId: cluster.id, status: "succeeded", action: "k8s.scale" } });
    const before = kube.requests.length;
    gateway.sendRaw(cluster.id, { type: "trigger", trigger: wireTrigger(done) });
    await until("replay after restart audited", async () => (await rejections("replayed_nonce")).filter((e) => (e.data as { nonce: string }).nonce === done.nonce).length === 1, 20_000);
    expect(kube.requests.length).toBe(before);
  });

  it("relays range queries to the in-cluster Prometheus and forwards its remote_write, authenticated and size-limited", async () => {
    // A second cluster whose agent relays metrics: Prometheus needs the relay's port and the agent needs
    // Prometheus' URL, so the relay's port is picked first.
    const metrics = await createCluster({ actor: team.admin, input: { name: `metrics-${uniq()}` } });
    const relayPort = await freePort();
    const target = await startMetricTarget({ metricName: "agent_relay_gauge", labels: { service: "cart" }, initial: 4 });
    cleanups.push(target.stop);
    const monitor = await createMonitor({ actor: team.admin, input: { name: "relayed", query: `agent_relay_gauge{service="cart"}`, enabled: false } });
    await db.monitor.update({ where: { id: monitor.id }, data: { enabled: true } });
    // No credential for the control plane in Prometheus' config, only the relay secret, read from a file as
    // the chart's NOTES say (`credentials_file`); the agent reads the same secret from its own mount.
    const relaySecretFile = path.join(agent.dir, `relay-secret-${uniq()}`);
    const relaySecret = randomBytes(32).toString("hex");
    writeFileSync(relaySecretFile, `${relaySecret}\n`);
    const prom = await startPrometheus({ scrapeTargets: [target.hostPort], scrapeInterval: "1s", remoteWrite: [{ url: `http://127.0.0.1:${relayPort}/api/v1/write`, credentialsFile: relaySecretFile }] });
    cleanups.push(prom.stop);
    const relayAgent = startAgentProcess({
      controlPlaneUrl: app.url,
      gatewayUrl: gatewayUrl(),
      kubeApiUrl: kube.url,
      bootstrapToken: metrics.bootstrapToken,
      allowlist: ALLOWED,
      prometheusUrl: prom.url,
      env: { NEURALOPS_LISTEN: `127.0.0.1:${relayPort}`, NEURALOPS_MAX_WRITE_BYTES: "65536", NEURALOPS_RELAY_SECRET_FILE: relaySecretFile },
    });
    cleanups.push(() => relayAgent.stop());
    await relayAgent.waitFor(/connected to ws:/);

    const series = await eventually(async () => (await db.monitorSeries.findFirst({ where: { monitorId: monitor.id } })) ?? undefined, { timeoutMs: 40_000, what: "series via the agent's relay" });
    expect(series.labels).toMatchObject({ __name__: "agent_relay_gauge", service: "cart" });
    expect(app.hits.filter((h) => h.path === "/api/v1/write").every((h) => h.status === 200)).toBe(true);

    // Oversized batches never leave the cluster.
    const writes = app.hits.length;
    const remoteWrite = { "content-type": "application/x-protobuf", "content-encoding": "snappy" };
    const big = await fetch(`http://127.0.0.1:${relayPort}/api/v1/write`, { method: "POST", headers: { ...remoteWrite, authorization: `Bearer ${relaySecret}` }, body: new Uint8Array(65537) });
    expect(big.status).toBe(413);
    expect(app.hits.slice(writes).filter((h) => h.status !== 200)).toEqual([]);
    // Any other pod that reaches the relay without the relay secret gets 401, and nothing goes out with the
    // agent's ingest token on its behalf.
    const sniffed = await fetch(`http://127.0.0.1:${relayPort}/api/v1/write`, { method: "POST", headers: remoteWrite, body: new Uint8Array(10) });
    expect(sniffed.status).toBe(401);
    const guessed = await fetch(`http://127.0.0.1:${relayPort}/api/v1/write`, { method: "POST", headers: { ...remoteWrite, authorization: "Bearer guess" }, body: new Uint8Array(10) });
    expect(guessed.status).toBe(401);
    expect(app.hits.slice(writes).filter((h) => h.status !== 200)).toEqual([]);

    const now = Math.floor(Date.now() / 1000);
    const answer = await eventually(
      async () => {
        const r = await queryClusterRange({ actor: team.admin, clusterId: metrics.cluster.id, input: { query: `agent_relay_gauge{service="cart"}`, start: now - 60, end: now + 5, step: 1 } });
        const result = (r.data as { result: { metric: Record<string, string>; values: [number, string][] }[] }).result;
        return result.length ? result : undefined;
      },
      { timeoutMs: 30_000, what: "range query through the agent" },
    );
    expect(answer[0]!.metric).toMatchObject({ service: "cart" });
    expect(answer[0]!.values.at(-1)![1]).toBe("4");
    const q = await db.agentTrigger.findFirstOrThrow({ where: { clusterId: metrics.cluster.id, action: "prometheus.query_range", status: "succeeded" } });
    expect(q.runId).toBeNull();

    // A monitor can read from the cluster's Prometheus through the agent: its scans go out as query triggers.
    const pulled = await createMonitor({ actor: team.admin, input: { name: "pulled via agent", query: `agent_relay_gauge{service="cart"}`, stepSeconds: 1, clusterId: metrics.cluster.id, enabled: false } });
    await db.monitor.update({ where: { id: pulled.id }, data: { enabled: true } });
    // A scan covers up to the last whole step: repeat until one has a scraped point in its window.
    const scan = await eventually(async () => {
      const r = await scanMonitor({ monitorId: pulled.id });
      return r.series ? r : undefined;
    }, { timeoutMs: 20_000, what: "a scan through the agent with data" });
    expect(scan.series).toBe(1);
    expect(scan.scored).toBeGreaterThan(0);
    const state = await db.monitorSeries.findFirstOrThrow({ where: { monitorId: pulled.id } });
    expect(state.labels).toMatchObject({ __name__: "agent_relay_gauge", service: "cart" });
    await expect(deleteCluster({ actor: team.admin, id: metrics.cluster.id })).rejects.toMatchObject({ code: "conflict" });
    // Another org's cluster is not a valid source.
    const stranger = await makeActor((await makeOrg("other")).id, "admin");
    await expect(createMonitor({ actor: stranger, input: { name: "x", query: "up", clusterId: metrics.cluster.id } })).rejects.toMatchObject({ code: "validation_failed" });
  }, 120_000);

  it("with several clusters, a step without 'cluster' goes to the cluster its incident's `cluster` label names", async () => {
    expect(await db.agentCluster.count({ where: { orgId: team.orgId, enrolledAt: { not: null } } })).toBeGreaterThan(1);
    const name = await publish([{ id: "restart", action: "k8s.rollout_restart", with: { namespace: "shop", deployment: "web" }, timeout: "20s" }]);
    // Without an incident it is ambiguous, and the dry run says so before anyone approves.
    const lone = await requestRun({ actor: team.operator, input: { playbook: name, params: {} } });
    await runDryRun(lone.id);
    const { reasons } = asReport((await db.run.findUniqueOrThrow({ where: { id: lone.id } })).dryRunReport)!.verdict;
    expect(reasons).toEqual([{ code: "cluster_ambiguous", stepId: "restart", message: expect.stringMatching(/this organization has \d clusters \(.*prod-eu.*\): name one with 'cluster'/) }]);

    const incident = await db.incident.create({ data: { orgId: team.orgId, title: "web is down", labels: { cluster: "prod-eu", service: "web" } } });
    const run = await requestRun({ actor: team.operator, input: { playbook: name, params: {}, incidentId: incident.id } });
    await runDryRun(run.id);
    expect((await db.agentTrigger.findFirstOrThrow({ where: { runId: run.id, mode: "dryRun" } })).clusterId).toBe(cluster.id);
  });

  it("a monitor whose cluster's agent is not connected records why its scan failed, and is retried", async () => {
    const offline = await createCluster({ actor: team.admin, input: { name: `offline-${uniq()}` } });
    await db.agentCluster.update({ where: { id: offline.cluster.id }, data: { enrolledAt: new Date(), publicKeyPem: "x" } });
    const m = await createMonitor({ actor: team.admin, input: { name: `offline-${uniq()}`, query: "up", clusterId: offline.cluster.id, enabled: false } });
    await db.monitor.update({ where: { id: m.id }, data: { enabled: true } });
    const err = await scanMonitor({ monitorId: m.id }).then(() => null, (e: unknown) => e);
    expect(err).toMatchObject({ name: "PrometheusError", kind: "unavailable", retryable: true });
    expect((await db.monitor.findUniqueOrThrow({ where: { id: m.id } })).lastError).toMatch(/agent in cluster offline-.* is not connected/);
  });

  it("a re-issued token cuts the old identity off at once: its live session is closed and it cannot come back", async () => {
    const fresh = await reissueBootstrapToken({ actor: team.admin, id: cluster.id });
    expect(fresh.bootstrapToken).toMatch(/^nob_/);
    await until("old session closed", async () => !gateway.connected().includes(cluster.id), 5000);
    await agent.waitFor(/disconnected \(4401 identity replaced\)/, 5000);
    // It dials again and is refused at the hello.
    await agent.waitFor(/unauthenticated/, 20_000);
    expect(gateway.connected()).not.toContain(cluster.id);
    expect((await db.agentCluster.findUniqueOrThrow({ where: { id: cluster.id } })).publicKeyPem).toBeNull();
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
