// Where a running `npm run up` keeps the addresses it chose (.data/runtime.json), so the CLI and a
// worker started by hand use the same database and Redis with no environment variable: on a fresh
// clone `up` serves an embedded PostgreSQL on a port of its choosing and maybe a Redis of its own.
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { redactUrl } from "@/lib/redact-url";

const ZRuntime = z.object({
  pid: z.number().int().positive(),
  databaseUrl: z.string().url(),
  redisUrl: z.string().url(),
  port: z.number().int().nonnegative(),
  startedAt: z.string(),
});
export type Runtime = z.infer<typeof ZRuntime>;

/** The `.data` folder of the checkout the process runs in (`npm run …` runs at the package root). */
export function dataDir(): string {
  return process.env.NEURALOPS_DATA_DIR || path.join(process.cwd(), ".data");
}

const runtimePath = () => path.join(dataDir(), "runtime.json");

export function writeRuntime(r: Runtime): void {
  writeFileSync(runtimePath(), `${JSON.stringify(r, null, 2)}\n`, { mode: 0o600 });
}

/** Removes the file if it is still the one this process wrote (a second `up` may have replaced it). */
export function removeRuntime(pid = process.pid): void {
  const r = readRuntime();
  if (r.state !== "missing" && r.runtime?.pid === pid) rmSync(runtimePath(), { force: true });
}

export type RuntimeLookup = { state: "running"; runtime: Runtime } | { state: "stopped"; runtime: Runtime } | { state: "missing"; runtime?: undefined };

export function readRuntime(): RuntimeLookup {
  const file = runtimePath();
  if (!existsSync(file)) return { state: "missing" };
  let runtime: Runtime;
  try {
    runtime = ZRuntime.parse(JSON.parse(readFileSync(file, "utf8")));
  } catch {
    return { state: "missing" };
  }
  return { state: isAlive(runtime.pid) ? "running" : "stopped", runtime };
}

/** Whether a process with this pid exists (EPERM: it does, owned by someone else). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Fills DATABASE_URL and REDIS_URL from a running `up` when DATABASE_URL is unset. Explicit settings
 * always win; tests never read the file. (The sealing key falls back to .data/nextauth-secret in
 * lib/crypto/secret-box.ts.)
 */
export function runtimeDefaults(envIn: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (envIn.NODE_ENV === "test" || envIn.VITEST) return envIn;
  const out = { ...envIn };
  if (!out.DATABASE_URL) {
    const r = readRuntime();
    if (r.state === "running") {
      out.DATABASE_URL = r.runtime.databaseUrl;
      out.REDIS_URL ||= r.runtime.redisUrl;
    }
  }
  return out;
}

/** One line telling a user of the CLI or a hand-started worker what to do when no database answers. */
export function noDatabaseHint(databaseUrl: string, explicit: boolean): string {
  if (explicit) return `cannot reach the database in DATABASE_URL (${redactUrl(databaseUrl)}): check that it is running and the URL is right`;
  const r = readRuntime();
  if (r.state === "stopped" || existsSync(path.join(dataDir(), "pglite"))) {
    return "NeuralOps' embedded database is not running: start `npm run up` (in another terminal) and try again, or set DATABASE_URL";
  }
  return `no database at ${redactUrl(databaseUrl)}: start \`npm run up\` first (it starts an embedded database), or set DATABASE_URL`;
}

