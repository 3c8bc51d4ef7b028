import { db } from "@/lib/db";
import { redis } from "@/lib/redis";
import type { Actor } from "@/lib/context";
import { can } from "@/lib/authz/assert-can";

export type Health = { ok: boolean; checks: Record<"postgres" | "redis", { ok: boolean; latencyMs: number; error?: string }> };

const TIMEOUT_MS = 2000;

async function probe(fn: () => Promise<unknown>) {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      }),
    ]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    const e = err as { message?: string; code?: string; cause?: { code?: string; message?: string } };
    const line = (e.message ?? "").split("\n").map((l) => l.trim()).find(Boolean);
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: line || e.cause?.message || e.code || e.cause?.code || "unreachable" };
  } finally {
    clearTimeout(timer);
  }
}

/** Readiness: both stores answer. */
export async function checkHealth(clients: { db?: Pick<typeof db, "$queryRaw">; redis?: Pick<ReturnType<typeof redis>, "ping"> } = {}): Promise<Health> {
  const pgClient = clients.db ?? db;
  const redisClient = clients.redis ?? redis();
  const [postgres, redisCheck] = await Promise.all([probe(() => pgClient.$queryRaw`SELECT 1`), probe(() => redisClient.ping())]);
  return { ok: postgres.ok && redisCheck.ok, checks: { postgres, redis: redisCheck } };
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
  const down = Object.entries(health.checks).filter(([, c]) => !c.ok).map(([name]) => name);
  const status = health.ok ? "ok" : "unavailable";
  return can(viewer, "settings.manage") ? { status, down, checks: health.checks } : { status, down };
}
