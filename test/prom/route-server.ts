// Serves NeuralOps route handlers (the real app/api code: auth, zod, domain functions) on 127.0.0.1
// over plain node:http, so the real Prometheus and Alertmanager can call them from integration tests
// without a Next build. Keys are "METHOD /path", with `[name]` segments as Next's dynamic params.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fastRouteFor, serveFast } from "@/lib/http/fast-routes";

export type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

type Compiled = { method: string; path: RegExp; names: string[]; handler: Handler };

function compile(routes: Record<string, Handler>): Compiled[] {
  return Object.entries(routes).map(([key, handler]) => {
    const [method, pattern] = key.split(" ") as [string, string];
    const names: string[] = [];
    const source = pattern.replace(/\[([^\]/]+)\]|[.*+?^${}()|\\]/g, (m, name?: string) => {
      if (!name) return `\\${m}`;
      names.push(name);
      return "([^/]+)";
    });
    return { method, path: new RegExp(`^${source}$`), names, handler };
  });
}

/** `fastRoutes`: serve the routes registered on the ingest fast path (lib/http/fast-routes.ts) as `next start` does. */
export async function startRouteServer(routes: Record<string, Handler>, opts: { port?: number; fastRoutes?: boolean } = {}) {
  const table = compile(routes);
  const hits: { path: string; status: number }[] = [];
  const server = createServer(async (req, res) => {
    const fast = opts.fastRoutes ? fastRouteFor(req) : undefined;
    if (fast) return serveFast(fast, req, res);
    try {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const path = (req.url ?? "/").split("?")[0]!;
      let match: RegExpExecArray | null = null;
      const route = table.find((r) => r.method === req.method && (match = r.path.exec(path)) !== null);
      if (!route || !match) {
        res.writeHead(404).end();
        return;
      }
      const m: RegExpExecArray = match;
      const params = Object.fromEntries(route.names.map((name, k) => [name, decodeURIComponent(m[k + 1]!)]));
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      const request = new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
      const response = await route.handler(request, { params: Promise.resolve(params) });
      hits.push({ path, status: response.status });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (err) {
      // A handler that throws is a defect the test should see as a 500, not a hung request.
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(err));
    }
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, hits, stop: () => new Promise<void>((r) => server.close(() => r())) };
}
