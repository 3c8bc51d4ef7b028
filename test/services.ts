// Test infrastructure shared by vitest and Playwright: a throwaway database and Redis prefix per run,
// on the real PostgreSQL and Redis (TEST_PG_URL / TEST_REDIS_URL, default the local servers).
import { randomBytes } from "node:crypto";
import pg from "pg";
import { Redis } from "ioredis";
import { applyMigrations, ensureDatabase } from "@/lib/db/migrations";

export const PG_SERVER_URL = process.env.TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

export function runId(): string {
  return `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
}

export function databaseUrl(name: string): string {
  const url = new URL(PG_SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function createTestDatabase(name: string): Promise<string> {
  const url = databaseUrl(name);
  await ensureDatabase(url);
  await applyMigrations(url);
  return url;
}

export async function dropTestDatabase(name: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_SERVER_URL });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

export async function deleteRedisPrefix(prefix: string): Promise<number> {
  const r = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  let deleted = 0;
  try {
    let cursor = "0";
    do {
      const [next, keys] = await r.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      if (keys.length) deleted += await r.unlink(...keys);
    } while (cursor !== "0");
  } finally {
    r.disconnect();
  }
  return deleted;
}

/** Drops test databases older than a day that a killed run left behind (names carry a base-36 time). */
export async function dropStaleTestDatabases(): Promise<void> {
  const client = new pg.Client({ connectionString: PG_SERVER_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'neuralops\\_test\\_%'`);
    for (const { datname } of rows) {
      // neuralops_test_<run id>_<suffix>; the run id starts with Date.now() in base 36 (8 digits).
      const born = parseInt(datname.split("_")[2]?.slice(0, 8) ?? "", 36);
      if (Number.isFinite(born) && Date.now() - born > 24 * 3600 * 1000) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}

/**
 * For benchmarks: a fresh migrated database and Redis key prefix, set as this process's DATABASE_URL and
 * REDIS_PREFIX before lib/ is imported (worker processes started from here inherit them); drop() removes both.
 */
export async function throwawayEnvironment(label = "bench") {
  const id = runId();
  const dbName = `neuralops_test_${id}_${label}`;
  const prefix = `neuralops-test-${id}-${label}`;
  const url = await createTestDatabase(dbName);
  process.env.DATABASE_URL = url;
  process.env.REDIS_PREFIX = prefix;
  return {
    id,
    url,
    prefix,
    async drop() {
      await dropTestDatabase(dbName);
      await deleteRedisPrefix(prefix);
    },
  };
}
