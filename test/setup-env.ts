// Runs in each integration test worker before the test file is imported: point lib/env at this run's
// database and Redis prefix, and close shared clients when the file is done.
import { afterAll, inject } from "vitest";

process.env.DATABASE_URL = inject("databaseUrl");
process.env.REDIS_URL = inject("redisUrl");
process.env.REDIS_PREFIX = inject("redisPrefix");
process.env.NEXTAUTH_SECRET ??= "integration-test-secret-0123456789";
process.env.DATABASE_POOL_MAX = "20";

afterAll(async () => {
  const { db } = await import("@/lib/db");
  const { closeRedis } = await import("@/lib/redis");
  const { closeQueues } = await import("@/lib/jobs/queue");
  await closeQueues();
  await db.$disconnect();
  await closeRedis();
});
