// Fixed-window budgets in Redis, so every web process shares one count per caller. Windows are aligned
// on the clock (key = window number), so no process has to agree with another on when a window began.
import { redis, redisKey } from "@/lib/redis";

export type Budget = { name: string; id: string; limit: number; windowSeconds?: number };
export type BudgetResult = { allowed: boolean; used: number; retryAfterSeconds: number };

function windowOf({ name, id, windowSeconds = 1 }: Budget) {
  const ms = windowSeconds * 1000;
  const now = Date.now();
  const n = Math.floor(now / ms);
  return { key: redisKey("ratelimit", name, id, String(n)), ttlMs: 2 * ms, retryAfterSeconds: Math.max(1, Math.ceil(((n + 1) * ms - now) / 1000)) };
}

/** Adds `cost` to the caller's current window; not allowed once the window holds more than the limit. */
export async function spendBudget(budget: Budget, cost: number): Promise<BudgetResult> {
  const w = windowOf(budget);
  const [[, used]] = (await redis().multi().incrby(w.key, cost).pexpire(w.key, w.ttlMs).exec()) as [[unknown, number], unknown];
  return { allowed: used <= budget.limit, used, retryAfterSeconds: w.retryAfterSeconds };
}

/** Whether the caller's current window is already spent, without adding to it (a cheap early refusal). */
export async function budgetLeft(budget: Budget): Promise<BudgetResult> {
  const w = windowOf(budget);
  const used = Number((await redis().get(w.key)) ?? 0);
  return { allowed: used < budget.limit, used, retryAfterSeconds: w.retryAfterSeconds };
}
