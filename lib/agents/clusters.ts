// Clusters an org runs the agent in: create one (with a one-time bootstrap token), list them with their
// connection state, issue a fresh token (re-enrollment), remove one.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { db } from "@/lib/db";
import { redis } from "@/lib/redis";
import type { Actor, RequestMeta } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { AppError, notFound } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/append-audit";
import { HEARTBEAT_MS, sha256Hex } from "@/lib/agents/protocol";
import { evictionChannel, outcomeOf, rejectionOf } from "@/lib/agents/triggers";
import type { Prisma } from "@/lib/generated/prisma/client";

export const BOOTSTRAP_TTL_MS = 24 * 3600_000;
// Three missed heartbeats and the agent counts as gone, even if its socket was never closed cleanly.
const STALE_AFTER_MS = 3 * HEARTBEAT_MS;

export const ZCreateClusterInput = z
  .object({ name: z.string().trim().min(1).max(63).regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "name must be a DNS label: lowercase letters, digits and '-'") })
  .strict();
export type CreateClusterInput = z.input<typeof ZCreateClusterInput>;

const newBootstrapToken = () => {
  const token = `nob_${randomBytes(32).toString("base64url")}`;
  return { token, hash: sha256Hex(token), expiresAt: new Date(Date.now() + BOOTSTRAP_TTL_MS) };
};

export type ClusterState = "awaiting_enrollment" | "token_expired" | "connected" | "disconnected";

export function clusterState(c: { enrolledAt: Date | null; bootstrapExpiresAt: Date | null; connectedAt: Date | null; disconnectedAt: Date | null; lastHeartbeatAt: Date | null }, now = Date.now()): ClusterState {
  if (!c.enrolledAt) return c.bootstrapExpiresAt && c.bootstrapExpiresAt.getTime() < now ? "token_expired" : "awaiting_enrollment";
  const open = c.connectedAt && (!c.disconnectedAt || c.disconnectedAt < c.connectedAt);
  const fresh = c.lastHeartbeatAt && now - c.lastHeartbeatAt.getTime() < STALE_AFTER_MS;
  return open && fresh ? "connected" : "disconnected";
}

const PUBLIC_FIELDS = {
  id: true,
  name: true,
  fingerprint: true,
  enrolledAt: true,
  bootstrapExpiresAt: true,
  agentVersion: true,
  allowlist: true,
  connectedAt: true,
  disconnectedAt: true,
  lastHeartbeatAt: true,
  createdAt: true,
} satisfies Prisma.AgentClusterSelect;

export async function createCluster({ actor, input, meta }: { actor: Actor; input: CreateClusterInput; meta?: RequestMeta }) {
  assertCan(actor, "agents.manage");
  const { name } = ZCreateClusterInput.parse(input);
  const boot = newBootstrapToken();
  const cluster = await db.$transaction(async (tx) => {
    if (await tx.agentCluster.findUnique({ where: { orgId_name: { orgId: actor.orgId, name } } })) throw new AppError("conflict", `a cluster named '${name}' already exists`);
    const row = await tx.agentCluster.create({ data: { orgId: actor.orgId, name, bootstrapTokenHash: boot.hash, bootstrapExpiresAt: boot.expiresAt }, select: PUBLIC_FIELDS });
    await appendAudit(tx, { actor, action: "agent.cluster_created", target: { type: "agent_cluster", id: row.id }, data: { name, source: meta?.source } });
    return row;
  });
  return { cluster: { ...cluster, state: clusterState(cluster) }, bootstrapToken: boot.token };
}

/**
 * Tells every gateway to close the cluster's sessions whose key is no longer the cluster's. Best effort: a
 * gateway also checks the key before each delivery and in its sweep, so a lost message costs seconds, not access.
 */
async function evictReplacedSessions(clusterId: string) {
  await redis()
    .publish(evictionChannel(), clusterId)
    .catch(() => {});
}

