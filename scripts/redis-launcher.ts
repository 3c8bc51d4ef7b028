// Finds a Redis for `npm run up`: the one in REDIS_URL, else one already on 127.0.0.1:6379, else a
// redis-server started here as a child process (stopped again by stop()).
import { spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants, mkdirSync, readFileSync, realpathSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { Redis } from "ioredis";
import { redactUrl } from "@/lib/redact-url";

export type RedisHandle = {
  url: string;
  /** "env" = REDIS_URL, "local" = already running on 6379, "started" = our redis-server child. */
  source: "env" | "local" | "started";
  stop(): Promise<void>;
};

export const LOCAL_REDIS_URL = "redis://127.0.0.1:6379";

/**
 * BullMQ's production guidance: queues, delayed jobs and job schedulers are Redis data, so Redis keeps
 * them on disk (an append-only file in --dir, fsynced every second: a crash loses at most about a
 * second) and never evicts them (noeviction: when memory is full, writes fail loudly instead of jobs
 * disappearing).
 */
export const BULLMQ_REDIS_ARGS = ["--appendonly", "yes", "--appendfsync", "everysec", "--save", "", "--maxmemory-policy", "noeviction"];

export async function ensureRedis(opts: {
  url?: string;
  dataDir: string;
  log?: (msg: string) => void;
  /** Where to look for an already running Redis (tests override it). */
  localUrl?: string;
}): Promise<RedisHandle> {
  const log = opts.log ?? (() => {});
  const noop = async () => {};
  if (opts.url) {
    const err = await ping(opts.url);
    if (err) throw new Error(`Redis at ${redactUrl(opts.url)} (REDIS_URL) does not answer PING: ${err}. Start it, fix REDIS_URL, or unset REDIS_URL to use a local one.`);
    return { url: opts.url, source: "env", stop: noop };
  }
  const localUrl = opts.localUrl ?? LOCAL_REDIS_URL;
  if (!(await ping(localUrl, 1_000))) return { url: localUrl, source: "local", stop: noop };

  const binary = findOnPath("redis-server");
  if (!binary) {
    throw new Error(
      `NeuralOps needs Redis and none was found: nothing answers on ${new URL(localUrl).host} and \`redis-server\` is not on PATH.\n` +
        "  Install it (Debian/Ubuntu: `sudo apt-get install redis-server`; macOS: `brew install redis`) and run `npm run up` again,\n" +
        "  or point REDIS_URL at a running Redis (e.g. REDIS_URL=redis://host:6379).",
    );
  }
  return startRedisServer(binary, path.join(opts.dataDir, "redis"), log);
}

export async function startRedisServer(binary: string, dir: string, log: (msg: string) => void = () => {}): Promise<RedisHandle> {
  mkdirSync(dir, { recursive: true });
  const pidFile = path.join(dir, "redis-server.pid");
  await stopLeftover(pidFile, log);
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  // Own process group: a terminal Ctrl-C must not stop Redis before the workers using it have drained.
  const child = spawn(binary, ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, ...BULLMQ_REDIS_ARGS, "--daemonize", "no", "--pidfile", pidFile], {
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-4_000));
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  let exited: string | undefined;
  child.once("error", (e) => (exited = `could not run ${binary}: ${e.message}`));
  child.once("exit", (code, signal) => (exited ??= `redis-server exited (${signal ?? `code ${code}`})`));

  const until = Date.now() + 15_000;
  for (;;) {
    if (exited) throw new Error(`${exited}\n${output.trim()}`);
    if (!(await ping(url, 500))) break;
    if (Date.now() > until) {
      await stopChild(child);
      throw new Error(`redis-server on port ${port} did not answer PING within 15 s\n${output.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  log(`started redis-server (pid ${child.pid}) on ${url}`);
  let stopping: Promise<void> | undefined;
  return { url, source: "started", stop: () => (stopping ??= stopChild(child)) };
}

/** A redis-server left running by an earlier `npm run up` that was killed with SIGKILL. */
async function stopLeftover(pidFile: string, log: (msg: string) => void): Promise<void> {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, "utf8").trim());
  } catch {
    return;
  }
  // Linux only (elsewhere we leave it alone). Redis rewrites its title but runs with cwd = its --dir.
  let ours = false;
  try {
    ours = readFileSync(`/proc/${pid}/comm`, "utf8").startsWith("redis-server") && realpathSync(`/proc/${pid}/cwd`) === realpathSync(path.dirname(pidFile));
  } catch {
    return;
  }
  if (!pid || !ours) return;
  log(`stopping redis-server ${pid} left over from an earlier run`);
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return;
  }
  for (let i = 0; i < 50; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // gone
  }
}

/** SIGTERM (Redis shuts down cleanly), SIGKILL after 5 s. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await done;
  clearTimeout(timer);
}

/** Resolves to undefined when PING answers, else to the reason it did not. */
export async function ping(url: string, timeoutMs = 3_000): Promise<string | undefined> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let lastError: Error | undefined;
  client.on("error", (e: Error) => (lastError = e));
  try {
    await withTimeout(
      (async () => {
        await client.connect();
        const reply = await client.ping();
        if (reply !== "PONG") throw new Error(`unexpected reply ${reply}`);
      })(),
      timeoutMs,
    );
    return undefined;
  } catch (err) {
    return (lastError?.message || (err as Error).message || String(err)).replace(/\.+$/, "");
  } finally {
    client.disconnect();
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms))),
  ]).finally(() => clearTimeout(timer));
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** The URL without its password, for logs and banners. */
export { redactUrl };
