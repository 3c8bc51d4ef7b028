// Request bodies are read as a stream with a byte limit: a chunked body (no Content-Length) that passes
// the limit is refused with 413 as soon as it does, without being buffered in full first.
import { describe, expect, it } from "vitest";
import { POST as enroll } from "@/app/api/v1/agent/enroll/route";
import { POST as remoteWrite } from "@/app/api/v1/write/route";
import { MAX_REMOTE_WRITE_BODY } from "@/lib/monitors/ingest-remote-write";
import { makeOrg } from "@/test/factories";
import { bearer, callRoute, countingStream, tokenFor } from "@/test/call-route";

const KiB = 1024;
const MiB = 1024 * KiB;
// The documented limit for JSON bodies (README: API limits).
const MAX_JSON_BODY_BYTES = 1 * MiB;

describe("streamed body limits", () => {
  it("a chunked JSON body over the limit → 413 after reading at most the limit plus one chunk (unauthenticated enroll)", async () => {
    const chunk = 64 * KiB;
    const body = countingStream(chunk, 50 * 16); // 50 MiB, as in the report
    const res = await callRoute(enroll, { headers: { "content-type": "application/json" }, body: body.stream });
    expect(res.status, res.text).toBe(413);
    expect(res.json.error.code).toBe("payload_too_large");
    expect(body.pulled()).toBeLessThanOrEqual(MAX_JSON_BODY_BYTES + chunk);
  });

  it("a declared Content-Length over the limit → 413 without reading the body", async () => {
    const body = countingStream(64 * KiB, 100);
    const res = await callRoute(enroll, { headers: { "content-type": "application/json", "content-length": String(50 * MiB) }, body: body.stream });
    expect(res.status).toBe(413);
    expect(body.pulled()).toBe(0);
  });

  it("a chunked remote_write body over its limit → 413 after at most the limit plus one chunk", async () => {
    const token = await tokenFor((await makeOrg("rwlimit")).id, "operator", ["signals.ingest"]);
    const chunk = 256 * KiB;
    const body = countingStream(chunk, 4 * 50); // 50 MiB
    const res = await callRoute(remoteWrite, {
      headers: { ...bearer(token), "content-type": "application/x-protobuf", "content-encoding": "snappy" },
      body: body.stream,
    });
    expect(res.status, res.text).toBe(413);
    expect(body.pulled()).toBeLessThanOrEqual(MAX_REMOTE_WRITE_BODY + chunk);
  });

  it("a body under the limit arriving in many small chunks is read whole", async () => {
    const json = JSON.stringify({ bootstrapToken: `nob_${"a".repeat(40)}`, publicKeyPem: "x".repeat(3000) });
    const bytes = new TextEncoder().encode(json);
    let i = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (i >= bytes.length) return c.close();
        c.enqueue(bytes.subarray(i, i + 7));
        i += 7;
      },
    });
    const res = await callRoute(enroll, { headers: { "content-type": "application/json" }, body: stream });
    // Parsed and validated: the token is unknown, so it is refused after parsing, not as malformed.
    expect(res.status, res.text).not.toBe(413);
    expect(res.json.error.code).not.toBe("invalid_json");
  });
});
