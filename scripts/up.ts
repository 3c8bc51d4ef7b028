// `npm run up`: from a fresh clone to a running NeuralOps on http://localhost:3000 (or $PORT).
//   database  DATABASE_URL if set (the named database is created if missing), else an embedded
//             PGlite server with its data in .data/pglite
//   redis     REDIS_URL, else 127.0.0.1:6379, else a redis-server started here
//   then      migrations, seed, `next build` when sources changed, `next start` + the workers.
// `npm run up -- --dev` runs `next dev` instead of building. Ctrl-C / SIGTERM stops all of it.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import readline from "node:readline";

const root = path.resolve(import.meta.dirname, "..");
const at = (...p: string[]) => path.join(root, ...p);
const bin = (name: string) => at("node_modules/.bin", name);

const args = process.argv.slice(2);
const dev = args.includes("--dev");
if (args.includes("--help") || args.includes("-h")) {
  console.log(
    "usage: npm run up [-- --dev]\n  env: PORT (3000), HOST (0.0.0.0), DATABASE_URL, REDIS_URL, NEXTAUTH_SECRET, NEXTAUTH_URL, AGENT_GATEWAY_PORT (PORT+1), AGENT_GATEWAY_PUBLIC_URL,\n" +
      "       WORKER_METRICS_PORT (PORT+6465), AGENT_GATEWAY_METRICS_PORT (PORT+6466)",
  );
  process.exit(0);
}
const port = Number(process.env.PORT ?? 3000);
const gatewayPort = Number(process.env.AGENT_GATEWAY_PORT ?? port + 1);
const host = process.env.HOST || "0.0.0.0";
const probeHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;

// ---- the tsx CLI trap ----------------------------------------------------------------------------
// `tsx scripts/up.ts` runs us in a child of the tsx CLI. When tsx itself is signalled it forwards the
// signal and, if we do not acknowledge within 30 ms (easily missed on a busy 2-core machine), SIGKILLs
// us: mid-shutdown, leaving the web and worker process groups orphaned. So under the tsx CLI this
// process is only a shim that runs the real launcher as its own child (plain node with tsx's loader)
// and passes signals on. If the shim is killed, the launcher notices (stopWhenOrphaned) and shuts down.
const tsxLoader = tsxCliLoader();
if (tsxLoader) await runShim(tsxLoader);

function tsxCliLoader(): string | undefined {
  const argv = process.execArgv;
  if (!argv.some((a) => /tsx[\\/]dist[\\/]preflight\.cjs$/.test(a))) return undefined;
  const i = argv.findIndex((a, n) => n > 0 && argv[n - 1] === "--import" && /tsx[\\/]dist[\\/]loader\.mjs$/.test(a));
  return i > 0 ? argv[i] : undefined;
}

function runShim(loader: string): Promise<never> {
  const launcher = spawn(process.execPath, ["--import", loader, import.meta.filename, ...process.argv.slice(2)], { cwd: root, stdio: "inherit" });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => launcher.kill(signal));
  launcher.once("exit", (code, signal) => process.exit(code ?? (signal ? 128 + (signalNumber(signal) ?? 0) : 1)));
  return new Promise<never>(() => {});
}

const log = (msg: string) => console.log(`[up] ${msg}`);
const warn = (msg: string) => console.warn(`[up] warning: ${msg}`);

// ---- process bookkeeping ---------------------------------------------------------------------

type Child = { name: string; proc: ChildProcess; exited: Promise<number> };
const children = new Set<Child>();
const cleanups: (() => Promise<void>)[] = []; // run in reverse order after the children have stopped
let stopping = false;

/** Children get their own process group, so a terminal Ctrl-C reaches only us and we stop them in order. */
function start(name: string, cmd: string, argv: string[], env: NodeJS.ProcessEnv, opts: { prefix: boolean; onLine?: (line: string) => void }): Child {
  const proc = spawn(cmd, argv, { cwd: root, env, detached: true, stdio: ["ignore", opts.prefix ? "pipe" : "inherit", opts.prefix ? "pipe" : "inherit"] });
  if (opts.prefix) {
    for (const [stream, out] of [
      [proc.stdout!, process.stdout],
      [proc.stderr!, process.stderr],
    ] as const) {
      readline.createInterface({ input: stream, crlfDelay: Infinity }).on("line", (line) => {
        opts.onLine?.(line);
        out.write(`[${name}] ${line}\n`);
      });
    }
  }
  const exited = new Promise<number>((resolve) => {
    proc.once("error", (err) => {
      console.error(`[up] could not start ${name}: ${err.message}`);
      resolve(127);
    });
    proc.once("exit", (code, signal) => resolve(code ?? (signal ? 128 + (signalNumber(signal) ?? 0) : 1)));
  });
  const child = { name, proc, exited };
  children.add(child);
  void exited.then(() => children.delete(child));
  return child;
}

