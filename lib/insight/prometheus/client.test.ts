// Unit tests against a local HTTP server that answers with the shapes real Prometheus 2.42 sends
// (captured by hand from /usr/bin/prometheus; the integration tests in test/prom/ run the real thing).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { checkConnection, instantQuery, parseSampleValue, parseStep, PrometheusConnectionSchema, PrometheusError, queryRange } from ".";

type Seen = { method: string; url: string; headers: IncomingMessage["headers"]; body: string };
type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

let handler: Handler = (_req, res) => res.end();
const seen: Seen[] = [];
afterEach(() => {
  seen.length = 0;
});

async function listen(h: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(h);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const base = await listen((req, res) => {
  let body = "";
  req.setEncoding("utf8");
  req.on("data", (c: string) => (body += c));
  req.on("end", () => {
    seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
    handler(req, res, body);
  });
});

function reply(status: number, body: unknown, headers: Record<string, string> = { "content-type": "application/json" }): Handler {
  return (_req, res) => {
    res.writeHead(status, headers);
    res.end(typeof body === "string" ? body : JSON.stringify(body));
  };
}

async function kindOf(p: Promise<unknown>): Promise<{ kind: string; message: string; status?: number; errorType?: string }> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof PrometheusError)) throw e;
    return { kind: e.kind, message: e.message, ...(e.status ? { status: e.status } : {}), ...(e.errorType ? { errorType: e.errorType } : {}) };
  }
  throw new Error("expected a PrometheusError");
}

const T0 = Date.UTC(2026, 10, 27, 8, 0, 0);
const range = { query: "up", start: T0, end: T0 + 60_000, step: 15, timeoutMs: 2_000 };

