import { db } from "@/lib/db";
import { redis } from "@/lib/redis";
import type { Actor } from "@/lib/context";
import { can } from "@/lib/authz/assert-can";
import { missingSchedulers } from "@/lib/jobs/schedulers";
import type { JobName } from "@/lib/jobs/definitions";

type Check = { ok: boolean; latencyMs: number; error?: string };
/** Job schedulers the platform needs that Redis does not hold (by job name; `count` counts each monitor's scan). */
export type SchedulerCheck = Check & { missing: JobName[]; count: number };
/**
 * `ok` is readiness: both stores answer. `schedulers` is checked only then (null otherwise); a missing
 * scheduler degrades the platform (monitors stop scanning, runs are not swept) without making it unready.
 */
export type Health = { ok: boolean; checks: Record<"postgres" | "redis", Check>; schedulers: SchedulerCheck | null };

const TIMEOUT_MS = 2000;

async function probe<T>(fn: () => Promise<T>): Promise<Check & { value?: T }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const value = await Promise.race([
      fn(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      }),
    ]);
    return { ok: true, latencyMs: Math.round(performance.now() - started), value };
  } catch (err) {
    const e = err as { message?: string; code?: string; cause?: { code?: string; message?: string } };
    const line = (e.message ?? "").split("\n").map((l) => l.trim()).find(Boolean);
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: line || e.cause?.message || e.code || e.cause?.code || "unreachable" };
  } finally {
    clearTimeout(timer);
  }
}

/** Readiness (both stores answer), then whether every job scheduler is in Redis. */
export async function checkHealth(
  clients: { db?: Pick<typeof db, "$queryRaw">; redis?: Pick<ReturnType<typeof redis>, "ping">; schedulers?: typeof missingSchedulers } = {},
): Promise<Health> {
  const pgClient = clients.db ?? db;
  const redisClient = clients.redis ?? redis();
  const [{ value: _p, ...postgres }, { value: _r, ...redisCheck }] = await Promise.all([probe(() => pgClient.$queryRaw`SELECT 1`), probe(() => redisClient.ping())]);
  const ok = postgres.ok && redisCheck.ok;
  let schedulers: SchedulerCheck | null = null;
  if (ok) {
    const { value, ...check } = await probe(clients.schedulers ?? missingSchedulers);
    schedulers = { ...check, ok: check.ok && value!.count === 0, missing: value?.jobs ?? [], count: value?.count ?? 0 };
  }
  return { ok, checks: { postgres, redis: redisCheck }, schedulers };
}

export type HealthStatus = "ok" | "degraded" | "unavailable";

export function healthStatus(health: Health): HealthStatus {
  return !health.ok ? "unavailable" : health.schedulers && !health.schedulers.ok ? "degraded" : "ok";
}

/**
 * What /api/health answers. Driver errors can name hosts, users and versions, so only an admin sees
 * the per-store details; everyone else gets the status and which stores are down.
 */
export function healthReport(health: Health, viewer: Actor | null) {
  // The details always reach the server log, whoever asked.
  for (const [name, c] of Object.entries(health.checks)) {
    if (!c.ok) console.error(JSON.stringify({ level: "error", msg: "health check failed", check: name, error: c.error, latencyMs: c.latencyMs }));
  }
  const s = health.schedulers;
  if (s && !s.ok) console.error(JSON.stringify({ level: "error", msg: "job schedulers missing", missing: s.missing, count: s.count, error: s.error }));
  const down = Object.entries(health.checks).filter(([, c]) => !c.ok).map(([name]) => name);
  const status = healthStatus(health);
  // Job names only (never a monitor's id): the worker re-creates them within a minute.
  const degraded = s && !s.ok ? { missingSchedulers: s.missing } : {};
  return can(viewer, "settings.manage") ? { status, down, ...degraded, checks: { ...health.checks, ...(s ? { schedulers: s } : {}) } } : { status, down, ...degraded };
}