function signalNumber(signal: NodeJS.Signals): number | undefined {
  return ({ SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 } as Record<string, number>)[signal];
}

function killGroup(child: Child, signal: NodeJS.Signals): void {
  if (!child.proc.pid || child.proc.exitCode !== null || child.proc.signalCode !== null) return;
  try {
    process.kill(-child.proc.pid, signal); // the whole group: next-server, tsx's node child, …
  } catch {
    try {
      child.proc.kill(signal);
    } catch {
      // already gone
    }
  }
}

async function stopChild(child: Child): Promise<void> {
  killGroup(child, "SIGTERM");
  const timer = setTimeout(() => {
    console.warn(`[up] ${child.name} did not stop within 10 s; killing it`);
    killGroup(child, "SIGKILL");
  }, 10_000);
  await child.exited;
  clearTimeout(timer);
  // The leader may exit before the rest of its group: nothing of it may outlive `up`.
  try {
    if (child.proc.pid) process.kill(-child.proc.pid, "SIGKILL");
  } catch {
    // group is empty
  }
}

async function shutdown(code: number, why?: string): Promise<never> {
  if (!stopping) {
    stopping = true;
    if (why) log(why);
    if (children.size) log(`stopping ${[...children].map((c) => c.name).join(", ")}…`);
    await Promise.all([...children].map(stopChild));
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((err: Error) => console.error(`[up] cleanup failed: ${err.message}`));
    }
    log("stopped");
    process.exit(code);
  }
  return new Promise<never>(() => {}); // a shutdown is already under way
}

let firstSignalAt = 0;
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    if (!firstSignalAt) {
      firstSignalAt = Date.now();
      void shutdown(0, `${signal} received`);
    } else if (signal === "SIGINT" && Date.now() - firstSignalAt > 1_000) {
      // A second Ctrl-C: stop waiting for graceful shutdowns. (Within 1 s it is the same Ctrl-C
      // arriving twice: from the terminal and relayed by npm/tsx.)
      log("second Ctrl-C: killing");
      for (const child of children) killGroup(child, "SIGKILL");
    }
  });
}

/**
 * `npm run up` is npm → sh → tsx → shim → this process. A SIGTERM sent to npm alone (process managers,
 * `kill <npm pid>`) stops npm and sh but never reaches us, and tsx may SIGKILL the shim: we would keep
 * running with nobody left to stop us. So we watch our ancestors (Linux /proc only): when one of the
 * nearest few is re-parented or gone, whoever started us has exited, and we stop too.
 */
function stopWhenOrphaned(): void {
  const ppidOf = (pid: number): number | undefined => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      return Number(stat.slice(stat.lastIndexOf(") ") + 2).split(" ")[1]);
    } catch {
      return undefined;
    }
  };
  const chain: [pid: number, ppid: number][] = [];
  for (let pid = process.ppid; pid > 1 && chain.length < 5; ) {
    const ppid = ppidOf(pid);
    if (ppid === undefined) break;
    chain.push([pid, ppid]);
    pid = ppid;
  }
  if (!chain.length) return;
  setInterval(() => {
    if (process.ppid !== chain[0]![0] || chain.some(([pid, ppid]) => ppidOf(pid) !== ppid)) {
      void shutdown(0, "the command that started `up` has exited");
    }
  }, 1_000).unref();
}
stopWhenOrphaned();

/** Runs a step to completion (build, seed); a non-zero exit stops `up`. */
async function runStep(name: string, cmd: string, argv: string[], env: NodeJS.ProcessEnv, prefix = true, onLine?: (line: string) => void): Promise<void> {
  const code = await start(name, cmd, argv, env, { prefix, onLine }).exited;
  if (stopping) return new Promise(() => {});
  if (code !== 0) await shutdown(code || 1, `${name} failed (exit ${code})`);
}

