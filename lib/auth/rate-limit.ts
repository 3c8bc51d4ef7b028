// Fixed-window login throttling in Redis, keyed by account and by client IP, so one attacker cannot
// guess one account's password nor spray many accounts from one address.
import { env } from "@/lib/env";
import { redis, redisKey } from "@/lib/redis";

export type LimitResult = { allowed: boolean; retryAfterSeconds: number };

export async function hitLoginLimit(keys: { email: string; ip?: string }): Promise<LimitResult> {
  const { LOGIN_MAX_ATTEMPTS: max, LOGIN_WINDOW_SECONDS: window } = env();
  const ids = [`email:${keys.email.toLowerCase()}`, ...(keys.ip ? [`ip:${keys.ip}`] : [])];
  let allowed = true;
  let retry = 0;
  for (const id of ids) {
    // The IP bucket is wider: many users legitimately share one NAT address.
    const limit = id.startsWith("ip:") ? max * 5 : max;
    const key = redisKey("login", id);
    const [[, count], , [, ttl]] = (await redis().multi().incr(key).expire(key, window, "NX").ttl(key).exec()) as [
      [unknown, number],
      [unknown, number],
      [unknown, number],
    ];
    if (count > limit) {
      allowed = false;
      retry = Math.max(retry, ttl);
    }
  }
  return { allowed, retryAfterSeconds: retry };
}

export async function clearLoginLimit(email: string): Promise<void> {
  await redis().del(redisKey("login", `email:${email.toLowerCase()}`));
}