describe("queryRange", () => {
  it("POSTs the documented form to /api/v1/query_range and converts the matrix", async () => {
    handler = reply(200, {
      status: "success",
      data: {
        resultType: "matrix",
        result: [
          { metric: { __name__: "up", job: "api" }, values: [[T0 / 1000, "1"], [T0 / 1000 + 15, "0"], [T0 / 1000 + 30.5, "NaN"], [T0 / 1000 + 45, "+Inf"], [T0 / 1000 + 60, "-Inf"]] },
          { metric: { job: "db" }, values: [[1795768792.5, "1e+300"], [1795768793, "-0.25"]] },
        ],
      },
      warnings: ["partial data"],
    });
    const out = await queryRange({ ...range, baseUrl: `${base}/prom`, auth: { bearer: "s3cret" } });
    expect(out.series).toEqual([
      {
        labels: { __name__: "up", job: "api" },
        points: [
          { t: T0, v: 1 },
          { t: T0 + 15_000, v: 0 },
          { t: T0 + 30_500, v: NaN },
          { t: T0 + 45_000, v: Infinity },
          { t: T0 + 60_000, v: -Infinity },
        ],
      },
      { labels: { job: "db" }, points: [{ t: 1795768792500, v: 1e300 }, { t: 1795768793000, v: -0.25 }] },
    ]);
    expect(out.warnings).toEqual(["partial data"]);

    const req = seen[0]!;
    expect(req.method).toBe("POST");
    expect(req.url).toBe("/prom/api/v1/query_range"); // a base-URL path prefix is kept
    expect(req.headers["content-type"]).toMatch(/^application\/x-www-form-urlencoded/);
    expect(req.headers.authorization).toBe("Bearer s3cret");
    expect(Object.fromEntries(new URLSearchParams(req.body))).toEqual({
      query: "up",
      start: String(T0 / 1000) + ".000",
      end: String(T0 / 1000 + 60) + ".000",
      step: "15",
      timeout: "2000ms",
    });
  });

  it("sends basic auth, accepts Date times and duration steps", async () => {
    handler = reply(200, { status: "success", data: { resultType: "matrix", result: [] } });
    const out = await queryRange({ ...range, start: new Date(T0), end: new Date(T0 + 1500), step: "1m30s", baseUrl: base, auth: { basic: { username: "u", password: "p:ä" } } });
    expect(out).toEqual({ series: [] });
    expect(seen[0]!.headers.authorization).toBe(`Basic ${Buffer.from("u:p:ä").toString("base64")}`);
    expect(new URLSearchParams(seen[0]!.body).get("step")).toBe("90");
    expect(new URLSearchParams(seen[0]!.body).get("end")).toBe("1795766401.500");
  });

  it.each([
    [400, "bad_data", "1:4: parse error: unexpected end of input inside braces", "bad_query", /parse error/],
    [400, "bad_data", "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)", "bad_query", /11,000 points/],
    [422, "execution", "vector cannot contain metrics with the same labelset", "bad_query", /same labelset/],
    [503, "timeout", "query timed out in expression evaluation", "timeout", /timed out/],
    [503, "unavailable", "too many concurrent queries", "unavailable", /concurrent/],
    [503, "canceled", "query was canceled", "unavailable", /canceled/],
    [500, "internal", "boom", "unavailable", /boom/],
  ] as const)("HTTP %i errorType %s → %s", async (status, errorType, error, kind, msg) => {
    handler = reply(status, { status: "error", errorType, error });
    const err = await kindOf(queryRange({ ...range, baseUrl: base }));
    expect(err).toMatchObject({ kind, status, errorType });
    expect(err.message).toMatch(msg);
    expect(err.message).toContain(`HTTP ${status}`);
  });

  it.each([
    [401, "Unauthorized", { "content-type": "text/plain" }, "auth"],
    [403, "<html>forbidden</html>", { "content-type": "text/html" }, "auth"],
    [404, "404 page not found", { "content-type": "text/plain" }, "protocol"],
    [502, "<html><body>Bad Gateway</body></html>", { "content-type": "text/html" }, "unavailable"],
    [504, "gateway timeout", { "content-type": "text/plain" }, "timeout"],
    [429, "slow down", { "content-type": "text/plain" }, "unavailable"],
    [200, "<html>not prometheus</html>", { "content-type": "text/html" }, "protocol"],
    [302, "", { location: "http://user:pw@login.example/sso" }, "protocol"],
  ] as const)("non-API answer HTTP %i %j → %s", async (status, body, headers, kind) => {
    handler = reply(status, body, headers);
    const err = await kindOf(queryRange({ ...range, baseUrl: base }));
    expect(err).toMatchObject({ kind, status });
    expect(err.message).not.toContain("pw@"); // never echo credentials from a Location header
  });

  it("rejects unexpected success shapes as protocol errors", async () => {
    for (const data of [
      { resultType: "vector", result: [] },
      { resultType: "matrix", result: [{ metric: { a: 1 }, values: [] }] },
      { resultType: "matrix", result: [{ metric: {}, values: [[1, 2]] }] },
      { resultType: "matrix", result: [{ metric: {}, values: [[1, "abc"]] }] },
      { resultType: "matrix", result: [{ metric: {}, values: [[1, ""]] }] },
      { resultType: "table", result: [] },
      undefined,
    ]) {
      handler = reply(200, { status: "success", data });
      expect((await kindOf(queryRange({ ...range, baseUrl: base }))).kind, JSON.stringify(data)).toBe("protocol");
    }
  });

  it("skips native-histogram-only series", async () => {
    handler = reply(200, { status: "success", data: { resultType: "matrix", result: [{ metric: { a: "h" }, histograms: [[1, {}]] }, { metric: { a: "f" }, values: [[1, "2"]] }] } });
    expect((await queryRange({ ...range, baseUrl: base })).series).toEqual([{ labels: { a: "f" }, points: [{ t: 1000, v: 2 }] }]);
  });

  it("validates its arguments before any request", async () => {
    const fetchImpl = vi.fn<typeof fetch>();
    for (const bad of [
      { end: T0 - 1 },
      { query: "  " },
      { step: 0 },
      { step: -5 },
      { step: "fast" },
      { step: "" },
    ]) {
      expect((await kindOf(queryRange({ ...range, ...bad, baseUrl: base, fetchImpl }))).kind, JSON.stringify(bad)).toBe("bad_query");
    }
    await expect(queryRange({ ...range, baseUrl: "ftp://x", fetchImpl })).rejects.toThrow(TypeError);
    await expect(queryRange({ ...range, baseUrl: "not a url", fetchImpl })).rejects.toThrow(TypeError);
    await expect(queryRange({ ...range, baseUrl: base, fetchImpl, auth: { bearer: "a", basic: { username: "u", password: "p" } } })).rejects.toThrow(/either bearer or basic/);
    expect(fetchImpl).not.toHaveBeenCalled();
  });
});

