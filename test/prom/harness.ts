/**
 * Test harness that runs the real Debian `prometheus` (2.42) and `prometheus-alertmanager` (0.25)
 * binaries on 127.0.0.1, plus the small HTTP servers a test needs around them (a scrape target whose
 * value the test controls, and a receiver that records what Prometheus/Alertmanager send).
 *
 * Everything lives in a fresh temp dir per process and is removed on stop(). Processes are killed
 * on stop(), again from a process 'exit' hook, and (when util-linux `setpriv` exists) by the kernel
 * if this Node process dies without running either: they are started with PR_SET_PDEATHSIG=KILL, so
 * a Ctrl-C'd or OOM-killed test run cannot leave a Prometheus bound to a port.
 *
 * Configs are written as JSON: JSON is valid YAML, and Prometheus/Alertmanager read it as such, so no
 * YAML library is needed and no string templating can produce broken indentation.
 *
 * Install: `apt-get install -y prometheus prometheus-alertmanager` (their services do not start under
 * the container policy; we start the binaries ourselves). Override paths with PROMETHEUS_BIN /
 * ALERTMANAGER_BIN.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? "/usr/bin/prometheus";
export const ALERTMANAGER_BIN = process.env.ALERTMANAGER_BIN ?? "/usr/bin/prometheus-alertmanager";
export const PROMTOOL_BIN = process.env.PROMTOOL_BIN ?? "/usr/bin/promtool";
const SETPRIV = "/usr/bin/setpriv";

export function missingBinaries(): string[] {
  return [PROMETHEUS_BIN, ALERTMANAGER_BIN, PROMTOOL_BIN].filter((b) => !existsSync(b));
}

// ---------------------------------------------------------------------------------------------------
// Cleanup registry: whatever a test forgets (or a thrown assertion skips) is killed/removed at exit.

const liveProcesses = new Set<ChildProcess>();
const liveDirs = new Set<string>();
const liveServers = new Set<Server>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous: SIGKILL (no graceful shutdown to wait for) and rmSync.
  process.once("exit", () => {
    for (const child of liveProcesses) child.kill("SIGKILL");
    for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
  });
}

const TEMP_PREFIX = /^neuralops-(prometheus|alertmanager)-/;
const OWNER_FILE = "owner.pid";
let swept = false;

function makeTempDir(prefix: string): string {
  installExitHook();
  if (!swept) {
    swept = true;
    sweepOrphanedDirs();
  }
  const dir = mkdtempSync(path.join(tmpdir(), `neuralops-${prefix}-`));
  liveDirs.add(dir);
  writeFileSync(path.join(dir, OWNER_FILE), String(process.pid));
  return dir;
}

/**
 * A SIGKILLed test run cannot remove its temp dirs (its processes still die, see PDEATHSIG above).
 * Each dir records its owner's pid; remove the ones whose owner no longer exists.
 */
function sweepOrphanedDirs(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!TEMP_PREFIX.test(name)) continue;
    const dir = path.join(tmpdir(), name);
    let owner: number;
    try {
      owner = Number(readFileSync(path.join(dir, OWNER_FILE), "utf8"));
    } catch {
      continue; // not ours, or being created right now
    }
    if (Number.isInteger(owner) && owner > 0 && !isAlive(owner)) rmSync(dir, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"; // exists, owned by someone else
  }
}

function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  liveDirs.delete(dir);
}

/** Stops every process, server and temp dir this harness still tracks (for afterAll). */
export async function stopAll(): Promise<void> {
  await Promise.all([...liveProcesses].map((c) => stopChild(c)));
  await Promise.all([...liveServers].map((s) => closeServer(s)));
  for (const dir of [...liveDirs]) removeTempDir(dir);
}

// ---------------------------------------------------------------------------------------------------
// Processes

type Managed = { child: ChildProcess; logs: string[]; exited: Promise<number | null> };

