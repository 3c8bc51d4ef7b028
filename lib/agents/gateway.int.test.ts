// The gateway's own defences, against real gateway instances (several, sharing Redis as in production) and
// real WebSocket clients that play the agent (a long sweep interval where a test must show that one
// particular mechanism, not the periodic sweep, did the work): identity replacement across gateways, frame and connection
// limits before the handshake, and a malformed result that must end instead of being retried forever.
import "@/test/own-redis-prefix";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";
import WebSocket from "ws";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { createCluster, reissueBootstrapToken } from "@/lib/agents/clusters";
import { enrollAgent } from "@/lib/agents/enroll";
import { startAgentGateway, type AgentGatewayServer, type GatewayOptions } from "@/lib/agents/gateway";
import { closeOutcomeSubscriber, evictionChannel, issueTrigger, outcomeOf } from "@/lib/agents/triggers";
import { redis } from "@/lib/redis";
import { AGENT_CONNECT_PATH, helloBytes, signBytes, ZServerMessage, type AgentMessage, type ServerMessage } from "@/lib/agents/protocol";
import { makeActor, makeOrg } from "@/test/factories";
import { until } from "@/test/worker-process";

let admin: Actor;
const gateways: AgentGatewayServer[] = [];
const clients: WebSocket[] = [];
const logs: string[] = [];

beforeAll(async () => {
  const org = await makeOrg("gw");
  admin = await makeActor(org.id, "admin");
});

afterEach(() => {
  for (const c of clients.splice(0)) c.terminate();
});

afterAll(async () => {
  for (const g of gateways) await g.close();
  await closeOutcomeSubscriber();
});

async function gateway(opts: GatewayOptions = {}) {
  const g = await startAgentGateway({ port: 0, log: (l) => logs.push(l), ...opts });
  gateways.push(g);
  return g;
}

/** A cluster enrolled through the real enrollment code, with the agent's private key kept here. */
async function enrolledCluster() {
  const created = await createCluster({ actor: admin, input: { name: `c-${randomBytes(4).toString("hex")}` } });
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  await enrollAgent({ bootstrapToken: created.bootstrapToken, publicKeyPem: publicKey.export({ type: "spki", format: "pem" }) });
  return { id: created.cluster.id, privateKey };
}

type Client = {
  ws: WebSocket;
  messages: ServerMessage[];
  closed: Promise<{ code: number; reason: string }>;
  send(m: AgentMessage | Record<string, unknown>): void;
  next(type: ServerMessage["type"], timeoutMs?: number): Promise<ServerMessage>;
};

/** Opens a socket to the gateway; nothing is sent until the caller says so. */
async function open(g: AgentGatewayServer, headers: Record<string, string> = {}): Promise<Client> {
  const ws = new WebSocket(`ws://127.0.0.1:${g.port}${AGENT_CONNECT_PATH}`, { headers, maxPayload: 64 * 1024 * 1024 });
  clients.push(ws);
  const messages: ServerMessage[] = [];
  const waiters: (() => void)[] = [];
  ws.on("message", (data) => {
    messages.push(ZServerMessage.parse(JSON.parse(data.toString())));
    waiters.splice(0).forEach((w) => w());
  });
  ws.on("error", () => {});
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })));
  await new Promise<void>((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  let seen = 0;
  return {
    ws,
    messages,
    closed,
    send: (m) => ws.send(JSON.stringify(m)),
    async next(type, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const i = messages.findIndex((m, j) => j >= seen && m.type === type);
        if (i >= 0) {
          seen = i + 1;
          return messages[i]!;
        }
        if (Date.now() > deadline) throw new Error(`no ${type} within ${timeoutMs} ms (got ${messages.map((m) => m.type).join(", ")})`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 100);
        });
      }
    },
  };
}

/** A client through the handshake: challenge, signed hello, welcome. */
async function connectAs(g: AgentGatewayServer, cluster: { id: string; privateKey: KeyObject }): Promise<Client> {
  const c = await open(g);
  const challenge = (await c.next("challenge")) as Extract<ServerMessage, { type: "challenge" }>;
  c.send({ type: "hello", clusterId: cluster.id, signature: signBytes(cluster.privateKey, helloBytes(cluster.id, challenge.nonce)), version: "test", allowlist: ["k8s.scale"] });
  await c.next("welcome");
  await until("session registered", async () => g.connected().includes(cluster.id), 5000);
  return c;
}