/** A fresh one-time token. Any enrolled identity is dropped (and its live sessions closed): the next agent to enroll replaces it. */
export async function reissueBootstrapToken({ actor, id, meta }: { actor: Actor; id: string; meta?: RequestMeta }) {
  assertCan(actor, "agents.manage");
  const boot = newBootstrapToken();
  const cluster = await db.$transaction(async (tx) => {
    const existing = await tx.agentCluster.findFirst({ where: { id, orgId: actor.orgId } });
    if (!existing) throw notFound("cluster");
    await revokeIngestToken(tx, existing);
    const row = await tx.agentCluster.update({
      where: { id },
      data: { bootstrapTokenHash: boot.hash, bootstrapExpiresAt: boot.expiresAt, publicKeyPem: null, fingerprint: null, enrolledAt: null, ingestTokenId: null },
      select: PUBLIC_FIELDS,
    });
    await appendAudit(tx, { actor, action: "agent.token_reissued", target: { type: "agent_cluster", id }, data: { name: existing.name, wasEnrolled: !!existing.enrolledAt, source: meta?.source } });
    return row;
  });
  await evictReplacedSessions(id);
  return { cluster: { ...cluster, state: clusterState(cluster) }, bootstrapToken: boot.token };
}

/** The ingest token a cluster's agent forwards metrics with dies with the identity it was issued to. */
async function revokeIngestToken(tx: Prisma.TransactionClient, cluster: { ingestTokenId: string | null }) {
  if (cluster.ingestTokenId) await tx.apiToken.updateMany({ where: { id: cluster.ingestTokenId, revokedAt: null }, data: { revokedAt: new Date() } });
}

/** Whether the cluster is one of the org's (a monitor may read only through its own org's agents). */
export async function orgHasCluster(client: Prisma.TransactionClient, orgId: string, id: string): Promise<boolean> {
  return !!(await client.agentCluster.findFirst({ where: { id, orgId }, select: { id: true } }));
}

export async function deleteCluster({ actor, id, meta }: { actor: Actor; id: string; meta?: RequestMeta }) {
  assertCan(actor, "agents.manage");
  await db.$transaction(async (tx) => {
    const existing = await tx.agentCluster.findFirst({ where: { id, orgId: actor.orgId } });
    if (!existing) throw notFound("cluster");
    const monitors = await tx.monitor.findMany({ where: { clusterId: id }, select: { name: true }, take: 5 });
    if (monitors.length) throw new AppError("conflict", `monitors read their metrics through this cluster (${monitors.map((m) => m.name).join(", ")}): point them elsewhere first`);
    await revokeIngestToken(tx, existing);
    await tx.agentCluster.delete({ where: { id } });
    await appendAudit(tx, { actor, action: "agent.cluster_deleted", target: { type: "agent_cluster", id }, data: { name: existing.name, source: meta?.source } });
  });
  await evictReplacedSessions(id);
}

export type ClusterView = Awaited<ReturnType<typeof listClusters>>[number];

export async function listClusters({ actor }: { actor: Actor }) {
  assertCan(actor, "integrations.read");
  const rows = await db.agentCluster.findMany({ where: { orgId: actor.orgId }, orderBy: { name: "asc" }, select: PUBLIC_FIELDS });
  const now = Date.now();
  return rows.map((c) => ({ ...c, state: clusterState(c, now) }));
}

/** Clusters with an enrolled agent, for pickers (monitor source). */
export async function enrolledClusters(actor: Actor) {
  assertCan(actor, "integrations.read");
  return db.agentCluster.findMany({ where: { orgId: actor.orgId, enrolledAt: { not: null } }, orderBy: { name: "asc" }, select: { id: true, name: true } });
}

export async function getCluster({ actor, id }: { actor: Actor; id: string }) {
  assertCan(actor, "integrations.read");
  const row = await db.agentCluster.findFirst({ where: { id, orgId: actor.orgId }, select: PUBLIC_FIELDS });
  if (!row) throw notFound("cluster");
  return { ...row, state: clusterState(row) };
}

/** The org's latest triggers (newest first), for the Agents page: what ran where, and what was refused. */
export async function listRecentTriggers({ actor, limit = 20 }: { actor: Actor; limit?: number }) {
  assertCan(actor, "integrations.read");
  const rows = await db.agentTrigger.findMany({
    where: { orgId: actor.orgId },
    orderBy: { createdAt: "desc" },
    take: Math.min(Math.max(limit, 1), 100),
    select: { id: true, action: true, mode: true, status: true, runId: true, stepId: true, rejection: true, outcome: true, createdAt: true, finishedAt: true, cluster: { select: { name: true } } },
  });
  return rows.map(({ cluster, outcome, rejection, ...t }) => ({
    ...t,
    cluster: cluster.name,
    rejection: rejectionOf({ rejection }),
    summary: outcomeOf({ outcome })?.summary ?? null,
  }));
}
