// Vitest integration project: one fresh database and Redis prefix for the whole run, removed afterwards.
import type { TestProject } from "vitest/node";
import { createTestDatabase, deleteRedisPrefix, dropTestDatabase, runId, TEST_REDIS_URL } from "./services";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    redisUrl: string;
    redisPrefix: string;
  }
}

export default async function setup(project: TestProject) {
  const id = runId();
  const dbName = `neuralops_test_${id}_int`;
  const databaseUrl = await createTestDatabase(dbName);
  const redisPrefix = `neuralops-test-${id}`;
  project.provide("databaseUrl", databaseUrl);
  project.provide("redisUrl", TEST_REDIS_URL);
  project.provide("redisPrefix", redisPrefix);
  return async () => {
    await dropTestDatabase(dbName);
    await deleteRedisPrefix(redisPrefix);
  };
}
