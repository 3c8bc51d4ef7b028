// The real agent process (`node --import tsx agent/main.ts`) for integration and e2e tests: a file identity,
// an allowlist file and a state directory in a fresh temp dir, the Kubernetes API pointed at a local
// stand-in (test/fake-kube-api.ts).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export type AgentProc = { child: ChildProcess; dir: string; output: string[]; waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>; stop(): Promise<void> };

export type AgentProcOptions = {
  controlPlaneUrl: string;
  gatewayUrl: string;
  kubeApiUrl: string;
  bootstrapToken?: string;
  allowlist: string[];
  prometheusUrl?: string;
  /** Reuse a directory (identity + journal) from an earlier agent process: a restarted container. */
  dir?: string;
  env?: Record<string, string>;
};

const live = new Set<ChildProcess>();

export function startAgentProcess(o: AgentProcOptions): AgentProc {
  const dir = o.dir ?? mkdtempSync(path.join(tmpdir(), "neuralops-agent-"));
  writeFileSync(path.join(dir, "allowlist.yaml"), `actions:\n${o.allowlist.map((a) => `  - ${a}\n`).join("")}`);
  const child = spawn(process.execPath, ["--import", "tsx", "agent/main.ts"], {
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      NEURALOPS_URL: o.controlPlaneUrl,
      NEURALOPS_GATEWAY_URL: o.gatewayUrl,
      NEURALOPS_IDENTITY: `file:${path.join(dir, "identity.json")}`,
      ...(o.bootstrapToken ? { NEURALOPS_BOOTSTRAP_TOKEN: o.bootstrapToken } : {}),
      NEURALOPS_ALLOWLIST_FILE: path.join(dir, "allowlist.yaml"),
      NEURALOPS_STATE_DIR: path.join(dir, "state"),
      NEURALOPS_KUBE_API: o.kubeApiUrl,
      NEURALOPS_LISTEN: "127.0.0.1:0",
      NEURALOPS_RECONNECT_MIN_MS: "100",
      NEURALOPS_RECONNECT_MAX_MS: "1000",
      // Off unless a test turns it on: its list/watch requests would mix with the requests tests count.
      NEURALOPS_WATCH_CHANGES: "false",
      ...(o.prometheusUrl ? { PROMETHEUS_URL: o.prometheusUrl } : {}),
      ...o.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(child);
  child.once("exit", () => live.delete(child));
  const output: string[] = [];
  const waiters: (() => void)[] = [];
  const onData = (b: Buffer) => {
    output.push(b.toString("utf8"));
    waiters.splice(0).forEach((w) => w());
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  return {
    child,
    dir,
    output,
    async waitFor(text, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      const seen = () => (typeof text === "string" ? output.join("").includes(text) : text.test(output.join("")));
      while (!seen()) {
        if (child.exitCode !== null) throw new Error(`agent exited (${child.exitCode}) waiting for ${text}:\n${output.join("")}`);
        if (Date.now() > deadline) throw new Error(`agent: no ${text} within ${timeoutMs} ms:\n${output.join("")}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 200);
        });
      }
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await gone;
    },
  };
}

/** For afterAll: no agent outlives its test file. */
export function killAllAgents() {
  for (const c of live) c.kill("SIGKILL");
}