const within = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms))]);

const scaleTrigger = (orgId: string, clusterId: string) =>
  issueTrigger({ orgId, clusterId, runId: null, stepId: null, attempt: null, playbookDigest: null, mode: "execute", action: "k8s.scale", params: { namespace: "shop", deployment: "web", replicas: 2 } });

describe("agent gateway: a replaced identity loses its session everywhere", () => {
  it("re-enrollment closes the old key's session on another gateway process (eviction over Redis)", async () => {
    const here = await gateway({ sweepMs: 60_000 });
    const there = await gateway({ sweepMs: 60_000 });
    const cluster = await enrolledCluster();
    const old = await connectAs(there, cluster);
    expect(here.connected()).not.toContain(cluster.id);

    await reissueBootstrapToken({ actor: admin, id: cluster.id });
    const closed = await within(old.closed, 5000, "old session closed");
    expect(closed.code).toBe(4401);
    expect(there.connected()).not.toContain(cluster.id);
  });

  it("a key replaced while the eviction message was lost is caught at the next delivery: the trigger is not sent to the old key", async () => {
    const g = await gateway({ sweepMs: 60_000 });
    const cluster = await enrolledCluster();
    const old = await connectAs(g, cluster);
    // As if the admin re-enrolled and the new agent enrolled, but no eviction reached this gateway.
    const replacement = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ type: "spki", format: "pem" }) as string;
    await db.agentCluster.update({ where: { id: cluster.id }, data: { publicKeyPem: replacement, fingerprint: "f".repeat(64) } });

    const t = await scaleTrigger(admin.orgId, cluster.id);
    expect((await within(old.closed, 10_000, "old session closed")).code).toBe(4401);
    expect(old.messages.filter((m) => m.type === "trigger")).toEqual([]);
    expect((await db.agentTrigger.findUniqueOrThrow({ where: { id: t.id } })).status).toBe("pending");
    expect(g.connected()).not.toContain(cluster.id);
  });

  it("a key replaced with no message and no trigger is caught by the sweep", async () => {
    const g = await gateway({ sweepMs: 300 });
    const cluster = await enrolledCluster();
    const old = await connectAs(g, cluster);
    await db.agentCluster.update({ where: { id: cluster.id }, data: { publicKeyPem: null, fingerprint: null, enrolledAt: null } });
    expect((await within(old.closed, 3000, "old session closed")).code).toBe(4401);
  });

  it("the current key keeps its session through an eviction message for its cluster", async () => {
    const g = await gateway();
    const cluster = await enrolledCluster();
    const current = await connectAs(g, cluster);
    await redis().publish(evictionChannel(), cluster.id);
    await new Promise((r) => setTimeout(r, 300));
    expect(current.ws.readyState).toBe(WebSocket.OPEN);
    const t = await scaleTrigger(admin.orgId, cluster.id);
    const got = (await current.next("trigger")) as Extract<ServerMessage, { type: "trigger" }>;
    expect(JSON.parse(got.trigger.payload)).toMatchObject({ nonce: t.nonce });
    expect(g.connected()).toContain(cluster.id);
  });
});

describe("agent gateway: a malformed result ends instead of looping", () => {
  it("answers an over-long summary with result_rejected for its nonce and fails the trigger permanently", async () => {
    const g = await gateway();
    const cluster = await enrolledCluster();
    const c = await connectAs(g, cluster);
    const t = await scaleTrigger(admin.orgId, cluster.id);
    await c.next("trigger");
    c.send({ type: "accepted", nonce: t.nonce });
    c.send({ type: "result", nonce: t.nonce, outcome: { ok: true, exitStatus: 0, summary: "x".repeat(2001) } });

    const answer = await c.next("result_rejected");
    expect(answer).toMatchObject({ type: "result_rejected", nonce: t.nonce });
    expect(c.messages.filter((m) => m.type === "result_ack")).toEqual([]);
    const row = await until("trigger failed", async () => {
      const r = await db.agentTrigger.findUniqueOrThrow({ where: { id: t.id } });
      return r.status === "failed" ? r : null;
    }, 5000);
    // 4xx: the orchestrator does not retry it (the same agent would send the same result again).
    expect(outcomeOf(row)).toMatchObject({ ok: false, exitStatus: 422 });
    expect(outcomeOf(row)!.summary).toMatch(/malformed/);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { orgId: admin.orgId, targetId: t.id } });
    expect(audit.action).toBe("agent.action_failed");
    // The session stays: one bad message is not a reason to drop the agent.
    expect(g.connected()).toContain(cluster.id);
  });
});

