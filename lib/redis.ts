// The shared ioredis connection (one per process) and the key prefix every module uses.
import { Redis } from "ioredis";
import { env } from "@/lib/env";

const g = globalThis as unknown as { __neuralopsRedis?: Redis };

/** BullMQ needs maxRetriesPerRequest: null on connections it blocks on; it is harmless for plain commands. */
export function redis(): Redis {
  if (!g.__neuralopsRedis) {
    // Reconnect attempts at most 500 ms apart (ioredis: 2 s), so a restarted Redis is used within half a
    // second; connection clones (BullMQ workers) inherit it.
    g.__neuralopsRedis = new Redis(env().REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: false, enableOfflineQueue: true, retryStrategy: (times) => Math.min(times * 50, 500) });
    g.__neuralopsRedis.on("error", () => {
      // ioredis reconnects by itself; health checks report the outage. Without a listener it would crash the process.
    });
  }
  return g.__neuralopsRedis;
}

/**
 * Redis's maxmemory-policy, from INFO (CONFIG GET is often disabled on managed Redis). BullMQ needs
 * "noeviction": any other policy lets Redis drop jobs and job schedulers when memory runs short.
 */
export async function evictionPolicy(client: Pick<Redis, "info"> = redis()): Promise<string | undefined> {
  const info = await client.info("memory");
  return /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
}

export function redisKey(...parts: string[]): string {
  return [env().REDIS_PREFIX, ...parts].join(":");
}

export async function closeRedis(): Promise<void> {
  const r = g.__neuralopsRedis;
  g.__neuralopsRedis = undefined;
  if (r) await r.quit().catch(() => r.disconnect());
}