function startProcess(bin: string, args: string[], cwd: string): Managed {
  installExitHook();
  const [cmd, argv] = existsSync(SETPRIV) ? [SETPRIV, ["--pdeathsig", "KILL", "--", bin, ...args]] : [bin, args];
  const child = spawn(cmd, argv, { cwd, stdio: ["ignore", "pipe", "pipe"] });
  liveProcesses.add(child);
  // Keep the last lines of output for error messages (both programs log to stderr).
  const logs: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) if (line) logs.push(line);
    if (logs.length > 200) logs.splice(0, logs.length - 200);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => {
      liveProcesses.delete(child);
      resolve(code);
    });
    child.once("error", (err) => {
      logs.push(`spawn error: ${err.message}`);
      liveProcesses.delete(child);
      resolve(null);
    });
  });
  return { child, logs, exited };
}

/** SIGTERM, then SIGKILL if it has not exited within graceMs; resolves once it is gone. */
async function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill("SIGTERM");
  // Prometheus' graceful shutdown can wait up to a minute flushing remote_write to an endpoint that
  // is already gone; tests do not need that data, so do not wait for it.
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await gone;
  clearTimeout(timer);
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const { port } = srv.address() as AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

/** Polls `url` until it answers 200, the process exits, or the deadline passes. */
async function waitReady(m: Managed, url: string, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void m.exited.then((c) => (exitCode = c));
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new HarnessError(`${what} exited (code ${exitCode}) before becoming ready`, m.logs);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new HarnessError(`${what} not ready after ${timeoutMs} ms (${url})`, m.logs);
}

export class HarnessError extends Error {
  constructor(message: string, logs: string[]) {
    super(`${message}\n--- last log lines ---\n${logs.slice(-25).join("\n")}`);
    this.name = "HarnessError";
  }
}