// ---- steps -------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const { startEmbeddedPostgres } = await import("@/scripts/embedded-postgres");
  const { applyMigrations, ensureDatabase } = await import("@/lib/db/migrations");
  const { ensureRedis, redactUrl } = await import("@/scripts/redis-launcher");
  const { demoUsersWarning, parseActiveDemoUsersLine } = await import("@/lib/orgs/demo-users-notice");
  const { metricsPorts } = await import("@/lib/metrics/metrics-ports");
  // 1. data directory
  const dataDir = at(".data");
  process.env.NEURALOPS_DATA_DIR ??= dataDir;
  mkdirSync(dataDir, { recursive: true });
  await assertPortFree(port, host);
  const metrics = await metricsPorts(port, process.env);

  // 2. database
  let databaseUrl = process.env.DATABASE_URL;
  let databaseLabel: string;
  if (databaseUrl) {
    try {
      await ensureDatabase(databaseUrl);
    } catch (err) {
      throw new Error(`cannot use DATABASE_URL ${redactUrl(databaseUrl)}: ${(err as Error).message}\n  Fix it, or unset DATABASE_URL to use the embedded database in .data/pglite.`);
    }
    databaseLabel = `PostgreSQL ${redactUrl(databaseUrl)}`;
  } else {
    log("starting the embedded database (PGlite, data in .data/pglite)…");
    const pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pglite"), log });
    cleanups.push(pg.stop);
    databaseUrl = pg.url;
    databaseLabel = `embedded PGlite ${pg.url} (data in .data/pglite; single writer: set DATABASE_URL for production)`;
  }

  // 3. redis
  const redis = await ensureRedis({ url: process.env.REDIS_URL, dataDir, log });
  cleanups.push(redis.stop);
  const redisLabel = `${redactUrl(redis.url)} (${{ env: "REDIS_URL", local: "already running", started: "redis-server started by up" }[redis.source]})`;

  // The CLI and hand-started workers find this database and Redis through .data/runtime.json.
  const { writeRuntime, removeRuntime } = await import("@/lib/runtime-file");
  writeRuntime({ pid: process.pid, databaseUrl, redisUrl: redis.url, port, startedAt: new Date().toISOString() });
  cleanups.push(async () => removeRuntime());

  // 4. migrations
  const applied = await applyMigrations(databaseUrl, { log: (m) => log(`migrations: ${m}`) });
  if (!applied.length) log("migrations: database is up to date");

  // 6. (before the seed, so every child sees the same environment)
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET || nextAuthSecret(dataDir),
    NEXTAUTH_URL: process.env.NEXTAUTH_URL || `http://localhost:${port}`,
    NEXT_TELEMETRY_DISABLED: "1",
  };

  // 5. seed. The demo users are the point of `up` (a running product to try), so it opts in explicitly: the
  // seed refuses them under NODE_ENV=production otherwise. Their published password is warned about below.
  let demoUsers: string[] = [];
  if (existsSync(at("prisma/seed.ts"))) {
    await runStep("seed", bin("tsx"), ["prisma/seed.ts"], { ...env, NEURALOPS_SEED_DEMO: "true" }, true, (line) => {
      demoUsers = parseActiveDemoUsersLine(line) ?? demoUsers;
    });
  } else {
    warn("prisma/seed.ts not found: skipping the seed");
  }

  // 7. build
  if (!dev) {
    const stale = buildIsStale();
    if (stale) {
      log(`building the web app (${stale})…`);
      await runStep("build", bin("next"), ["build"], { ...env, NODE_ENV: "production" }, false);
    } else {
      log("web app build is up to date");
    }
  }

  // 8. web + workers
  const webArgs = dev ? ["dev", "-p", String(port), "-H", host] : ["start", "-p", String(port), "-H", host];
  const gatewayPublicUrl = process.env.AGENT_GATEWAY_PUBLIC_URL ?? `ws://localhost:${gatewayPort}/api/v1/agent/connect`;
  // The web app prints the gateway URL in the agents' install command.
  const webEnv: NodeJS.ProcessEnv = { ...env, NODE_ENV: dev ? "development" : "production", PORT: String(port), AGENT_GATEWAY_PUBLIC_URL: gatewayPublicUrl };
  const web = start("web", bin("next"), webArgs, webEnv, { prefix: true });
  const watched = [web];
  if (existsSync(at("workers/main.ts"))) {
    const workerEnv: NodeJS.ProcessEnv = { ...env, NODE_ENV: process.env.NODE_ENV || (dev ? "development" : "production") };
    // node --import tsx, not the tsx CLI: one process, so SIGTERM reaches the worker's own drain handler.
    watched.push(start("worker", process.execPath, ["--import", "tsx", "workers/main.ts"], { ...workerEnv, WORKER_METRICS_PORT: String(metrics.worker) }, { prefix: true }));
    // Agents' WebSockets land on their own port (Next route handlers cannot upgrade a connection).
    const gatewayEnv: NodeJS.ProcessEnv = {
      ...workerEnv,
      AGENT_GATEWAY_HOST: host,
      AGENT_GATEWAY_PORT: String(gatewayPort),
      AGENT_GATEWAY_METRICS_PORT: String(metrics.gateway),
    };
    watched.push(start("gateway", process.execPath, ["--import", "tsx", "workers/agent-gateway.ts"], gatewayEnv, { prefix: true }));
  } else {
    warn("workers/main.ts not found: starting without background workers");
  }
  for (const child of watched) {
    void child.exited.then((code) => {
      if (!stopping) void shutdown(code || 1, `${child.name} exited unexpectedly (exit ${code})`);
    });
  }

  const healthUrl = `http://${probeHost.includes(":") ? `[${probeHost}]` : probeHost}:${port}/api/health`;
  const ready = await waitForHttp(healthUrl, dev ? 300_000 : 120_000);
  if (stopping) return;
  if (!ready) warn(`${healthUrl} did not answer yet; the app may still be starting`);
  const line = "─".repeat(64);
  console.log(
    [
      "",
      line,
      `  NeuralOps is running${dev ? " (dev mode)" : ""}: http://localhost:${port}`,
      `  database  ${databaseLabel}`,
      `  redis     ${redisLabel}`,
      `  workers   ${watched.length > 1 ? "running" : "not started (workers/main.ts missing)"}`,
      `  agents    connect to ws://localhost:${gatewayPort}/api/v1/agent/connect (Agents page: install command)`,
      `  metrics   ${metricsLine(metrics)}`,
      "  Ctrl-C stops everything.",
      line,
      "",
    ].join("\n"),
  );
  for (const w of demoUsersWarning(demoUsers)) warn(w);
}

