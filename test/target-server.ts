// A local HTTP target for playbook steps: records every request and answers per path. A path can be
// told to hold its responses until released, which is how tests catch a run in the middle of a step.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Recorded = { method: string; path: string; headers: IncomingMessage["headers"]; body: string; at: number };
type Reply = { status?: number; body?: string | object; echoHeaders?: boolean };
type Rule = Reply & { hold?: boolean; holdFirst?: number };

export async function startTarget() {
  const requests: Recorded[] = [];
  const rules = new Map<string, Rule>();
  const held: Array<{ res: ServerResponse; path: string; reply: Reply }> = [];
  const arrivals: Array<() => void> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = (req.url ?? "/").split("?")[0]!;
      const rec = { method: req.method ?? "", path, headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() };
      requests.push(rec);
      arrivals.splice(0).forEach((f) => f());
      const rule = rules.get(path) ?? {};
      const seen = requests.filter((r) => r.path === path).length;
      if (rule.hold || (rule.holdFirst !== undefined && seen <= rule.holdFirst)) held.push({ res, path, reply: rule });
      else answer(res, rule, rec);
    });
  });
  function answer(res: ServerResponse, reply: Reply, rec?: Recorded) {
    if (res.writableEnded || res.destroyed) return;
    const body = reply.echoHeaders && rec ? { headers: rec.headers } : (reply.body ?? { ok: true });
    res.writeHead(reply.status ?? 200, { "content-type": typeof body === "string" ? "text/plain" : "application/json" });
    res.end(typeof body === "string" ? body : JSON.stringify(body));
  }
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    calls: (path: string) => requests.filter((r) => r.path === path),
    on(path: string, rule: Rule) {
      rules.set(path, rule);
    },
    /** Answers every held request (with the path's rule, or `reply`). */
    release(reply?: Reply) {
      for (const h of held.splice(0)) answer(h.res, reply ?? h.reply);
    },
    /** Resolves once `path` has received at least n requests. */
    async waitFor(path: string, n = 1, timeoutMs = 30_000): Promise<Recorded[]> {
      const deadline = Date.now() + timeoutMs;
      while (requests.filter((r) => r.path === path).length < n) {
        if (Date.now() > deadline) throw new Error(`target: ${path} got ${requests.filter((r) => r.path === path).length} of ${n} requests`);
        await new Promise<void>((r) => {
          arrivals.push(r);
          setTimeout(r, 200);
        });
      }
      return requests.filter((r) => r.path === path);
    },
    async close() {
      for (const h of held.splice(0)) h.res.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
export type Target = Awaited<ReturnType<typeof startTarget>>;