describe("limits", () => {
  it("refuses a declared Content-Length over the cap without reading it", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": String(60 * 1024 * 1024) });
      res.write("{"); // never finishes: the client must not wait for the rest
    };
    const t0 = Date.now();
    const err = await kindOf(queryRange({ ...range, baseUrl: base }));
    expect(err.kind).toBe("bad_query");
    expect(err.message).toMatch(/larger than 52428800 bytes/);
    expect(Date.now() - t0).toBeLessThan(1_500);
  });

  it("stops reading a chunked body once it passes the cap", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" }); // chunked, no length
      const chunk = "x".repeat(64 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 2000 && res.write(chunk)) sent++;
        if (sent < 2000 && !res.destroyed) res.once("drain", pump);
      };
      res.on("close", () => (sent = 2000));
      pump();
    };
    const err = await kindOf(queryRange({ ...range, baseUrl: base, maxResponseBytes: 1024 * 1024 }));
    expect(err).toMatchObject({ kind: "bad_query" });
    expect(err.message).toMatch(/larger than 1048576 bytes/);
  });

  it("caps the number of points", async () => {
    const values = Array.from({ length: 600 }, (_, i) => [i, "1"]);
    handler = reply(200, { status: "success", data: { resultType: "matrix", result: [{ metric: { a: "1" }, values }, { metric: { a: "2" }, values }] } });
    expect((await queryRange({ ...range, baseUrl: base, maxPoints: 1200 })).series).toHaveLength(2);
    const err = await kindOf(queryRange({ ...range, baseUrl: base, maxPoints: 1000 }));
    expect(err).toMatchObject({ kind: "bad_query" });
    expect(err.message).toMatch(/more than 1000 points/);
  });
});

describe("network failures", () => {
  it("connection refused → unavailable with the socket error code", async () => {
    const closed = await listen(() => undefined);
    await new Promise((r) => servers.pop()!.close(r));
    const err = await kindOf(queryRange({ ...range, baseUrl: closed }));
    expect(err.kind).toBe("unavailable");
    expect(err.message).toMatch(/ECONNREFUSED/);
  });

  it("no answer within timeoutMs → timeout", async () => {
    handler = () => undefined; // never responds
    const t0 = Date.now();
    const err = await kindOf(queryRange({ ...range, baseUrl: base, timeoutMs: 300 }));
    expect(err.kind).toBe("timeout");
    expect(err.message).toMatch(/within 300 ms/);
    expect(Date.now() - t0).toBeLessThan(2_000);
  });

  it("a body that stalls after the headers → timeout", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"status":"succ');
    };
    expect((await kindOf(instantQuery({ query: "up", baseUrl: base, timeoutMs: 300 }))).kind).toBe("timeout");
  });

  it("a connection reset mid-body → unavailable", async () => {
    handler = (req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
      res.write('{"status":"succ', () => req.socket.destroy());
    };
    expect((await kindOf(queryRange({ ...range, baseUrl: base }))).kind).toBe("unavailable");
  });

  it("uses an injected fetch", async () => {
    const fetchImpl = vi.fn<typeof fetch>(async () => Response.json({ status: "success", data: { resultType: "matrix", result: [] } }));
    await queryRange({ ...range, baseUrl: "http://prom.invalid:9090/", fetchImpl });
    expect(fetchImpl.mock.calls[0]![0]).toBe("http://prom.invalid:9090/api/v1/query_range");
  });
});

