// remote_write caps: a small snappy body can expand into millions of samples, so the decompressed size,
// the samples and series per request, and the samples per second per token are all bounded.
import { describe, expect, it, vi } from "vitest";

// The limits are read from the environment once per process; this file runs with small ones.
vi.hoisted(() => {
  process.env.REMOTE_WRITE_MAX_DECOMPRESSED_BYTES = String(64 * 1024);
  process.env.REMOTE_WRITE_MAX_SAMPLES = "600";
  process.env.REMOTE_WRITE_MAX_SERIES = "200";
  process.env.REMOTE_WRITE_SAMPLES_PER_SECOND = "1000";
});

import { fixture as capturedFixture } from "@/test/fixtures";
import { POST as remoteWrite } from "@/app/api/v1/write/route";
import { encodeWriteRequest } from "@/lib/insight/remote-write/encode.testing";
import { makeOrg } from "@/test/factories";
import { bearer, callRoute, countingStream, tokenFor } from "@/test/call-route";

const headers = (token: string) => ({ ...bearer(token), "content-type": "application/x-protobuf", "content-encoding": "snappy" });
const ingestToken = async () => tokenFor((await makeOrg("rwcap")).id, "operator", ["signals.ingest"]);
const t0 = Date.UTC(2026, 0, 1);

function body(series: number, samplesPerSeries: number) {
  return encodeWriteRequest({
    series: Array.from({ length: series }, (_, s) => ({
      labels: { __name__: "load_test", instance: `i${s}` },
      samples: Array.from({ length: samplesPerSeries }, (_, i) => ({ t: t0 + i * 1000, v: i })),
    })),
  });
}

describe("remote_write limits", () => {
  it("a body declaring more decompressed bytes than REMOTE_WRITE_MAX_DECOMPRESSED_BYTES → 413 (checked on the snappy header)", async () => {
    // The captured Prometheus body declares 87,668 bytes.
    const res = await callRoute(remoteWrite, { headers: headers(await ingestToken()), body: new Uint8Array(capturedFixture("remote_write/prometheus-2.42-writerequest.snappy")) });
    expect(res.status, res.text).toBe(413);
    expect(res.json.error.message).toContain("65536");
  });

  it("more samples than REMOTE_WRITE_MAX_SAMPLES in one request → 413 naming the limit", async () => {
    const res = await callRoute(remoteWrite, { headers: headers(await ingestToken()), body: body(1, 601) });
    expect(res.status, res.text).toBe(413);
    expect(res.json.error.message).toMatch(/more than 600 samples/);
  });

  it("more series than REMOTE_WRITE_MAX_SERIES in one request → 413 naming the limit", async () => {
    const res = await callRoute(remoteWrite, { headers: headers(await ingestToken()), body: body(201, 1) });
    expect(res.status, res.text).toBe(413);
    expect(res.json.error.message).toMatch(/more than 200 series/);
  });

  it("at the limits exactly, the request is accepted", async () => {
    const res = await callRoute(remoteWrite, { headers: headers(await ingestToken()), body: body(200, 3) });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ series: 200, samples: 600 });
  });

  it("more than REMOTE_WRITE_SAMPLES_PER_SECOND per token → 429 with Retry-After; other tokens are not affected", async () => {
    const token = await ingestToken();
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof callRoute>> | undefined;
    // 500 samples each: within any one second at most two fit under 1,000, so five in a row must hit it.
    for (let i = 0; i < 5 && !limited; i++) {
      const res = await callRoute(remoteWrite, { headers: headers(token), body: body(1, 500) });
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    expect(statuses).toContain(429);
    expect(limited!.json.error.code).toBe("rate_limited");
    expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);

    // While the window is spent, the next request is refused before its body is read.
    const flood = countingStream(64 * 1024, 16);
    const refused = await callRoute(remoteWrite, { headers: headers(token), body: flood.stream });
    if (refused.status === 429) expect(flood.pulled()).toBe(0);

    const other = await callRoute(remoteWrite, { headers: headers(await ingestToken()), body: body(1, 500) });
    expect(other.status, other.text).toBe(200);
  });
});
