// The agent gateway: the WebSocket endpoint agents dial out to (AGENT_CONNECT_PATH). It runs as its own
// process (workers/agent-gateway.ts) because Next.js route handlers cannot hold a socket upgrade; an
// ingress routes /api/v1/agent/connect to it. Several gateways may run: an agent holds one socket to one
// of them, dispatch wake-ups are broadcast, and a trigger is claimed in the database before it is sent.
//
// Session: challenge → hello (signed with the agent's enrolled key) → welcome; then triggers one way and
// accepted/result/rejected/heartbeat the other. On every (re)connect the gateway sends the cluster's
// triggers that were never accepted; results the agent could not deliver it sends again itself.
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
  helloBytes,
  verifyBytes,
  ZAgentMessage,
  type AgentMessage,
  type ServerMessage,
} from "@/lib/agents/protocol";
import { dispatchChannel, expireTriggers, recordAccepted, recordRejection, recordResult, UNDELIVERED, wireTrigger } from "@/lib/agents/triggers";

const HELLO_TIMEOUT_MS = 10_000;
const SWEEP_MS = 5_000;

type Session = { ws: WebSocket; cluster: { id: string; orgId: string; name: string }; alive: boolean };

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

export type GatewayOptions = { host?: string; port?: number; log?: (line: string) => void };

export async function startAgentGateway(opts: GatewayOptions = {}): Promise<AgentGatewayServer> {
  const log = opts.log ?? ((line: string) => console.log(`[agent-gateway] ${line}`));
  const sessions = new Map<string, Session>();
  const server = createServer((req, res) => {
    // Liveness for probes and process supervisors; everything else must be a WebSocket upgrade.
    if (req.method === "GET" && req.url === "/healthz") {
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify({ ok: true, agents: sessions.size }));
    }
    res.writeHead(426, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { code: "upgrade_required", message: `connect with a WebSocket to ${AGENT_CONNECT_PATH}` } }));
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  server.on("upgrade", (req, socket, head) => {
    if (new URL(req.url ?? "/", "http://x").pathname !== AGENT_CONNECT_PATH) {
      socket.end("HTTP/1.1 404 Not Found\r\nconnection: close\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, req));
  });

  const send = (ws: WebSocket, m: ServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
  };

  /**
   * Sends the cluster's new triggers, claimed so two gateways never both send one. On a new session it
   * also re-sends those sent on an earlier socket but never accepted: they may have been lost with it.
   */
  async function deliver(clusterId: string, resend = false) {
    const s = sessions.get(clusterId);
    if (!s) return;
    // On a wake-up the trigger is fresh; stale ones are expired when a session starts and by the sweep.
    if (resend) await expireTriggers({ clusterId });
    const statuses = resend ? UNDELIVERED : ["pending"];
    const due = await db.agentTrigger.findMany({ where: { clusterId, status: { in: statuses } }, orderBy: { createdAt: "asc" } });
    for (const t of due) {
      if (sessions.get(clusterId) !== s) return;
      const claimed = await db.agentTrigger.updateMany({ where: { id: t.id, status: { in: statuses } }, data: { status: "sent", sentAt: new Date() } });
      if (claimed.count === 1) {
        send(s.ws, { type: "trigger", trigger: wireTrigger(t) });
        metrics().agentTriggersSent.inc({ action: t.action });
      }
    }
  }

  function onConnection(ws: WebSocket, req: IncomingMessage) {
    const challenge = randomBytes(24).toString("base64url");
    let session: Session | null = null;
    const helloTimer = setTimeout(() => ws.close(4401, "no hello"), HELLO_TIMEOUT_MS);
    send(ws, { type: "challenge", nonce: challenge });
    ws.on("pong", () => session && (session.alive = true));

    ws.on("message", (data) => {
      let msg: AgentMessage;
      try {
        msg = ZAgentMessage.parse(JSON.parse(data.toString()));
      } catch {
        send(ws, { type: "error", code: "malformed", message: "unreadable message" });
        return;
      }
      void handle(msg).catch((e) => {
        log(`cluster ${session?.cluster.name ?? "?"}: ${(e as Error).message}`);
        // A handshake that failed on our side (database down) is retried by the agent's reconnect.
        if (!session) ws.close(1011, "handshake failed");
      });
    });

    async function handle(msg: AgentMessage) {
      if (!session) {
        if (msg.type !== "hello") return ws.close(4401, "hello first");
        clearTimeout(helloTimer);
        const cluster = await db.agentCluster.findUnique({ where: { id: msg.clusterId } });
        if (!cluster?.publicKeyPem || !verifyBytes(cluster.publicKeyPem, helloBytes(msg.clusterId, challenge), msg.signature)) {
          send(ws, { type: "error", code: "unauthenticated", message: "unknown cluster or bad signature; re-enroll the agent" });
          return ws.close(4401, "unauthenticated");
        }
        session = { ws, cluster: { id: cluster.id, orgId: cluster.orgId, name: cluster.name }, alive: true };
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
            // Behind an ingress the socket's peer is the proxy.
            data: { name: cluster.name, version: msg.version, allowlist: msg.allowlist, ip: String(req.headers["x-forwarded-for"] ?? req.socket.remoteAddress ?? "").split(",")[0]!.trim() },
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
        case "heartbeat":
          await db.agentCluster.update({ where: { id: cluster.id }, data: { lastHeartbeatAt: new Date() } });
          return;
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
      sessions.delete(session.cluster.id);
      metrics().agentConnections.set(sessions.size);
      log(`cluster ${session.cluster.name} disconnected`);
      void db.agentCluster.update({ where: { id: session.cluster.id }, data: { disconnectedAt: new Date() } }).catch(() => {});
    });
    ws.on("error", () => {});
  }

  // Wake-ups from workers that issued a trigger.
  const sub: Redis = redis().duplicate();
  sub.on("error", () => {});
  sub.on("message", (_channel, clusterId: string) => void deliver(clusterId).catch((e) => log(`deliver: ${(e as Error).message}`)));
  await sub.subscribe(dispatchChannel());

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
  }, SWEEP_MS);

  /** One query for all sockets here: which of their clusters have triggers nobody woke us for. */
  async function sweep() {
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
