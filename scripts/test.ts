// `npm test`: typecheck, unit tests, integration tests against the real Postgres and Redis, then the
// production build driven by Playwright in Chromium. Runs every stage and fails if any failed.
import { spawnSync } from "node:child_process";
import { existsSync, statSync, readdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { Redis } from "ioredis";
import { PG_SERVER_URL, TEST_REDIS_URL } from "../test/services";

const root = path.resolve(import.meta.dirname, "..");
const bin = (name: string) => path.join(root, "node_modules/.bin", name);
const only = process.argv.slice(2); // e.g. `npm test -- unit e2e`

async function checkServices() {
  const problems: string[] = [];
  const client = new pg.Client({ connectionString: PG_SERVER_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (err) {
    problems.push(`PostgreSQL at ${PG_SERVER_URL} is not reachable (${(err as Error).message}); start it or set TEST_PG_URL`);
  } finally {
    await client.end().catch(() => {});
  }
  const r = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 3000, retryStrategy: () => null });
  try {
    await r.connect();
    await r.ping();
  } catch (err) {
    problems.push(`Redis at ${TEST_REDIS_URL} is not reachable (${(err as Error).message}); start it or set TEST_REDIS_URL`);
  } finally {
    r.disconnect();
  }
  if (problems.length) {
    console.error(problems.map((p) => `npm test: ${p}`).join("\n"));
    process.exit(1);
  }
}

function newestMtime(p: string): number {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = s.mtimeMs;
  for (const e of readdirSync(p)) if (e !== "node_modules" && e !== "generated") newest = Math.max(newest, newestMtime(path.join(p, e)));
  return newest;
}

function buildIsStale(): boolean {
  const id = path.join(root, ".next/BUILD_ID");
  if (!existsSync(id)) return true;
  const built = statSync(id).mtimeMs;
  return ["app", "lib", "components", "types", "public", "next.config.js", "proxy.ts", "instrumentation.ts", "package-lock.json", "postcss.config.mjs"].some((p) => newestMtime(path.join(root, p)) > built);
}

type Stage = { name: string; run: () => number };
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const sh = (cmd: string, args: string[]) => spawnSync(cmd, args, { cwd: root, stdio: "inherit", env }).status ?? 1;

const stages: Stage[] = [
  { name: "typecheck", run: () => sh(bin("tsc"), ["--noEmit"]) },
  // Import boundaries and Next's rules (eslint.config.mjs); a warning fails too, so none pile up.
  { name: "lint", run: () => sh(bin("eslint"), [".", "--max-warnings", "0"]) },
  { name: "unit", run: () => sh(bin("vitest"), ["run", "--project", "unit"]) },
  // CPU-time budgets, alone on the machine (a timed test beside others measures the others).
  { name: "timing", run: () => sh(bin("vitest"), ["run", "--project", "timing"]) },
  { name: "integration", run: () => sh(bin("vitest"), ["run", "--project", "integration"]) },
  {
    name: "e2e",
    run: () => {
      if (buildIsStale()) {
        const code = sh(bin("next"), ["build"]);
        if (code !== 0) return code;
      }
      return sh(bin("playwright"), ["test"]);
    },
  },
];

// What each stage runs for real; scripts/prepare-machine.sh installs or starts it (or says how).
const NEEDS: Record<string, string[]> = { typecheck: [], lint: [], unit: ["openssl"], integration: ["pg", "redis", "prometheus"], e2e: ["pg", "redis", "chromium"] };
const needs = [...new Set(stages.filter((s) => !only.length || only.includes(s.name)).flatMap((s) => NEEDS[s.name] ?? []))];
if (needs.length && sh("bash", [path.join(root, "scripts/prepare-machine.sh"), ...needs]) !== 0) process.exit(1);
if (needs.includes("pg") || needs.includes("redis")) await checkServices();
const results: { name: string; ok: boolean; seconds: number }[] = [];
for (const stage of stages) {
  if (only.length && !only.includes(stage.name)) continue;
  console.log(`\n=== ${stage.name} ===`);
  const started = Date.now();
  const code = stage.run();
  results.push({ name: stage.name, ok: code === 0, seconds: Math.round((Date.now() - started) / 1000) });
}
console.log("\n=== summary ===");
for (const r of results) console.log(`${r.ok ? "PASS" : "FAIL"}  ${r.name.padEnd(12)} ${r.seconds}s`);
const failed = results.filter((r) => !r.ok).length;
process.exit(failed ? 1 : 0);