function metricsLine(m: { worker: number; gateway: number }): string {
  const at = (p: number) => (p ? `http://127.0.0.1:${p}/metrics` : "off");
  return `worker ${at(m.worker)}, gateway ${at(m.gateway)} (web: http://localhost:${port}/api/metrics)`;
}

/** The secret sessions are signed with: generated once, then kept so logins survive restarts. */
function nextAuthSecret(dataDir: string): string {
  const file = path.join(dataDir, "nextauth-secret");
  if (existsSync(file)) {
    const saved = readFileSync(file, "utf8").trim();
    if (saved.length >= 32) return saved;
  }
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  log("generated NEXTAUTH_SECRET (kept in .data/nextauth-secret)");
  return secret;
}

/** Why a build is needed, or undefined when .next/BUILD_ID is newer than every input. */
function buildIsStale(): string | undefined {
  const buildId = at(".next/BUILD_ID");
  if (!existsSync(buildId)) return "no previous build";
  const built = statSync(buildId).mtimeMs;
  const inputs = ["app", "lib", "components", "public", "next.config.js", "package-lock.json", "proxy.ts", "instrumentation.ts", "postcss.config.mjs", "tsconfig.json"];
  for (const input of inputs) {
    const newer = findNewer(at(input), built);
    if (newer) return `${path.relative(root, newer)} changed`;
  }
  return undefined;
}

function findNewer(p: string, than: number): string | undefined {
  let st;
  try {
    st = statSync(p);
  } catch {
    return undefined;
  }
  if (!st.isDirectory()) return st.mtimeMs > than ? p : undefined;
  for (const entry of readdirSync(p, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    if (entry.isDirectory() || entry.isFile()) {
      // test files are not part of the app bundle
      if (entry.isFile() && /\.test\.tsx?$/.test(entry.name)) continue;
      const found = findNewer(path.join(p, entry.name), than);
      if (found) return found;
    }
  }
  return undefined;
}

async function assertPortFree(p: number, h: string): Promise<void> {
  const inUse = new Error(`port ${p} is already in use (another \`npm run up\`?); stop that or choose another with PORT=…`);
  // Something listening on 127.0.0.1 only does not stop us from binding 0.0.0.0, but it would answer our
  // health check and most browsers' localhost: so a connection that succeeds means "taken" too.
  const answered = await new Promise<boolean>((resolve) => {
    const sock = net.connect({ port: p, host: h === "0.0.0.0" || h === "::" ? "127.0.0.1" : h });
    sock.setTimeout(1_000, () => sock.destroy());
    sock.once("connect", () => {
      sock.destroy();
      resolve(true);
    });
    sock.once("error", () => resolve(false));
    sock.once("close", () => resolve(false));
  });
  if (answered) throw inUse;
  await new Promise<void>((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", (err: NodeJS.ErrnoException) => reject(err.code === "EADDRINUSE" ? inUse : err));
    srv.listen(p, h, () => srv.close(() => resolve()));
  });
}

async function waitForHttp(url: string, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (!stopping && Date.now() < until) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000), redirect: "manual" });
      await res.body?.cancel();
      return true; // any status: the server is answering
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  return false;
}

main().catch((err: Error) => {
  console.error(`[up] ${err.message}`);
  void shutdown(1);
});
