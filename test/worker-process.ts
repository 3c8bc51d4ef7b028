// Real worker processes for crash tests: `node --import tsx workers/main.ts` (one process, so SIGKILL
// kills the worker itself, not a wrapper), with this test file's database, Redis prefix and env.
import { spawn, type ChildProcess } from "node:child_process";

export type WorkerProc = { child: ChildProcess; output: string[]; started: Promise<void> };

const live = new Set<ChildProcess>();

export function startWorker(env: Record<string, string>): WorkerProc {
  const child = spawn(process.execPath, ["--import", "tsx", "workers/main.ts"], {
    // Short job locks, so a second worker notices a dead one's job within seconds.
    env: { ...process.env, WORKER_LOCK_MS: "1500", WORKER_METRICS_PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(child);
  child.once("exit", () => live.delete(child));
  const output: string[] = [];
  const started = new Promise<void>((resolve, reject) => {
    const onData = (b: Buffer) => {
      output.push(b.toString("utf8"));
      if (output.join("").includes("worker started")) resolve();
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`worker exited (${code}) before starting:\n${output.join("")}`)));
  });
  return { child, output, started };
}

export async function kill9(p: WorkerProc) {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  const gone = new Promise((r) => p.child.once("exit", r));
  p.child.kill("SIGKILL");
  await gone;
}

export async function stopWorker(p: WorkerProc) {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  const gone = new Promise((r) => p.child.once("exit", r));
  p.child.kill("SIGTERM");
  await gone;
}

/** For afterAll: nothing outlives the test file. */
export function killAllWorkers() {
  for (const c of live) c.kill("SIGKILL");
}

export async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 60_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
