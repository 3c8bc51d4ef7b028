// The Redis `npm run up` starts follows BullMQ's production guidance: nothing evicted, data on disk.
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { startRedisServer } from "@/scripts/redis-launcher";
import { evictionPolicy } from "@/lib/redis";

const dir = mkdtempSync(path.join(tmpdir(), "neuralops-redis-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("startRedisServer", () => {
  it("runs with maxmemory-policy noeviction and an append-only file that survives a restart", async () => {
    const first = await startRedisServer("redis-server", dir);
    const a = new Redis(first.url);
    try {
      expect(await evictionPolicy(a)).toBe("noeviction");
      expect(await a.config("GET", "appendonly")).toEqual(["appendonly", "yes"]);
      await a.set("neuralops-test:kept", "1");
    } finally {
      a.disconnect();
      await first.stop();
    }
    const second = await startRedisServer("redis-server", dir);
    const b = new Redis(second.url);
    try {
      expect(await b.get("neuralops-test:kept")).toBe("1");
    } finally {
      b.disconnect();
      await second.stop();
    }
  });
});
