// A web process for scale-out tests: the app's real route handlers (app/api/**/route.ts) served by node:http,
// as `next start` would call them, without a production build. One process per `startWebProcess`, each with
// its own Prisma pool, Redis connections and in-process caches, like one replica of the web Deployment.
//
// Run as a script (`node --import tsx test/web-process.ts`): listens on 127.0.0.1:<PORT or a free port> and
// prints `web listening <port>`.
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Module, { createRequire } from "node:module";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Route = { method: string; path: RegExp; params: string[]; load: () => Promise<Handler> };

const ROUTES: Route[] = [
  { method: "POST", path: /^\/api\/v1\/integrations\/alertmanager$/, params: [], load: async () => (await import("@/app/api/v1/integrations/alertmanager/route")).POST as Handler },
  { method: "POST", path: /^\/api\/v1\/runs\/([^/]+)\/approve$/, params: ["id"], load: async () => (await import("@/app/api/v1/runs/[id]/approve/route")).POST as Handler },
  { method: "POST", path: /^\/api\/v1\/write$/, params: [], load: async () => (await import("@/app/api/v1/write/route")).POST as Handler },
  { method: "GET", path: /^\/api\/health$/, params: [], load: async () => (await import("@/app/api/health/route")).GET as Handler },
];

async function serve(port: number) {
  // `server-only` throws outside Next's react-server bundle; here, as in vitest (vitest.config.ts), the route
  // modules run as plain Node. Pre-seeding the CommonJS cache makes the guard a no-op.
  const guard = createRequire(import.meta.url).resolve("server-only");
  const cache = (Module as unknown as { _cache: Record<string, unknown> })._cache;
  cache[guard] = { id: guard, filename: guard, loaded: true, exports: {} };
  const handlers = await Promise.all(ROUTES.map((r) => r.load()));
  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
      const i = ROUTES.findIndex((r) => r.method === req.method && r.path.test(url.pathname));
      if (i < 0) {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { code: "not_found", message: "no such route here" } }));
        return;
      }
      const m = ROUTES[i]!.path.exec(url.pathname)!;
      const params = Object.fromEntries(ROUTES[i]!.params.map((name, k) => [name, decodeURIComponent(m[k + 1]!)]));
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      const body = req.method === "GET" || req.method === "HEAD" ? undefined : Buffer.concat(chunks);
      const response = await handlers[i]!(new Request(url, { method: req.method, headers, body }), { params: Promise.resolve(params) });
      const out = Buffer.from(await response.arrayBuffer());
      res.writeHead(response.status, Object.fromEntries(response.headers.entries())).end(out);
    } catch (err) {
      res.writeHead(500, { "content-type": "text/plain" }).end(String(err));
    }
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  console.log(`web listening ${(server.address() as AddressInfo).port}`);
  const stop = () => server.close(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

if (process.argv[1] && import.meta.filename === process.argv[1]) await serve(Number(process.env.PORT ?? 0));

export type WebProc = { child: ChildProcess; url: Promise<string>; output: string[] };

const live = new Set<ChildProcess>();

export function startWebProcess(env: Record<string, string> = {}): WebProc {
  const child = spawn(process.execPath, ["--import", "tsx", "test/web-process.ts"], { env: { ...process.env, PORT: "0", ...env }, stdio: ["ignore", "pipe", "pipe"] });
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