describe("instantQuery", () => {
  it("converts vectors, scalars and range-vector matrices", async () => {
    handler = reply(200, { status: "success", data: { resultType: "vector", result: [{ metric: { job: "a" }, value: [1795768790.23, "-Inf"] }] } });
    expect(await instantQuery({ query: "vector(-1/0)", baseUrl: base, time: T0 })).toEqual({
      resultType: "vector",
      series: [{ labels: { job: "a" }, points: [{ t: 1795768790230, v: -Infinity }] }],
    });
    expect(seen[0]!.url).toBe("/api/v1/query");
    expect(Object.fromEntries(new URLSearchParams(seen[0]!.body))).toEqual({ query: "vector(-1/0)", time: `${T0 / 1000}.000`, timeout: "30000ms" });

    handler = reply(200, { status: "success", data: { resultType: "scalar", result: [1795768790.283, "NaN"] } });
    expect(await instantQuery({ query: "0/0", baseUrl: base })).toEqual({ resultType: "scalar", series: [{ labels: {}, points: [{ t: 1795768790283, v: NaN }] }] });

    handler = reply(200, { status: "success", data: { resultType: "matrix", result: [{ metric: { a: "b" }, values: [[1795768794.37, "1"], [1795768795.37, "1"]] }] } });
    expect((await instantQuery({ query: "up[3s]", baseUrl: base })).series[0]!.points).toEqual([{ t: 1795768794370, v: 1 }, { t: 1795768795370, v: 1 }]);
  });

  it("rejects string results and maps errors like queryRange", async () => {
    handler = reply(200, { status: "success", data: { resultType: "string", result: [1795768790.327, "abc"] } });
    expect((await kindOf(instantQuery({ query: '"abc"', baseUrl: base }))).kind).toBe("bad_query");
    handler = reply(422, { status: "error", errorType: "execution", error: "vector cannot contain metrics with the same labelset" });
    expect(await kindOf(instantQuery({ query: "x", baseUrl: base }))).toMatchObject({ kind: "bad_query", status: 422, errorType: "execution" });
  });
});

describe("checkConnection", () => {
  it("GETs buildinfo and returns the version", async () => {
    handler = reply(200, {
      status: "success",
      data: { version: "2.42.0+ds", revision: "2.42.0+ds-5+deb12u1", branch: "debian/sid", buildUser: "x", buildDate: "20260604-00:58:54", goVersion: "go1.19.8" },
    });
    expect(await checkConnection(base, { bearer: "t" })).toEqual({ version: "2.42.0+ds", revision: "2.42.0+ds-5+deb12u1" });
    expect(seen[0]).toMatchObject({ method: "GET", url: "/api/v1/status/buildinfo", body: "" });
    expect(seen[0]!.headers.authorization).toBe("Bearer t");
  });

  it("explains a wrong URL and wrong credentials", async () => {
    handler = reply(404, "404 page not found\n", { "content-type": "text/plain" });
    const notFound = await kindOf(checkConnection(`${base}/grafana`));
    expect(notFound.kind).toBe("protocol");
    expect(notFound.message).toMatch(/no Prometheus API here.*check the base URL/);
    handler = reply(401, "Unauthorized");
    expect((await kindOf(checkConnection(base, { bearer: "wrong" }))).kind).toBe("auth");
    handler = reply(200, { status: "success", data: { nope: true } });
    expect((await kindOf(checkConnection(base))).kind).toBe("protocol");
  });
});

describe("helpers", () => {
  it("parseSampleValue follows Go's float spellings and rejects junk", () => {
    expect(parseSampleValue("NaN")).toBeNaN();
    expect(parseSampleValue("+Inf")).toBe(Infinity);
    expect(parseSampleValue("-Inf")).toBe(-Infinity);
    expect(parseSampleValue("1.5e-7")).toBe(1.5e-7);
    expect(parseSampleValue("-0")).toBe(-0);
    for (const junk of ["", " 1", "abc", "1abc", "Infinity x"]) expect(() => parseSampleValue(junk), junk).toThrow(PrometheusError);
  });

  it("parseStep accepts seconds and Prometheus durations", () => {
    expect(parseStep(15)).toBe(15);
    expect(parseStep(0.5)).toBe(0.5);
    expect(parseStep("15s")).toBe(15);
    expect(parseStep("1h30m")).toBe(5400);
    expect(parseStep("500ms")).toBe(0.5);
    expect(parseStep("2.5")).toBe(2.5);
    for (const bad of ["", "1x", "-1s", "0s"]) expect(() => parseStep(bad), bad).toThrow(PrometheusError);
  });

  it("PrometheusConnectionSchema validates user settings", () => {
    expect(PrometheusConnectionSchema.safeParse({ baseUrl: "http://prometheus:9090" }).success).toBe(true);
    expect(PrometheusConnectionSchema.safeParse({ baseUrl: "https://h/prom", auth: { bearer: "x" } }).success).toBe(true);
    expect(PrometheusConnectionSchema.safeParse({ baseUrl: "ftp://h" }).success).toBe(false);
    expect(PrometheusConnectionSchema.safeParse({ baseUrl: "http://h", auth: { bearer: "x", basic: { username: "u", password: "p" } } }).success).toBe(false);
    expect(PrometheusConnectionSchema.safeParse({ baseUrl: "http://h", extra: 1 }).success).toBe(false);
  });
});
