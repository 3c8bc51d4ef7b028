import { afterEach, describe, expect, it } from "vitest";
import { createServer, request, type IncomingHttpHeaders, type Server } from "node:http";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { startRelay } from "./relay";

const closers: (() => void)[] = [];
afterEach(() => closers.splice(0).forEach((c) => c()));

const SECRET = "relay-secret-0123456789abcdefghijklmnopqrstuvwxyz";
const auth = (secret = SECRET) => ({ authorization: `Bearer ${secret}` });

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

/** The relay secret as the pod has it: a file from the mounted Secret. */
function secretFile(content: string | null) {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "relay-secret-")), "token");
  if (content !== null) writeFileSync(file, content);
  return file;
}

async function relay(controlPlaneUrl: string, { ready = true, secret = `${SECRET}\n` as string | null } = {}) {
  const relaySecretFile = secretFile(secret);
  const r = await startRelay({ host: "127.0.0.1", port: 0, controlPlaneUrl, ingestToken: "nops_ingest_token", relaySecretFile, maxWriteBytes: 100, ready: () => ready });
  closers.push(() => r.close());
  return { base: `http://127.0.0.1:${r.port}`, relaySecretFile };
}

/** POST without a Content-Length (chunked), as a client that streams would. */
function postChunked(url: string, size: number, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers: { "content-type": "application/x-protobuf", ...headers } }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on("error", reject);
    for (let i = 0; i < size; i += 10) req.write(Buffer.alloc(10));
    req.end();
  });
}

describe("remote_write relay", () => {
  it("forwards a batch carrying the relay secret with the agent's ingest token (never the relay secret) and Prometheus' headers, and passes the status back", async () => {
    const cp = await upstream(204);
    const { base } = await relay(cp.url);
    const res = await fetch(`${base}/api/v1/write`, {
      method: "POST",
      headers: { "content-type": "application/x-protobuf", "content-encoding": "snappy", "x-prometheus-remote-write-version": "0.1.0", ...auth() },
      body: new Uint8Array([1, 2, 3]),
    });
    expect(res.status).toBe(204);
    expect(cp.got).toHaveLength(1);
    expect(cp.got[0]!.headers).toMatchObject({ authorization: "Bearer nops_ingest_token", "content-type": "application/x-protobuf", "content-encoding": "snappy", "x-prometheus-remote-write-version": "0.1.0" });
    expect(JSON.stringify(cp.got[0]!.headers)).not.toContain(SECRET);
    expect([...cp.got[0]!.body]).toEqual([1, 2, 3]);
  });

  it("refuses a request without the relay secret, with a wrong one or another scheme (401), and forwards none of them", async () => {
    const cp = await upstream(204);
    const { base } = await relay(cp.url);
    const post = (headers: Record<string, string>) => fetch(`${base}/api/v1/write`, { method: "POST", headers, body: new Uint8Array([1]) });
    for (const headers of [{}, auth("wrong"), auth(`${SECRET}x`), auth(SECRET.slice(0, -1)), { authorization: SECRET }, { authorization: `Basic ${Buffer.from(`x:${SECRET}`).toString("base64")}` }]) {
      const res = await post(headers);
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe('Bearer realm="neuralops-agent-relay"');
    }
    // Unauthenticated, even an oversized or streamed body is refused as unauthenticated, unread.
    expect((await fetch(`${base}/api/v1/write`, { method: "POST", body: new Uint8Array(101) })).status).toBe(401);
    expect(await postChunked(`${base}/api/v1/write`, 200)).toBe(401);
    expect(cp.got).toHaveLength(0);
  });

  it("refuses every write while no usable relay secret is configured (file missing, empty or under 32 characters)", async () => {
    const cp = await upstream(204);
    for (const secret of [null, "", "short-secret\n"]) {
      const { base } = await relay(cp.url, { secret });
      expect((await fetch(`${base}/api/v1/write`, { method: "POST", headers: auth(secret?.trim() || "anything"), body: new Uint8Array([1]) })).status).toBe(401);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    }
    expect(cp.got).toHaveLength(0);
  });

  it("follows the mounted Secret: a rotated secret is accepted and the old one refused, without a restart", async () => {
    const cp = await upstream(204);
    const { base, relaySecretFile } = await relay(cp.url);
    const rotated = "rotated-secret-9876543210zyxwvutsrqponmlkjihgfedcba";
    writeFileSync(relaySecretFile, rotated);
    expect((await fetch(`${base}/api/v1/write`, { method: "POST", headers: auth(), body: new Uint8Array([1]) })).status).toBe(401);
    expect((await fetch(`${base}/api/v1/write`, { method: "POST", headers: auth(rotated), body: new Uint8Array([1]) })).status).toBe(204);
    expect(cp.got).toHaveLength(1);
  });

  it("refuses batches over the limit with 413, declared or streamed, and sends nothing upstream", async () => {
    const cp = await upstream();
    const { base } = await relay(cp.url);
    expect((await fetch(`${base}/api/v1/write`, { method: "POST", headers: auth(), body: new Uint8Array(101) })).status).toBe(413);
    expect(await postChunked(`${base}/api/v1/write`, 200, auth())).toBe(413);
    expect(cp.got).toHaveLength(0);
  });

  it("health, readiness by connection state, 502 when the control plane is unreachable", async () => {
    const { base } = await relay("http://127.0.0.1:9", { ready: false });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    expect((await fetch(`${base}/api/v1/write`, { method: "POST", headers: auth(), body: new Uint8Array(1) })).status).toBe(502);
    expect((await fetch(`${base}/api/v1/write`)).status).toBe(405);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });
});
