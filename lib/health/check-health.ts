import { db } from "@/lib/db";
import { redis } from "@/lib/redis";

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

/** Readiness: both stores answer. No auth and no details beyond which store is down. */
export async function checkHealth(clients: { db?: Pick<typeof db, "$queryRaw">; redis?: Pick<ReturnType<typeof redis>, "ping"> } = {}): Promise<Health> {
  const pgClient = clients.db ?? db;
  const redisClient = clients.redis ?? redis();
  const [postgres, redisCheck] = await Promise.all([probe(() => pgClient.$queryRaw`SELECT 1`), probe(() => redisClient.ping())]);
  return { ok: postgres.ok && redisCheck.ok, checks: { postgres, redis: redisCheck } };
}
