import { describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { checkHealth } from "@/lib/health/check-health";

describe("health", () => {
  it("is ok when PostgreSQL and Redis answer", async () => {
    const h = await checkHealth();
    expect(h.ok).toBe(true);
    expect(h.checks.postgres.ok && h.checks.redis.ok).toBe(true);
  });

  it("names Redis when it does not answer", async () => {
    const dead = new Redis("redis://127.0.0.1:1", { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    dead.on("error", () => {});
    const h = await checkHealth({ redis: dead });
    expect(h.ok).toBe(false);
    expect(h.checks.redis.ok).toBe(false);
    expect(h.checks.postgres.ok).toBe(true);
    dead.disconnect();
  });

  it("names PostgreSQL when it does not answer", async () => {
    const dead = new PrismaClient({ adapter: new PrismaPg({ connectionString: "postgresql://postgres@127.0.0.1:1/none", connectionTimeoutMillis: 500 }) });
    const h = await checkHealth({ db: dead });
    expect(h).toMatchObject({ ok: false, checks: { postgres: { ok: false }, redis: { ok: true } } });
    expect(h.checks.postgres.error).toBeTruthy();
    await dead.$disconnect();
  });
});
