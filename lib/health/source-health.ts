// Where this org's signals come from, and whether each source is alive: the overview's "Sources" card and
// the Integrations page. Reads only; the Prometheus probe is the one network call (short timeout).
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { clusterState } from "@/lib/agents/clusters";
import { prometheusConnection } from "@/lib/integrations/prometheus-source";
import { checkConnection } from "@/lib/insight/prometheus/client";

export type PrometheusHealth = { configured: false } | { configured: true; ok: true; version: string; latencyMs: number } | { configured: true; ok: false; error: string; latencyMs: number };

const PROBE_TIMEOUT_MS = 3000;
const DAY_MS = 86_400_000;

/** Whether the org's Prometheus answers its buildinfo (the same check as saving it on Integrations). */
export async function prometheusHealth({ actor, probe = checkConnection }: { actor: Actor; probe?: typeof checkConnection }): Promise<PrometheusHealth> {
  assertCan(actor, "integrations.read");
  const conn = await prometheusConnection(actor.orgId);
  if (!conn) return { configured: false };
  const started = performance.now();
  try {
    const info = await probe(conn.baseUrl, conn.auth, { timeoutMs: PROBE_TIMEOUT_MS });
    return { configured: true, ok: true, version: info.version, latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    return { configured: true, ok: false, error: err instanceof Error ? err.message.slice(0, 300) : String(err), latencyMs: Math.round(performance.now() - started) };
  }
}

export type MonitorHealth = { enabled: number; disabled: number; failing: number; neverScanned: number; oldestScanAt: Date | null; newestScanAt: Date | null };
export type AgentHealth = { clusters: number; connected: number; awaitingEnrollment: number };
/** Alerts and remote_write samples that arrived: a delivery folded into an existing signal counts as one hit. */
export type IngestHealth = { lastAlertAt: Date | null; alertDeliveries24h: number; alertSignals24h: number; lastRemoteWriteAt: Date | null; remoteWriteSignals24h: number };

export type SourceHealth = { monitors: MonitorHealth; agents: AgentHealth; ingest: IngestHealth };

/** Monitors' scans, agents' connections and the last alert received: everything but the Prometheus probe. */
export async function sourceHealth({ actor, now = new Date() }: { actor: Actor; now?: Date }): Promise<SourceHealth> {
  assertCan(actor, "integrations.read");
  const orgId = actor.orgId;
  const dayAgo = new Date(now.getTime() - DAY_MS);
  const [monitors, clusters, lastAlert, alerts24h, lastRemote, remote24h] = await Promise.all([
    db.monitor.findMany({ where: { orgId }, select: { enabled: true, lastScanAt: true, lastError: true } }),
    db.agentCluster.findMany({ where: { orgId }, select: { enrolledAt: true, bootstrapExpiresAt: true, connectedAt: true, disconnectedAt: true, lastHeartbeatAt: true } }),
    db.signal.findFirst({ where: { orgId, source: "alertmanager" }, orderBy: { lastSeenAt: "desc" }, select: { lastSeenAt: true } }),
    db.signal.aggregate({ where: { orgId, source: "alertmanager", lastSeenAt: { gte: dayAgo } }, _count: true, _sum: { hits: true } }),
    db.signal.findFirst({ where: { orgId, source: { startsWith: "remote_write:" } }, orderBy: { lastSeenAt: "desc" }, select: { lastSeenAt: true } }),
    db.signal.count({ where: { orgId, source: { startsWith: "remote_write:" }, lastSeenAt: { gte: dayAgo } } }),
  ]);

  const enabled = monitors.filter((m) => m.enabled);
  const scans = enabled.map((m) => m.lastScanAt).filter((d): d is Date => d !== null).sort((a, b) => a.getTime() - b.getTime());
  const states = clusters.map((c) => clusterState(c, now.getTime()));
  return {
    monitors: {
      enabled: enabled.length,
      disabled: monitors.length - enabled.length,
      failing: enabled.filter((m) => m.lastError).length,
      neverScanned: enabled.filter((m) => !m.lastScanAt).length,
      oldestScanAt: scans[0] ?? null,
      newestScanAt: scans.at(-1) ?? null,
    },
    agents: { clusters: clusters.length, connected: states.filter((s) => s === "connected").length, awaitingEnrollment: states.filter((s) => s === "awaiting_enrollment").length },
    ingest: {
      lastAlertAt: lastAlert?.lastSeenAt ?? null,
      alertDeliveries24h: alerts24h._sum.hits ?? 0,
      alertSignals24h: alerts24h._count,
      lastRemoteWriteAt: lastRemote?.lastSeenAt ?? null,
      remoteWriteSignals24h: remote24h,
    },
  };
}
