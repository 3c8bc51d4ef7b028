// The agent gateway: the WebSocket endpoint agents dial out to (AGENT_CONNECT_PATH). It runs as its own
// process (workers/agent-gateway.ts) because Next.js route handlers cannot hold a socket upgrade; an
// ingress routes /api/v1/agent/connect to it. Several gateways may run: an agent holds one socket to one
// of them, dispatch wake-ups are broadcast, and a trigger is claimed in the database before it is sent.
//
// Session: challenge → hello (signed with the agent's enrolled key) → welcome; then triggers one way and
// accepted/result/rejected/heartbeat the other. On every (re)connect the gateway sends the cluster's
// triggers that were never accepted; results the agent could not deliver it sends again itself.
//
// A session lives only as long as the key it proved is the cluster's key: re-enrollment or deletion
// publishes an eviction that every gateway acts on, and the key is checked again before each delivery (in
// the same statement that claims the trigger), at each heartbeat and in the sweep, so a lost message
// cannot keep an old key connected.
//
// Before the hello verifies, a socket is a stranger: its frames are capped at PRE_AUTH_MAX_MESSAGE_BYTES, it
// has helloTimeoutMs to prove itself, and each remote address may hold maxConnPerIp sockets at once.
import { logger } from "@/lib/log";
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Redis } from "ioredis";
import { WebSocketServer, type WebSocket } from "ws";
import { db } from "@/lib/db";
import { redis } from "@/lib/redis";
import { systemActor } from "@/lib/context";
import { metrics } from "@/lib/metrics/registry";
import { appendAudit } from "@/lib/audit/append-audit";
import {
  AGENT_CONNECT_PATH,
  HEARTBEAT_MS,
  MAX_MESSAGE_BYTES,
  PRE_AUTH_MAX_MESSAGE_BYTES,
  helloBytes,
  verifyBytes,
  ZAgentMessage,
  type AgentMessage,
  type ServerMessage,
} from "@/lib/agents/protocol";
import {
  dispatchChannel,
  evictionChannel,
  expireTriggers,
  recordAccepted,
  recordRejection,
  recordResult,
  recordUnreadableResult,
  UNDELIVERED,
  wireTrigger,
} from "@/lib/agents/triggers";

export const DEFAULT_HELLO_TIMEOUT_MS = 5_000;
export const DEFAULT_MAX_CONN_PER_IP = 20;
const DEFAULT_SWEEP_MS = 5_000;
// Close codes: 1008 (policy violation) is the standard one; 4401 is ours for "prove who you are / no longer you".
const CLOSE_POLICY = 1008;
const CLOSE_UNAUTHENTICATED = 4401;

/** `publicKeyPem`: the key this socket proved, compared with the cluster's current key on every delivery. */
type Session = { ws: WebSocket; cluster: { id: string; orgId: string; name: string }; publicKeyPem: string; alive: boolean };

export type AgentGatewayServer = {
  port: number;
  server: Server;
  /** Clusters with an authenticated socket on this gateway. */
  connected(): string[];
  /** Sends a raw message on a cluster's socket: tests use it to play an attacker on the wire. */
  sendRaw(clusterId: string, message: ServerMessage): boolean;
  /** Closes a cluster's socket abruptly (tests: the connection dropped mid-step). */
  drop(clusterId: string): void;
  close(): Promise<void>;
};

export type GatewayOptions = {
  host?: string;
  port?: number;
  log?: (line: string) => void;
  /** How long a socket has from connecting to a verified hello. */
  helloTimeoutMs?: number;
  /** Sockets one remote address may hold at once, authenticated or not; 0 = no cap. */
  maxConnPerIp?: number;
  /**
   * Behind a proxy that appends the client's address to X-Forwarded-For (an ingress): count and audit by that
   * last entry. Off, the header is ignored (anyone can send one).
   */
  trustProxy?: boolean;
  /** Liveness pings and the sweep (lost wake-ups, replaced keys); tests stretch it to isolate one mechanism. */
  sweepMs?: number;
};

