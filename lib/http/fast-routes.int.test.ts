// The ingest fast path (lib/http/fast-routes.ts): token-authenticated webhook deliveries are answered by the
// route's own handler straight from the HTTP server, with the security headers Next would add; everything
// else reaches the server's own listener (Next) untouched.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { db } from "@/lib/db";
import { POST as webhook } from "@/app/api/v1/integrations/alertmanager/route";
import { POST as remoteWrite } from "@/app/api/v1/write/route";
import { MAX_REMOTE_WRITE_BODY } from "@/lib/monitors/ingest-remote-write";
import { encodeWriteRequest } from "@/lib/insight/remote-write/encode.testing";
import { fastRouteFor, installFastRoutes } from "@/lib/http/fast-routes";
import { MAX_JSON_BODY_BYTES } from "@/lib/http/read-body";
import { PEER_HEADER } from "@/lib/auth/client-ip";
import { makeOrg } from "@/test/factories";
import { tokenFor } from "@/test/call-route";
import { deliveryOf } from "@/test/alerts";

const proto = http.Server.prototype as unknown as Record<string | symbol, unknown>;
const originalEmit = proto.emit;
let server: http.Server;
let base: string;
const nextSaw: string[] = [];

beforeAll(async () => {
  installFastRoutes();
  // Stands in for Next: whatever the fast path does not take.
  server = http.createServer((req, res) => {
    nextSaw.push(`${req.method} ${req.url}`);
    res.writeHead(299, { "content-type": "text/plain" }).end("next");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  proto.emit = originalEmit;
  delete proto[Symbol.for("neuralops.fastRoutes.installed")];
});

const URL_PATH = "/api/v1/integrations/alertmanager";
const alerts = (tag: string) =>
  deliveryOf(
    Array.from({ length: 3 }, (_, k) => ({
      labels: { alertname: "Fast", service: `fast-${tag}`, instance: `${tag}-${k}` },
      annotations: { summary: `fast ${tag}/${k}` },
      startsAt: "2026-01-01T00:00:00Z",
      fingerprint: `fast-${tag}-${k}`,
    })),
  );

describe("ingest fast path", () => {
  it("the webhook route registered itself for POST with the JSON body limit", () => {
    const req = (method: string, url: string, authorization?: string) => ({ method, url, headers: authorization ? { authorization } : {} }) as http.IncomingMessage;
    expect(fastRouteFor(req("POST", URL_PATH, "Bearer x"))?.handler).toBe(webhook);
    expect(fastRouteFor(req("POST", `${URL_PATH}?x=1`, "Bearer x"))?.maxBodyBytes).toBe(MAX_JSON_BODY_BYTES);
    expect(fastRouteFor(req("POST", URL_PATH))).toBeUndefined();
    expect(fastRouteFor(req("GET", URL_PATH, "Bearer x"))).toBeUndefined();
    expect(fastRouteFor(req("POST", `${URL_PATH}/`, "Bearer x"))).toBeUndefined();
    expect(fastRouteFor(req("POST", "/api/v1/write", "Bearer x"))).toMatchObject({ handler: remoteWrite, maxBodyBytes: MAX_REMOTE_WRITE_BODY });
  });

  it("serves a remote_write push through its route", async () => {
    const org = await makeOrg("fast-path-rw");
    const token = await tokenFor(org.id, "operator", ["signals.ingest"]);
    const body = encodeWriteRequest({ series: [{ labels: { __name__: "up", job: "fast" }, samples: [{ t: 1_700_000_000_000, v: 1 }] }] });
    const res = await fetch(`${base}/api/v1/write`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/x-protobuf", "content-encoding": "snappy" }, body: body as BodyInit });
    expect(res.status).toBeLessThan(300);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const bad = await fetch(`${base}/api/v1/write`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/x-protobuf", "content-encoding": "snappy" }, body: "not snappy" });
    expect(bad.status).toBe(400);
    expect(nextSaw).toEqual([]);
  });

  it("reads no body before the caller is authenticated: a bad token is answered while its body is still coming", async () => {
    // A body that never ends: reading it first would never answer.
    for (const path of [URL_PATH, "/api/v1/write"]) {
      const stream = new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(new Uint8Array(1024)) });
      const res = await fetch(`${base}${path}`, { method: "POST", headers: { authorization: "Bearer nope", "content-type": "application/json" }, body: stream, duplex: "half", signal: AbortSignal.timeout(5_000) } as RequestInit);
      expect(res.status, path).toBe(401);
    }
  });

  it("serves a delivery through the route: stored once, security headers, request id, no Next", async () => {
    const org = await makeOrg("fast-path");
    const token = await tokenFor(org.id, "operator", ["signals.ingest"]);
    const res = await fetch(`${base}${URL_PATH}`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json", [PEER_HEADER]: "6.6.6.6" }, body: JSON.stringify(alerts("a")) });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-request-id")).toBeTruthy();
    expect(res.headers.get("cache-control")).toBe("no-store, no-transform");
    const body = (await res.json()) as { created: number; accepted: number };
    expect(body).toMatchObject({ created: 3, accepted: 3 });
    expect(await db.signal.count({ where: { orgId: org.id } })).toBe(3);
    expect(nextSaw).toEqual([]);
  });

  it("keeps the route's answers: 401 for a bad token, 415 for a non-JSON body, 400 for malformed JSON", async () => {
    const post = (headers: Record<string, string>, body: string) => fetch(`${base}${URL_PATH}`, { method: "POST", headers, body });
    expect((await post({ authorization: "Bearer nope", "content-type": "application/json" }, "{}")).status).toBe(401);
    const org = await makeOrg("fast-path-errors");
    const token = await tokenFor(org.id, "operator", ["signals.ingest"]);
    expect((await post({ authorization: `Bearer ${token}`, "content-type": "text/plain" }, "{}")).status).toBe(415);
    const malformed = await post({ authorization: `Bearer ${token}`, "content-type": "application/json" }, "{");
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe("invalid_json");
    expect(nextSaw).toEqual([]);
  });

  it("refuses a body over the limit with 413, declared or chunked, without keeping it", async () => {
    const org = await makeOrg("fast-path-limit");
    const token = await tokenFor(org.id, "operator", ["signals.ingest"]);
    const big = "x".repeat(MAX_JSON_BODY_BYTES + 10);
    const declared = await fetch(`${base}${URL_PATH}`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: big });
    expect(declared.status).toBe(413);
    // Chunked: no Content-Length, the limit is found while reading.
    const chunks = 20;
    const chunk = new TextEncoder().encode("y".repeat(Math.ceil((MAX_JSON_BODY_BYTES * 2) / chunks)));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent++ < chunks) c.enqueue(chunk);
        else c.close();
      },
    });
    const chunked = await fetch(`${base}${URL_PATH}`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: stream, duplex: "half" } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(((await chunked.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");
  });

  it("leaves to Next: no Authorization header (a session), other methods, other paths", async () => {
    nextSaw.length = 0;
    expect((await fetch(`${base}${URL_PATH}`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).status).toBe(299);
    expect((await fetch(`${base}${URL_PATH}`, { headers: { authorization: "Bearer x" } })).status).toBe(299);
    expect((await fetch(`${base}/api/v1/incidents`, { method: "POST", headers: { authorization: "Bearer x" }, body: "x" })).status).toBe(299);
    expect(nextSaw).toEqual([`POST ${URL_PATH}`, `GET ${URL_PATH}`, "POST /api/v1/incidents"]);
  });
});
