// Fixed-window budgets in Redis, so every web process shares one count per caller. Windows are aligned
// on the clock (key = window number), so no process has to agree with another on when a window began.
//
// A budget fails open: if Redis does not answer within REDIS_WAIT_MS the request is allowed (and a
// warning logged). The shared client queues commands while Redis is away, so waiting for it would
// hang every ingest request for the length of an outage instead of just not counting them.
import { redis, redisKey } from "@/lib/redis";

export type Budget = { name: string; id: string; limit: number; windowSeconds?: number };
export type BudgetResult = { allowed: boolean; used: number; retryAfterSeconds: number };

const REDIS_WAIT_MS = 1000;

function windowOf({ name, id, windowSeconds = 1 }: Budget) {
  const ms = windowSeconds * 1000;
  const now = Date.now();
  const n = Math.floor(now / ms);
  return { key: redisKey("ratelimit", name, id, String(n)), ttlMs: 2 * ms, retryAfterSeconds: Math.max(1, Math.ceil(((n + 1) * ms - now) / 1000)) };
}

async function orAllow(budget: Budget, count: Promise<number>, retryAfterSeconds: number, check: (used: number) => boolean): Promise<BudgetResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const used = await Promise.race([count, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${REDIS_WAIT_MS} ms`)), REDIS_WAIT_MS)))]);
    return { allowed: check(used), used, retryAfterSeconds };
  } catch (err) {
    console.warn(JSON.stringify({ level: "warn", msg: "rate limit not checked (Redis)", budget: budget.name, error: (err as Error).message }));
    return { allowed: true, used: 0, retryAfterSeconds };
  } finally {
    clearTimeout(timer);
  }
}

/** Adds `cost` to the caller's current window; not allowed once the window holds more than the limit. */
export async function spendBudget(budget: Budget, cost: number): Promise<BudgetResult> {
  const w = windowOf(budget);
  const count = redis()
    .multi()
    .incrby(w.key, cost)
    .pexpire(w.key, w.ttlMs)
    .exec()
    .then((r) => {
      const [err, used] = r?.[0] ?? [];
      if (err) throw err;
      return Number(used);
    });
  return orAllow(budget, count, w.retryAfterSeconds, (used) => used <= budget.limit);
}

/** Whether the caller's current window is already spent, without adding to it (a cheap early refusal). */
export async function budgetLeft(budget: Budget): Promise<BudgetResult> {
  const w = windowOf(budget);
  const count = redis()
    .get(w.key)
    .then((v) => Number(v ?? 0));
  return orAllow(budget, count, w.retryAfterSeconds, (used) => used < budget.limit);
}