/** Starts a server process on a fresh port, retrying when another process grabbed the port first. */
async function startOnFreePort(
  what: string,
  bin: string,
  argsFor: (port: number) => string[],
  cwd: string,
  readyPath: string,
): Promise<{ m: Managed; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const m = startProcess(bin, argsFor(port), cwd);
    try {
      await waitReady(m, `http://127.0.0.1:${port}${readyPath}`, what);
      return { m, port };
    } catch (e) {
      await stopChild(m.child);
      // freePort() closes its probe socket before the child binds: another test may win the race.
      if (attempt < 3 && m.logs.some((l) => /address already in use/i.test(l))) continue;
      throw e;
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Prometheus

export type PrometheusOptions = {
  /** host:port targets scraped as job "target" at `scrapeInterval`. */
  scrapeTargets?: string[];
  /** Scrape and rule evaluation interval. Default "1s". */
  scrapeInterval?: string;
  /** Rule files (YAML or JSON text) loaded from the config's rules dir. */
  ruleFiles?: { name: string; content: string }[];
  /** Alertmanager base URL, e.g. `http://127.0.0.1:9093`. */
  alertmanagerUrl?: string;
  /** `credentialsFile`: a bearer token Prometheus reads from that file (`authorization.credentials_file`). */
  remoteWrite?: { url: string; bearerToken?: string; credentialsFile?: string }[];
  extraFlags?: string[];
  /**
   * History to load before Prometheus starts: OpenMetrics text (`name{l="v"} value unix-seconds` lines,
   * ending with `# EOF`), turned into TSDB blocks by `promtool tsdb create-blocks-from openmetrics`.
   * Prometheus refuses old samples over remote_write and scrapes only stamp "now", so this is how a
   * test gets hours of past data.
   */
  backfill?: string;
};

export type PrometheusHandle = {
  url: string;
  port: number;
  /** The server's process id (benchmarks read its CPU time). */
  pid: number | undefined;
  dataDir: string;
  configPath: string;
  rulesDir: string;
  /** Adds or replaces a rule file; call reload() afterwards. */
  writeRuleFile(name: string, content: string): Promise<void>;
  /** POST /-/reload (needs --web.enable-lifecycle, which we pass). */
  reload(): Promise<void>;
  logs(): string[];
  stop(): Promise<void>;
};

export async function startPrometheus(opts: PrometheusOptions = {}): Promise<PrometheusHandle> {
  const dir = makeTempDir("prometheus");
  const dataDir = path.join(dir, "data");
  const rulesDir = path.join(dir, "rules");
  const configPath = path.join(dir, "prometheus.yml");
  await mkdir(dataDir);
  await mkdir(rulesDir);
  for (const f of opts.ruleFiles ?? []) await writeFile(path.join(rulesDir, safeName(f.name)), f.content);
  if (opts.backfill !== undefined) await backfillBlocks(dir, dataDir, opts.backfill);

  const interval = opts.scrapeInterval ?? "1s";
  const config = {
    global: {
      scrape_interval: interval,
      // There is no --evaluation-interval flag: rule evaluation frequency is this global setting.
      evaluation_interval: interval,
      // The 10s default would be longer than a 1s interval, which Prometheus rejects at startup.
      scrape_timeout: interval,
    },
    rule_files: [path.join(rulesDir, "*")],
    scrape_configs: opts.scrapeTargets?.length ? [{ job_name: "target", static_configs: [{ targets: opts.scrapeTargets }] }] : [],
    ...(opts.alertmanagerUrl ? { alerting: { alertmanagers: [alertmanagerConfig(opts.alertmanagerUrl)] } } : {}),
    ...(opts.remoteWrite?.length
      ? {
          remote_write: opts.remoteWrite.map((rw, i) => ({
            name: `rw${i}`,
            url: rw.url,
            remote_timeout: "5s",
            ...(rw.bearerToken ? { authorization: { type: "Bearer", credentials: rw.bearerToken } } : {}),
            ...(rw.credentialsFile ? { authorization: { type: "Bearer", credentials_file: rw.credentialsFile } } : {}),
            // Defaults batch for 5s and back off up to 5s; tests want each sample within ~1s.
            queue_config: { batch_send_deadline: "1s", min_backoff: "100ms", max_backoff: "1s", max_samples_per_send: 500, capacity: 2500 },
            // Metadata goes out every minute by default, in its own requests.
            metadata_config: { send: true, send_interval: "1s" },
          })),
        }
      : {}),
  };
  await writeFile(configPath, JSON.stringify(config, null, 2));

  const { m, port } = await startOnFreePort(
    "prometheus",
    PROMETHEUS_BIN,
    (p) => [
      `--config.file=${configPath}`,
      `--storage.tsdb.path=${dataDir}`,
      `--web.listen-address=127.0.0.1:${p}`,
      // generatorURL in alerts points here instead of http://<hostname>:9090.
      `--web.external-url=http://127.0.0.1:${p}/`,
      "--web.enable-lifecycle",
      // Default 1m: an alert that fired before Alertmanager was discovered would wait a minute.
      "--rules.alert.resend-delay=1s",
      ...(opts.extraFlags ?? []),
    ],
    dir,
    "/-/ready",
  );
  const url = `http://127.0.0.1:${port}`;
  let stopped = false;
  return {
    url,
    port,
    pid: m.child.pid,
    dataDir,
    configPath,
    rulesDir,
    writeRuleFile: (name, content) => writeFile(path.join(rulesDir, safeName(name)), content),
    async reload() {
      const res = await fetch(`${url}/-/reload`, { method: "POST", signal: AbortSignal.timeout(10_000) });
      const text = await res.text();
      if (!res.ok) throw new HarnessError(`prometheus reload failed: HTTP ${res.status} ${text}`, m.logs);
    },
    logs: () => [...m.logs],
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopChild(m.child);
      removeTempDir(dir);
    },
  };
}

/** Writes `openMetrics` as TSDB blocks into `dataDir`, where Prometheus loads them at startup. */
async function backfillBlocks(dir: string, dataDir: string, openMetrics: string): Promise<void> {
  const input = path.join(dir, "backfill.om");
  await writeFile(input, openMetrics.endsWith("# EOF\n") ? openMetrics : `${openMetrics.replace(/\n?$/, "\n")}# EOF\n`);
  const r = spawnSync(PROMTOOL_BIN, ["tsdb", "create-blocks-from", "openmetrics", "--quiet", input, dataDir], { encoding: "utf8", timeout: 120_000 });
  if (r.status !== 0) throw new HarnessError(`promtool backfill failed (exit ${r.status ?? r.signal})`, `${r.stdout ?? ""}${r.stderr ?? ""}`.split("\n"));
}

function alertmanagerConfig(amUrl: string): Record<string, unknown> {
  const u = new URL(amUrl);
  return {
    scheme: u.protocol.replace(":", ""),
    ...(u.pathname !== "/" ? { path_prefix: u.pathname } : {}),
    api_version: "v2",
    timeout: "5s",
    static_configs: [{ targets: [u.host] }],
  };
}

function safeName(name: string): string {
  if (!/^[\w.-]+$/.test(name)) throw new Error(`rule file name ${JSON.stringify(name)} must be a plain file name`);
  return name;
}

// ---------------------------------------------------------------------------------------------------
// Alertmanager

export type AlertmanagerOptions = {
  /** Without one the receiver is a blackhole: Alertmanager accepts, groups and drops (bench:ingest's anchor). */
  webhookUrl?: string;
  bearerToken?: string;
  /** Defaults "1s", "1s", "1h": first notification ~1 s after an alert arrives, updates every second. */
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
  /** Receiver name, as it appears in the webhook payload. */
  receiver?: string;
  /** Default ["alertname"]. */
  groupBy?: string[];
};

export type AlertmanagerHandle = { url: string; port: number; logs(): string[]; stop(): Promise<void> };

export async function startAlertmanager(opts: AlertmanagerOptions): Promise<AlertmanagerHandle> {
  const dir = makeTempDir("alertmanager");
  const storage = path.join(dir, "data");
  const configPath = path.join(dir, "alertmanager.yml");
  await mkdir(storage);
  const receiver = opts.receiver ?? "neuralops-webhook";
  const config = {
    route: {
      receiver,
      group_by: opts.groupBy ?? ["alertname"],
      group_wait: opts.groupWait ?? "1s",
      group_interval: opts.groupInterval ?? "1s",
      repeat_interval: opts.repeatInterval ?? "1h",
    },
    receivers: [
      {
        name: receiver,
        ...(opts.webhookUrl
          ? {
              webhook_configs: [
                {
                  url: opts.webhookUrl,
                  send_resolved: true,
                  // The webhook is unsigned; the bearer token is how NeuralOps authenticates Alertmanager.
                  http_config: { authorization: { type: "Bearer", credentials: opts.bearerToken } },
                },
              ],
            }
          : {}),
      },
    ],
  };
  await writeFile(configPath, JSON.stringify(config, null, 2));

  const { m, port } = await startOnFreePort(
    "alertmanager",
    ALERTMANAGER_BIN,
    (p) => [
      `--config.file=${configPath}`,
      `--storage.path=${storage}`,
      `--web.listen-address=127.0.0.1:${p}`,
      `--web.external-url=http://127.0.0.1:${p}/`,
      // Empty disables the HA gossip cluster, which otherwise binds 0.0.0.0:9094 (and clashes when two run).
      "--cluster.listen-address=",
    ],
    dir,
    "/-/ready",
  );
  let stopped = false;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    logs: () => [...m.logs],
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopChild(m.child);
      removeTempDir(dir);
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// A scrape target with a gauge the test sets

export type MetricTarget = {
  /** `127.0.0.1:PORT`, the form Prometheus' static_configs want. */
  hostPort: string;
  url: string;
  metricName: string;
  set(value: number): void;
  /** Resolves after `n` more scrapes of /metrics (so a value set before has been ingested). */
  waitForScrapes(n?: number, timeoutMs?: number): Promise<void>;
  scrapes(): number;
  stop(): Promise<void>;
};

export async function startMetricTarget(opts: { metricName?: string; labels?: Record<string, string>; initial?: number } = {}): Promise<MetricTarget> {
  const metricName = opts.metricName ?? "neuralops_test_gauge";
  const labels = Object.entries(opts.labels ?? {})
    .map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`)
    .join(",");
  let value = opts.initial ?? 0;
  let scrapes = 0;
  const waiters: { at: number; resolve: () => void }[] = [];

  const server = createServer((req, res) => {
    if (req.url !== "/metrics") {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
    res.end(`# HELP ${metricName} A gauge the test controls.\n# TYPE ${metricName} gauge\n${metricName}${labels ? `{${labels}}` : ""} ${formatValue(value)}\n`);
    scrapes++;
    for (const w of waiters.filter((w) => scrapes >= w.at)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  const port = await listenLocal(server);
  return {
    hostPort: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}/metrics`,
    metricName,
    set: (v) => {
      value = v;
    },
    scrapes: () => scrapes,
    waitForScrapes(n = 1, timeoutMs = 15_000) {
      return withTimeout(new Promise<void>((resolve) => waiters.push({ at: scrapes + n, resolve })), timeoutMs, `${n} scrape(s) of ${metricName}`);
    },
    stop: () => closeServer(server),
  };
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return String(v);
}

// ---------------------------------------------------------------------------------------------------
// A receiver that records requests (Alertmanager webhooks, remote_write)

export type ReceivedRequest = { method: string; path: string; headers: IncomingHttpHeaders; body: Buffer; at: number };

export type Receiver<T> = {
  url: string;
  requests: ReceivedRequest[];
  /** Whatever `parse` returned for each request (in order); parse errors are kept in `errors`. */
  items: T[];
  errors: unknown[];
  /** Resolves with the first item matching `pred` (already received or future). */
  waitFor(pred: (item: T) => boolean, timeoutMs?: number, what?: string): Promise<T>;
  stop(): Promise<void>;
};

/**
 * An HTTP server on 127.0.0.1 that records every request, runs `parse` on it and answers `status`
 * (or 400 when parse throws, which is what a real ingest endpoint would do).
 */
export async function startReceiver<T = Buffer>(
  opts: { parse?: (req: ReceivedRequest) => T; status?: number; maxBodyBytes?: number } = {},
): Promise<Receiver<T>> {
  const requests: ReceivedRequest[] = [];
  const items: T[] = [];
  const errors: unknown[] = [];
  const waiters: { pred: (item: T) => boolean; resolve: (item: T) => void }[] = [];
  const maxBody = opts.maxBodyBytes ?? 32 * 1024 * 1024;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > maxBody) req.destroy();
      else chunks.push(c);
    });
    req.on("end", () => {
      const r: ReceivedRequest = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks), at: Date.now() };
      requests.push(r);
      let item: T;
      try {
        item = opts.parse ? opts.parse(r) : (r.body as T);
      } catch (e) {
        errors.push(e);
        res.writeHead(400, { "content-type": "text/plain" }).end(String(e));
        return;
      }
      items.push(item);
      for (const w of waiters.filter((w) => w.pred(item))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(item);
      }
      res.writeHead(opts.status ?? 200).end();
    });
  });
  const port = await listenLocal(server);
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    items,
    errors,
    waitFor(pred, timeoutMs = 20_000, what = "a matching request") {
      const hit = items.find(pred);
      if (hit !== undefined) return Promise.resolve(hit);
      return withTimeout(new Promise<T>((resolve) => waiters.push({ pred, resolve })), timeoutMs, what, () =>
        errors.length ? `; ${errors.length} request(s) failed to parse, last: ${String(errors.at(-1))}` : `; ${items.length} request(s) received`,
      );
    },
    stop: () => closeServer(server),
  };
}

// ---------------------------------------------------------------------------------------------------
// Small helpers

async function listenLocal(server: Server): Promise<number> {
  installExitHook();
  liveServers.add(server);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  return (server.address() as AddressInfo).port;
}

async function closeServer(server: Server): Promise<void> {
  if (!liveServers.delete(server)) return;
  // Prometheus/Alertmanager keep connections alive; without this close() waits for them to idle out.
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string, detail?: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}${detail?.() ?? ""}`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Polls `fn` until it returns a value other than undefined (errors count as "not yet"). */
export async function eventually<T>(fn: () => Promise<T | undefined> | T | undefined, opts: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${opts.what ?? "condition"}${last ? `: ${String(last)}` : ""}`);
    await sleep(opts.intervalMs ?? 250);
  }
}
