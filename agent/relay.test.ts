import { afterEach, describe, expect, it } from "vitest";
import { createServer, request, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startRelay } from "./relay";

const closers: (() => void)[] = [];
afterEach(() => closers.splice(0).forEach((c) => c()));

async function upstream(status = 204) {
  const got: { headers: IncomingHttpHeaders; body: Buffer }[] = [];
  const s: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    got.push({ headers: req.headers, body: Buffer.concat(chunks) });
    res.writeHead(status).end();
  });
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  closers.push(() => s.close());
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, got };
}

async function relay(controlPlaneUrl: string, ready = true) {
  const r = await startRelay({ host: "127.0.0.1", port: 0, controlPlaneUrl, ingestToken: "nops_ingest_token", maxWriteBytes: 100, ready: () => ready });
  closers.push(() => r.close());
  return `http://127.0.0.1:${r.port}`;
}

/** POST without a Content-Length (chunked), as a client that streams would. */
function postChunked(url: string, size: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers: { "content-type": "application/x-protobuf" } }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on("error", reject);
    for (let i = 0; i < size; i += 10) req.write(Buffer.alloc(10));
    req.end();
  });
}

describe("remote_write relay", () => {
  it("forwards a batch with the agent's ingest token and Prometheus' headers, and passes the status back", async () => {
    const cp = await upstream(204);
    const base = await relay(cp.url);
    const res = await fetch(`${base}/api/v1/write`, {
      method: "POST",
      headers: { "content-type": "application/x-protobuf", "content-encoding": "snappy", "x-prometheus-remote-write-version": "0.1.0", authorization: "Bearer from-prometheus" },
      body: new Uint8Array([1, 2, 3]),
    });
    expect(res.status).toBe(204);
    expect(cp.got).toHaveLength(1);
    expect(cp.got[0]!.headers).toMatchObject({ authorization: "Bearer nops_ingest_token", "content-type": "application/x-protobuf", "content-encoding": "snappy", "x-prometheus-remote-write-version": "0.1.0" });
    expect([...cp.got[0]!.body]).toEqual([1, 2, 3]);
  });

  it("refuses batches over the limit with 413, declared or streamed, and sends nothing upstream", async () => {
    const cp = await upstream();
    const base = await relay(cp.url);
    expect((await fetch(`${base}/api/v1/write`, { method: "POST", body: new Uint8Array(101) })).status).toBe(413);
    expect(await postChunked(`${base}/api/v1/write`, 200)).toBe(413);
    expect(cp.got).toHaveLength(0);
  });

  it("health, readiness by connection state, 502 when the control plane is unreachable", async () => {
    const base = await relay("http://127.0.0.1:9", false);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    expect((await fetch(`${base}/api/v1/write`, { method: "POST", body: new Uint8Array(1) })).status).toBe(502);
    expect((await fetch(`${base}/api/v1/write`)).status).toBe(405);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });
});
