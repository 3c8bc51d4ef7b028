// The shared ioredis connection (one per process) and the key prefix every module uses.
import { Redis } from "ioredis";
import { env } from "@/lib/env";

const g = globalThis as unknown as { __neuralopsRedis?: Redis };

/** BullMQ needs maxRetriesPerRequest: null on connections it blocks on; it is harmless for plain commands. */
export function redis(): Redis {
  if (!g.__neuralopsRedis) {
    g.__neuralopsRedis = new Redis(env().REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: false, enableOfflineQueue: true });
    g.__neuralopsRedis.on("error", () => {
      // ioredis reconnects by itself; health checks report the outage. Without a listener it would crash the process.
    });
  }
  return g.__neuralopsRedis;
}

export function redisKey(...parts: string[]): string {
  return [env().REDIS_PREFIX, ...parts].join(":");
}

export async function closeRedis(): Promise<void> {
  const r = g.__neuralopsRedis;
  g.__neuralopsRedis = undefined;
  if (r) await r.quit().catch(() => r.disconnect());
}