describe("agent gateway: limits before the handshake", () => {
  it("closes an unauthenticated socket that sends a frame over 16 KiB (1009), and allows the normal limit once authenticated", async () => {
    const g = await gateway();
    const stranger = await open(g);
    await stranger.next("challenge");
    stranger.ws.send("x".repeat(17 * 1024));
    expect((await within(stranger.closed, 5000, "stranger closed")).code).toBe(1009);

    // After the hello a large result (here 1 MiB of output) is read and stored.
    const cluster = await enrolledCluster();
    const c = await connectAs(g, cluster);
    const t = await scaleTrigger(admin.orgId, cluster.id);
    await c.next("trigger");
    c.send({ type: "result", nonce: t.nonce, outcome: { ok: true, exitStatus: 0, summary: "big", output: { logs: "y".repeat(1024 * 1024) } } });
    expect(await c.next("result_ack")).toMatchObject({ nonce: t.nonce });
  });

  it("closes a socket that does not complete the handshake in time", async () => {
    const g = await gateway({ helloTimeoutMs: 300 });
    const idle = await open(g);
    await idle.next("challenge");
    const started = Date.now();
    expect((await within(idle.closed, 3000, "idle socket closed")).code).toBe(4401);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("closes a socket that sends something other than a readable hello first", async () => {
    const g = await gateway();
    const c = await open(g);
    await c.next("challenge");
    c.ws.send("not json");
    expect((await within(c.closed, 3000, "closed")).code).toBe(4401);
  });

  it("caps concurrent connections per remote address (1008 over the cap), counting authenticated and pending sockets alike", async () => {
    const g = await gateway({ maxConnPerIp: 3 });
    const cluster = await enrolledCluster();
    const agent = await connectAs(g, cluster);
    const pending = [await open(g), await open(g)];
    const over = await open(g);
    expect((await within(over.closed, 3000, "over the cap")).code).toBe(1008);
    expect(over.messages.filter((m) => m.type === "challenge")).toEqual([]);
    // A freed slot can be used again.
    pending[0]!.ws.close();
    await pending[0]!.closed;
    await until("slot freed", async () => {
      const again = await open(g);
      const first = await Promise.race([again.next("challenge", 1000).then(() => "challenge"), again.closed.then(() => "closed")]).catch(() => "closed");
      if (first !== "challenge") again.ws.terminate();
      return first === "challenge";
    }, 5000);
    expect(g.connected()).toContain(cluster.id);
    agent.ws.terminate();
  });

  it("behind a trusted proxy, counts by the address the proxy saw (the last X-Forwarded-For entry)", async () => {
    const g = await gateway({ maxConnPerIp: 2, trustProxy: true });
    await open(g, { "x-forwarded-for": "198.51.100.7, 10.0.0.1" });
    await open(g, { "x-forwarded-for": "10.0.0.1" });
    const over = await open(g, { "x-forwarded-for": "203.0.113.9, 10.0.0.1" });
    expect((await within(over.closed, 3000, "over the cap")).code).toBe(1008);
    const other = await open(g, { "x-forwarded-for": "10.0.0.2" });
    await other.next("challenge");
    // Untrusted, the header is ignored: every socket here is 127.0.0.1.
    const direct = await gateway({ maxConnPerIp: 1 });
    await open(direct, { "x-forwarded-for": "10.0.0.3" });
    const spoofed = await open(direct, { "x-forwarded-for": "10.0.0.4" });
    expect((await within(spoofed.closed, 3000, "spoofed over the cap")).code).toBe(1008);
  });
});
