import { describe, expect, it, vi } from "vitest";

// A Redis that never answers (the shared client queues commands while Redis is down).
vi.mock("@/lib/redis", () => {
  const never = () => new Promise(() => {});
  const multi = { incrby: () => multi, pexpire: () => multi, exec: never };
  return { redis: () => ({ get: never, multi: () => multi }), redisKey: (...p: string[]) => p.join(":") };
});

import { budgetLeft, spendBudget } from "@/lib/http/rate-limit";

describe("rate-limit budgets when Redis does not answer", () => {
  it("fail open after a bounded wait instead of hanging the request", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const budget = { name: "test", id: "t1", limit: 1 };
    const started = Date.now();
    expect((await spendBudget(budget, 5)).allowed).toBe(true);
    expect((await budgetLeft(budget)).allowed).toBe(true);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