/** The address a socket is counted and audited by. */
export function remoteAddress(req: IncomingMessage, trustProxy: boolean): string {
  const peer = req.socket.remoteAddress ?? "";
  if (!trustProxy) return peer;
  const forwarded = String(req.headers["x-forwarded-for"] ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return forwarded.at(-1) ?? peer;
}

/**
 * ws fixes maxPayload per server, so every socket starts with the stranger's limit; the receiver checks the
 * value below on each frame, so raising it for one socket after its hello verified gives that socket the
 * normal limit. (Private to ws 8: gateway.int.test.ts fails if a ws upgrade moves it.)
 */
function raiseMaxPayload(ws: WebSocket, bytes: number): void {
  const receiver = (ws as unknown as { _receiver?: { _maxPayload?: unknown } })._receiver;
  if (typeof receiver?._maxPayload !== "number") throw new Error("cannot raise the socket's message limit (ws internals changed)");
  receiver._maxPayload = bytes;
}

export async function startAgentGateway(opts: GatewayOptions = {}): Promise<AgentGatewayServer> {
  const log = opts.log ?? ((line: string) => logger.info(line));
  const helloTimeoutMs = opts.helloTimeoutMs ?? DEFAULT_HELLO_TIMEOUT_MS;
  const maxConnPerIp = opts.maxConnPerIp ?? DEFAULT_MAX_CONN_PER_IP;
  const trustProxy = opts.trustProxy ?? false;
  const sessions = new Map<string, Session>();
  const perAddress = new Map<string, number>();
  const server = createServer((req, res) => {
    // Liveness for probes and process supervisors; everything else must be a WebSocket upgrade.
    if (req.method === "GET" && req.url === "/healthz") {
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify({ ok: true, agents: sessions.size }));
    }
    res.writeHead(426, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { code: "upgrade_required", message: `connect with a WebSocket to ${AGENT_CONNECT_PATH}` } }));
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: PRE_AUTH_MAX_MESSAGE_BYTES });

  server.on("upgrade", (req, socket, head) => {
    if (new URL(req.url ?? "/", "http://x").pathname !== AGENT_CONNECT_PATH) {
      socket.end("HTTP/1.1 404 Not Found\r\nconnection: close\r\n\r\n");
      return;
    }
    const address = remoteAddress(req, trustProxy);
    wss.handleUpgrade(req, socket, head, (ws) => {
      const count = perAddress.get(address) ?? 0;
      if (maxConnPerIp > 0 && count >= maxConnPerIp) {
        log(`refusing a connection from ${address}: ${count} open (AGENT_GATEWAY_MAX_CONN_PER_IP=${maxConnPerIp})`);
        ws.on("error", () => {});
        return ws.close(CLOSE_POLICY, "too many connections from this address");
      }
      perAddress.set(address, count + 1);
      ws.once("close", () => {
        const left = (perAddress.get(address) ?? 1) - 1;
        if (left > 0) perAddress.set(address, left);
        else perAddress.delete(address);
      });
      onConnection(ws, address);
    });
  });

  const send = (ws: WebSocket, m: ServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
  };

  /** Ends a session here: the socket is closed and the cluster shows as disconnected. */
  function forget(s: Session) {
    if (sessions.get(s.cluster.id) !== s) return;
    sessions.delete(s.cluster.id);
    metrics().agentConnections.set(sessions.size);
    void db.agentCluster.updateMany({ where: { id: s.cluster.id, publicKeyPem: s.publicKeyPem }, data: { disconnectedAt: new Date() } }).catch(() => {});
  }

  function evict(s: Session) {
    if (sessions.get(s.cluster.id) !== s) return;
    log(`cluster ${s.cluster.name}: the key this agent proved is no longer the cluster's (re-enrolled or removed); closing its session`);
    forget(s);
    send(s.ws, { type: "error", code: "unauthenticated", message: "this agent's identity was replaced (new token on the Agents page) or removed; re-enroll it with the new token" });
    s.ws.close(CLOSE_UNAUTHENTICATED, "identity replaced");
  }

  /** Closes the sessions here whose key is no longer their cluster's; returns the clusters still connected. */
  async function recheckKeys(clusterIds: string[]): Promise<Set<string>> {
    const mine = clusterIds.filter((id) => sessions.has(id));
    if (!mine.length) return new Set();
    const rows = await db.agentCluster.findMany({ where: { id: { in: mine } }, select: { id: true, publicKeyPem: true } });
    const current = new Map(rows.map((r) => [r.id, r.publicKeyPem]));
    const kept = new Set<string>();
    for (const id of mine) {
      const s = sessions.get(id);
      if (!s) continue;
      if (current.get(id) === s.publicKeyPem) kept.add(id);
      else evict(s);
    }
    return kept;
  }

  /**
   * Sends the cluster's new triggers, claimed so two gateways never both send one. On a new session it
   * also re-sends those sent on an earlier socket but never accepted: they may have been lost with it.
   */
  async function deliver(clusterId: string, resend = false) {
    const s = sessions.get(clusterId);
    if (!s) return;
    // A key replaced since the hello gets nothing more (and its session goes), even if the eviction was lost.
    if (!(await recheckKeys([clusterId])).has(clusterId)) return;
    // On a wake-up the trigger is fresh; stale ones are expired when a session starts and by the sweep.
    if (resend) await expireTriggers({ clusterId });
    const statuses = resend ? UNDELIVERED : ["pending"];
    const due = await db.agentTrigger.findMany({ where: { clusterId, status: { in: statuses } }, orderBy: { createdAt: "asc" } });
    for (const t of due) {
      if (sessions.get(clusterId) !== s) return;
      // The claim holds only while the cluster's key is still the one this socket proved: a re-enrollment
      // committed after the check above cannot slip a trigger through to the old key.
      const claimed = await db.agentTrigger.updateMany({
        where: { id: t.id, status: { in: statuses }, cluster: { publicKeyPem: s.publicKeyPem } },
        data: { status: "sent", sentAt: new Date() },
      });
      if (claimed.count === 1) {
        send(s.ws, { type: "trigger", trigger: wireTrigger(t) });
        metrics().agentTriggersSent.inc({ action: t.action });
      }
    }
  }

  function onConnection(ws: WebSocket, address: string) {
    const challenge = randomBytes(24).toString("base64url");
    let session: Session | null = null;
    // Set at the first message: a stranger gets one hello, not several racing verifications.
    let helloSeen = false;
    const helloTimer = setTimeout(() => ws.close(CLOSE_UNAUTHENTICATED, "no hello in time"), helloTimeoutMs);
    send(ws, { type: "challenge", nonce: challenge });
    ws.on("pong", () => session && (session.alive = true));

    ws.on("message", (data) => {
      let raw: unknown;
      try {
        raw = JSON.parse(data.toString());
      } catch {
        raw = undefined;
      }
      const parsed = ZAgentMessage.safeParse(raw);
      if (!session) {
        if (helloSeen || !parsed.success || parsed.data.type !== "hello") return ws.close(CLOSE_UNAUTHENTICATED, "hello first");
        helloSeen = true;
      } else if (!parsed.success) {
        const problem = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
        const s = session;
        return void unreadable(s, raw, problem).catch((e) => log(`cluster ${s.cluster.name}: ${(e as Error).message}`));
      }
      void handle(parsed.data).catch((e) => {
        log(`cluster ${session?.cluster.name ?? "?"}: ${(e as Error).message}`);
        // A handshake that failed on our side (database down) is retried by the agent's reconnect.
        if (!session) ws.close(1011, "handshake failed");
      });
    });

    /**
     * A message from an authenticated agent that breaks the schema. A result among them names its nonce: its
     * trigger fails and the agent is told to drop the result, which it would otherwise resend forever.
     */
    async function unreadable(s: Session, raw: unknown, problem: string) {
      const m = (raw ?? {}) as { type?: unknown; nonce?: unknown };
      if (m.type !== "result" || typeof m.nonce !== "string" || m.nonce.length > 128) {
        send(ws, { type: "error", code: "malformed", message: `unreadable message: ${problem.slice(0, 500)}` });
        return;
      }
      log(`cluster ${s.cluster.name}: refused a malformed result for ${m.nonce}: ${problem.slice(0, 500)}`);
      metrics().agentResults.inc({ outcome: "malformed" });
      await recordUnreadableResult(s.cluster.id, m.nonce, problem);
      send(ws, { type: "result_rejected", nonce: m.nonce, reason: problem.slice(0, 1000) });
    }

    async function handle(msg: AgentMessage) {
      if (!session) {
        if (msg.type !== "hello") return ws.close(CLOSE_UNAUTHENTICATED, "hello first");
        const cluster = await db.agentCluster.findUnique({ where: { id: msg.clusterId } });
        if (!cluster?.publicKeyPem || !verifyBytes(cluster.publicKeyPem, helloBytes(msg.clusterId, challenge), msg.signature)) {
          send(ws, { type: "error", code: "unauthenticated", message: "unknown cluster or bad signature; re-enroll the agent" });
          return ws.close(CLOSE_UNAUTHENTICATED, "unauthenticated");
        }
        if (ws.readyState !== ws.OPEN) return; // timed out or went away while we looked the key up
        clearTimeout(helloTimer);
        raiseMaxPayload(ws, MAX_MESSAGE_BYTES);
        session = { ws, cluster: { id: cluster.id, orgId: cluster.orgId, name: cluster.name }, publicKeyPem: cluster.publicKeyPem, alive: true };
        // The newest socket wins: an agent that reconnects before the old socket timed out replaces it.
        sessions.get(cluster.id)?.ws.terminate();
        sessions.set(cluster.id, session);
        metrics().agentConnections.set(sessions.size);
        const now = new Date();
        await db.$transaction(async (tx) => {
          await tx.agentCluster.update({ where: { id: cluster.id }, data: { connectedAt: now, lastHeartbeatAt: now, agentVersion: msg.version, allowlist: msg.allowlist } });
          await appendAudit(tx, {
            actor: systemActor(`agent:${cluster.id}`, cluster.orgId),
            action: "agent.connected",
            target: { type: "agent_cluster", id: cluster.id },
            data: { name: cluster.name, version: msg.version, allowlist: msg.allowlist, ip: address },
          });
        });
        log(`cluster ${cluster.name} connected (agent ${msg.version})`);
        send(ws, { type: "welcome", clusterId: cluster.id, heartbeatMs: HEARTBEAT_MS });
        return deliver(cluster.id, true);
      }
      const { cluster } = session;
      switch (msg.type) {
        case "hello":
          return;
        case "heartbeat": {
          const fresh = await db.agentCluster.updateMany({ where: { id: cluster.id, publicKeyPem: session.publicKeyPem }, data: { lastHeartbeatAt: new Date() } });
          if (fresh.count === 0) evict(session);
          return;
        }
        case "accepted":
          return recordAccepted(cluster.id, msg.nonce);
        case "result":
          metrics().agentResults.inc({ outcome: msg.outcome.ok ? "ok" : "failed" });
          if (await recordResult(cluster.id, msg.nonce, msg.outcome)) send(ws, { type: "result_ack", nonce: msg.nonce });
          return;
        case "rejected":
          log(`cluster ${cluster.name} rejected a trigger: ${msg.code} (${msg.reason})`);
          metrics().agentRejections.inc({ code: msg.code });
          return recordRejection(cluster, msg.nonce, msg.code, msg.reason);
      }
    }

    ws.on("close", () => {
      clearTimeout(helloTimer);
      if (!session || sessions.get(session.cluster.id) !== session) return;
      log(`cluster ${session.cluster.name} disconnected`);
      forget(session);
    });
    ws.on("error", () => {});
  }

  // Wake-ups from workers that issued a trigger, and evictions from a re-enrollment or deletion.
  const sub: Redis = redis().duplicate();
  sub.on("error", () => {});
  sub.on("message", (channel, clusterId: string) => {
    if (channel === evictionChannel()) void recheckKeys([clusterId]).catch((e) => log(`evict: ${(e as Error).message}`));
    else void deliver(clusterId).catch((e) => log(`deliver: ${(e as Error).message}`));
  });
  await sub.subscribe(dispatchChannel(), evictionChannel());

  // Liveness (a peer that vanished without a FIN) and a sweep for wake-ups that were lost.
  const timer = setInterval(() => {
    for (const s of sessions.values()) {
      if (!s.alive) {
        s.ws.terminate();
        continue;
      }
      s.alive = false;
      s.ws.ping();
    }
    void sweep().catch((e) => log(`sweep: ${(e as Error).message}`));
  }, opts.sweepMs ?? DEFAULT_SWEEP_MS);

  /** For all sockets here: keys replaced without an eviction reaching us, and triggers nobody woke us for. */
  async function sweep() {
    if (!sessions.size) return;
    await recheckKeys([...sessions.keys()]);
    if (!sessions.size) return;
    await expireTriggers({ clusterId: { in: [...sessions.keys()] } });
    const due = await db.agentTrigger.findMany({ where: { clusterId: { in: [...sessions.keys()] }, status: "pending" }, distinct: ["clusterId"], select: { clusterId: true } });
    for (const { clusterId } of due) await deliver(clusterId);
  }

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  log(`listening on ${opts.host ?? "127.0.0.1"}:${port}${AGENT_CONNECT_PATH}`);

  return {
    port,
    server,
    connected: () => [...sessions.keys()],
    sendRaw: (clusterId, message) => {
      const s = sessions.get(clusterId);
      if (!s) return false;
      send(s.ws, message);
      return true;
    },
    drop: (clusterId) => sessions.get(clusterId)?.ws.terminate(),
    async close() {
      clearInterval(timer);
      for (const s of sessions.values()) s.ws.terminate();
      await sub.quit().catch(() => sub.disconnect());
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
