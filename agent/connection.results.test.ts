// What the agent sends back: a result always fits the protocol's limits (clipped, never refused for size),
// and a result the control plane refuses anyway is dropped from the journal instead of being sent again on
// every reconnect. The control plane here is a local WebSocket server speaking the wire protocol.
import { afterEach, describe, expect, it } from "vitest";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { MAX_MESSAGE_BYTES, signBytes, ZAgentMessage, type AgentMessage, type Outcome, type ServerMessage, type TriggerPayload } from "@/lib/agents/protocol";
import { AgentConnection } from "./connection";
import { Journal } from "./journal";

const cp = generateKeyPairSync("ec", { namedCurve: "P-256" });
const agentKey = generateKeyPairSync("ec", { namedCurve: "P-256" });
const CLUSTER = "3f1c2b7e-9a4d-4e8b-8c1a-2d5e6f7a8b9c";

const stops: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0).reverse()) await s();
});

type Received = { raw: string; parsed: ReturnType<typeof ZAgentMessage.safeParse> };

/** A control plane that greets every socket and records what the agent sends. */
async function controlPlane(onMessage?: (ws: WebSocket, m: Received) => void) {
  const wss = new WebSocketServer({ port: 0, host: "127.0.0.1", maxPayload: MAX_MESSAGE_BYTES });
  const received: Received[] = [];
  const sockets: WebSocket[] = [];
  const waiters: (() => void)[] = [];
  wss.on("connection", (ws) => {
    sockets.push(ws);
    ws.on("error", () => {});
    const send = (m: ServerMessage) => ws.send(JSON.stringify(m));
    send({ type: "challenge", nonce: randomBytes(12).toString("base64url") });
    ws.on("message", (data) => {
      const raw = data.toString();
      const r = { raw, parsed: ZAgentMessage.safeParse(JSON.parse(raw)) };
      received.push(r);
      if (r.parsed.success && r.parsed.data.type === "hello") send({ type: "welcome", clusterId: CLUSTER, heartbeatMs: 60_000 });
      onMessage?.(ws, r);
      waiters.splice(0).forEach((w) => w());
    });
  });
  await new Promise<void>((r) => wss.once("listening", r));
  stops.push(() => new Promise<void>((r) => wss.close(() => r())));
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    received,
    sockets,
    /** Waits for the n-th message (1-based) of a type, by its raw JSON type field. */
    async waitFor(type: string, n = 1, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hits = received.filter((r) => (JSON.parse(r.raw) as { type: string }).type === type);
        if (hits.length >= n) return hits[n - 1]!;
        if (Date.now() > deadline) throw new Error(`no ${type} #${n} within ${timeoutMs} ms`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 50);
        });
      }
    },
    trigger(ws: WebSocket, nonce: string) {
      const now = Date.now();
      const p: TriggerPayload = {
        v: 1,
        clusterId: CLUSTER,
        runId: null,
        stepId: null,
        nonce,
        playbookDigest: null,
        action: "k8s.logs",
        mode: "execute",
        params: {},
        issuedAt: new Date(now).toISOString(),
        expiresAt: new Date(now + 60_000).toISOString(),
      };
      const text = JSON.stringify(p);
      ws.send(JSON.stringify({ type: "trigger", trigger: { payload: text, signature: signBytes(cp.privateKey, text) } } satisfies ServerMessage));
    },
  };
}

function agent(url: string, journal: Journal, outcome: Outcome) {
  const conn = new AgentConnection({
    url,
    identity: {
      clusterId: CLUSTER,
      privateKeyPem: agentKey.privateKey.export({ type: "pkcs8", format: "pem" }) as string,
      publicKeyPem: agentKey.publicKey.export({ type: "spki", format: "pem" }) as string,
      controlPlanePublicKeyPem: cp.publicKey.export({ type: "spki", format: "pem" }) as string,
      ingestToken: "tok",
    },
    allowlist: new Set(["k8s.logs"]),
    journal,
    version: "test",
    perform: async () => outcome,
    reconnect: { minMs: 20, maxMs: 50 },
    log: () => {},
  });
  conn.start();
  stops.push(() => conn.stop());
  return conn;
}

const nonce = () => randomBytes(18).toString("base64url");

describe("agent results", () => {
  it("clips an over-long summary and error and an oversized output to the protocol's limits, so the result is never refused for size", async () => {
    const n = nonce();
    const server = await controlPlane((ws, m) => m.parsed.success && m.parsed.data.type === "hello" && setTimeout(() => server.trigger(ws, n), 10));
    const journal = new Journal(null);
    agent(server.url, journal, {
      ok: false,
      exitStatus: 1,
      summary: `query failed: ${"s".repeat(5000)}`,
      error: "e".repeat(10_000),
      output: { lines: Array.from({ length: 5000 }, (_, i) => `${i} ${"l".repeat(1000)}`) },
    });

    const result = await server.waitFor("result");
    expect(result.raw.length).toBeLessThan(MAX_MESSAGE_BYTES);
    expect(result.parsed.success).toBe(true);
    const m = result.parsed.data as Extract<AgentMessage, { type: "result" }>;
    expect(m.nonce).toBe(n);
    expect(m.outcome.summary.length).toBeLessThanOrEqual(2000);
    expect(m.outcome.summary).toMatch(/^query failed: s+… \(clipped\)$/);
    expect(m.outcome.error!.length).toBeLessThanOrEqual(4000);
    expect(m.outcome.error).toMatch(/… \(clipped\)$/);
    expect(m.outcome).toMatchObject({ ok: false, exitStatus: 1, output: { clipped: true } });
    // What the journal keeps (and would send again) is the clipped result too.
    expect(journal.unacknowledged()[0]!.outcome).toEqual(m.outcome);
  });

  it("drops a result the control plane refused (result_rejected) from its journal: it is not sent again after a reconnect, and the nonce stays used", async () => {
    const n = nonce();
    const server = await controlPlane((ws, m) => {
      if (!m.parsed.success) return;
      if (m.parsed.data.type === "hello" && server.received.filter((r) => r.parsed.success && r.parsed.data.type === "hello").length === 1) setTimeout(() => server.trigger(ws, n), 10);
      if (m.parsed.data.type === "result") ws.send(JSON.stringify({ type: "result_rejected", nonce: n, reason: "outcome.summary: too long" }));
    });
    const journal = new Journal(null);
    agent(server.url, journal, { ok: true, exitStatus: 0, summary: "read 3 log lines" });
    await server.waitFor("result");
    await new Promise((r) => setTimeout(r, 100));
    expect(journal.unacknowledged()).toEqual([]);
    expect(journal.get(n)?.state).toBe("acked");

    // Reconnect: the agent says hello again and sends no result for the refused nonce.
    server.sockets[0]!.terminate();
    await server.waitFor("hello", 2);
    await new Promise((r) => setTimeout(r, 200));
    expect(server.received.filter((r) => (JSON.parse(r.raw) as { type: string }).type === "result")).toHaveLength(1);
  });
});
