// A web process for scale-out tests: the app's real route handlers (app/api/**/route.ts) served by node:http,
// as `next start` would call them (token-authenticated ingest on the fast path), without a production build.
// One process per `startWebProcess`, each with its own Prisma pool, Redis connections and in-process caches,
// like one replica of the web Deployment.
//
// Run as a script (`node --import tsx test/web-process.ts`): listens on 127.0.0.1:<PORT or a free port> and
// prints `web listening <port>`.
import { spawn, type ChildProcess } from "node:child_process";
import Module, { createRequire } from "node:module";
import type { Handler } from "@/test/prom/route-server";

async function serve(port: number) {
  // `server-only` throws outside Next's react-server bundle; here, as in vitest (vitest.config.ts), the route
  // modules run as plain Node. Pre-seeding the CommonJS cache makes the guard a no-op.
  const guard = createRequire(import.meta.url).resolve("server-only");
  const cache = (Module as unknown as { _cache: Record<string, unknown> })._cache;
  cache[guard] = { id: guard, filename: guard, loaded: true, exports: {} };
  const { startRouteServer } = await import("@/test/prom/route-server");
  const { url } = await startRouteServer(
    {
      "POST /api/v1/integrations/alertmanager": (await import("@/app/api/v1/integrations/alertmanager/route")).POST,
      "POST /api/v1/runs/[id]/approve": (await import("@/app/api/v1/runs/[id]/approve/route")).POST as Handler,
      "POST /api/v1/write": (await import("@/app/api/v1/write/route")).POST,
      "GET /api/health": (await import("@/app/api/health/route")).GET,
      "GET /api/v1/incidents": (await import("@/app/api/v1/incidents/route")).GET,
    },
    { port, fastRoutes: process.env.INGEST_FAST_PATH !== "false" },
  );
  console.log(`web listening ${new URL(url).port}`);
  process.on("SIGTERM", () => process.exit(0));
  process.on("SIGINT", () => process.exit(0));
}

if (process.argv[1] && import.meta.filename === process.argv[1]) await serve(Number(process.env.PORT ?? 0));

export type WebProc = { child: ChildProcess; url: Promise<string>; output: string[] };

const live = new Set<ChildProcess>();

/** `nodeArgs`: extra node flags, such as `--cpu-prof --cpu-prof-dir=…` (the profile is written when it gets SIGTERM). */
export function startWebProcess(env: Record<string, string> = {}, nodeArgs: string[] = []): WebProc {
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", "test/web-process.ts"], { env: { ...process.env, PORT: "0", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  live.add(child);
  child.once("exit", () => live.delete(child));
  const output: string[] = [];
  const url = new Promise<string>((resolve, reject) => {
    const onData = (b: Buffer) => {
      output.push(b.toString("utf8"));
      const m = /web listening (\d+)/.exec(output.join(""));
      if (m) resolve(`http://127.0.0.1:${m[1]}`);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`web process exited (${code}) before listening:\n${output.join("")}`)));
  });
  return { child, url, output };
}

export function killAllWebProcesses() {
  for (const c of live) c.kill("SIGKILL");
}
