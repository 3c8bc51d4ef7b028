// BullMQ needs a Redis that never evicts: the worker says so at start when its Redis may.
import { afterAll, describe, expect, it } from "vitest";
import { startOwnRedis } from "@/test/own-stores";
import { killAllWorkers, startWorker, stopWorker } from "@/test/worker-process";

afterAll(() => killAllWorkers());

describe("worker start", () => {
  it("warns when Redis's maxmemory-policy is not noeviction, and not when it is", { timeout: 60_000 }, async () => {
    for (const [policy, warns] of [["allkeys-lru", true], ["noeviction", false]] as const) {
      const redis = await startOwnRedis({ maxmemoryPolicy: policy });
      const w = startWorker({ REDIS_URL: redis.url, WORKER_QUEUES: "maintenance:1" });
      try {
        await w.started;
        const warning = w.output.join("").split("\n").find((l) => l.includes("maxmemory-policy is not noeviction"));
        if (warns) expect(JSON.parse(warning!)).toMatchObject({ level: "warn", maxmemoryPolicy: "allkeys-lru" });
        else expect(warning).toBeUndefined();
      } finally {
        await stopWorker(w);
        await redis.stop();
      }
    }
  });
});
