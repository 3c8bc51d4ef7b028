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
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: (err as Error).message.split("\n")[0] };
  } finally {
    clearTimeout(timer);
  }
}

/** Readiness: both stores answer. No auth and no details beyond which store is down. */
export async function checkHealth(): Promise<Health> {
  const [postgres, redisCheck] = await Promise.all([probe(() => db.$queryRaw`SELECT 1`), probe(() => redis().ping())]);
  return { ok: postgres.ok && redisCheck.ok, checks: { postgres, redis: redisCheck } };
}
