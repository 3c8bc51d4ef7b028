// The ingest fast path inside `next start`. Alertmanager posts hundreds of webhook deliveries a second
// during a storm, and Next's own request handling (router, route module wrapper, async storages, tracing,
// web-stream piping of the answer) cost about as much CPU per delivery as everything NeuralOps does with
// it, database work included (bench:ingest --cpu: 3.7 ms per delivery under `next start`, 2.0 ms for the
// same handler on plain node:http). So a route registers its handler here, and a request for it with an
// Authorization header is handed to that handler straight from the HTTP server's "request" event: the
// same exported handler (route(): authentication, permission, admission, zod, error mapping, metrics),
// the same module instance Next loaded, the same security headers next.config.js puts on every answer.
//
// Anything else — another path or method, no Authorization header (a browser session needs Next's request
// context), a route Next has not loaded yet — goes to Next as before. INGEST_FAST_PATH=false turns it off.
import http from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import { stamp } from "@/lib/auth/peer-address";
import { withBodyReader } from "@/lib/http/read-body";
import SECURITY_HEADERS from "@/lib/security/security-headers.json";

export type FastHandler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
type Entry = { handler: FastHandler; maxBodyBytes: number };

// On globalThis: instrumentation and the route modules are bundled apart, and must share one table.
const REGISTRY = Symbol.for("neuralops.fastRoutes");
const INSTALLED = Symbol.for("neuralops.fastRoutes.installed");
const g = globalThis as unknown as { [REGISTRY]?: Map<string, Entry> };
const registry = (): Map<string, Entry> => (g[REGISTRY] ??= new Map());

/**
 * Serves `method path` (exact path, query allowed) from `handler` when the fast path is installed. The body
 * is read into memory when the handler reads it (after authentication), at most its limit + 1 bytes and
 * never more than `maxBodyBytes` + 1.
 */
export function registerFastRoute(method: "POST", path: string, handler: FastHandler, opts: { maxBodyBytes: number }): void {
  registry().set(`${method} ${path}`, { handler, maxBodyBytes: opts.maxBodyBytes });
}

/** The entry serving this request, or undefined (then Next serves it). */
export function fastRouteFor(req: IncomingMessage): Entry | undefined {
  if (req.method !== "POST" || !req.headers.authorization) return undefined;
  const url = req.url ?? "";
  const q = url.indexOf("?");
  return registry().get(`POST ${q < 0 ? url : url.slice(0, q)}`);
}

/** Installed once per web process from instrumentation.ts, before the first request. */
export function installFastRoutes(): void {
  if (process.env.INGEST_FAST_PATH === "false") return;
  const proto = http.Server.prototype as unknown as { emit: (event: string | symbol, ...args: unknown[]) => boolean; [INSTALLED]?: true };
  if (proto[INSTALLED]) return;
  const emit = proto.emit;
  proto.emit = function (this: unknown, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const req = args[0] as IncomingMessage;
      const entry = fastRouteFor(req);
      if (entry) {
        void serveFast(entry, req, args[1] as ServerResponse);
        return true;
      }
    }
    return emit.call(this, event, ...args);
  };
  proto[INSTALLED] = true;
}

/** Reads the body, up to maxBytes + 1; `over` when it was longer (the rest is not kept). */
function readLimited(req: IncomingMessage, maxBytes: number): Promise<{ body: Buffer; over: boolean }> {
  const declared = Number(req.headers["content-length"] ?? NaN);
  // Refused by the handler on its Content-Length alone: nothing to read.
  if (declared > maxBytes) return Promise.resolve({ body: Buffer.alloc(0), over: true });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let over = false;
    req.on("data", (chunk: Buffer) => {
      if (over) return;
      total += chunk.byteLength;
      chunks.push(chunk);
      if (total > maxBytes) {
        over = true;
        req.pause();
        resolve({ body: Buffer.concat(chunks), over });
      }
    });
    req.once("end", () => resolve({ body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), over }));
    req.once("error", reject);
  });
}

export async function serveFast(entry: Entry, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let over = false;
  try {
    // The peer address the login throttle and the audit use (lib/auth/peer-address.ts), whichever patch ran first.
    stamp(req);
    let read: ReturnType<typeof readLimited> | undefined;
    const readBody = (maxBytes: number) =>
      (read ??= readLimited(req, Math.min(maxBytes, entry.maxBodyBytes)).then((r) => {
        over = r.over;
        return r;
      }));
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      else headers.set(name, value);
    }
    // The body goes to the handler's readBody as bytes read from the socket, not through a web stream. A body
    // the handler never reads (refused before: 401, 403, 429, 503) is drained by node:http after the answer.
    const request = withBodyReader(new Request(`http://${hostOf(req)}${req.url}`, { method: "POST", headers }), readBody);
    const response = await entry.handler(request, { params: Promise.resolve({}) });
    // Refused on its Content-Length: the body is not drained either.
    if (response.status === 413 && !read) over = true;
    const out = Buffer.from(await response.arrayBuffer());
    const head: Record<string, string | string[]> = {};
    for (const { key, value } of SECURITY_HEADERS) head[key.toLowerCase()] = value;
    response.headers.forEach((value, name) => {
      head[name] = value;
    });
    const cookies = response.headers.getSetCookie();
    if (cookies.length) head["set-cookie"] = cookies;
    head["content-length"] = String(out.byteLength);
    // A body we stopped reading is not drained: the connection ends with this answer.
    if (over) head.connection = "close";
    res.writeHead(response.status, head);
    res.end(out);
  } catch (err) {
    // route() answers every error itself; this is a defect (or a broken request stream).
    console.error(JSON.stringify({ level: "error", msg: "ingest fast path failed", error: String((err as Error)?.stack ?? err).slice(0, 2000) }));
    if (!res.headersSent) res.writeHead(500, { "content-type": "application/json", connection: "close" });
    res.end(JSON.stringify({ error: { code: "internal", message: "internal error" } }));
  }
  if (over) res.once("finish", () => req.destroy());
}

/** The Host header when it is a plain host[:port] (the URL is only read for its query), else localhost. */
function hostOf(req: IncomingMessage): string {
  const host = req.headers.host;
  return host && /^[\w.-]+(:\d+)?$|^\[[\da-fA-F:.]+\](:\d+)?$/.test(host) ? host : "localhost";
}
