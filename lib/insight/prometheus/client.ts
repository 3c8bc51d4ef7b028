/**
 * Minimal Prometheus HTTP API client (https://prometheus.io/docs/prometheus/latest/querying/api/):
 * range and instant queries and a connection check, with every failure mapped to a PrometheusError
 * whose `kind` says what to do about it.
 *
 * Limits, because a monitor's PromQL is user input and a careless query can return gigabytes:
 * the response body is capped (50 MB by default, checked while streaming, not after buffering it)
 * and so is the number of points decoded. Our deadline covers connecting, the query and reading the
 * body, and is also sent to Prometheus as its `timeout` parameter so the server stops working when
 * we stop waiting.
 */
import { z } from "zod";
import { PrometheusError, type PrometheusErrorKind } from "./errors";

export type PrometheusAuth = {
  bearer?: string;
  basic?: { username: string; password: string };
};

export type PrometheusCallOptions = {
  /** Prometheus root, e.g. `http://prometheus:9090` or `https://host/prometheus` (a path prefix is kept). */
  baseUrl: string;
  auth?: PrometheusAuth;
  /** Deadline for the whole call (connect + query + body). Default 30 s. */
  timeoutMs?: number;
  /** Injected for tests; defaults to the global fetch. */
  fetchImpl?: typeof fetch;
  /** Refuse larger response bodies. Default 50 MB. */
  maxResponseBytes?: number;
  /** Refuse results with more points (summed over all series). Default 1,000,000. */
  maxPoints?: number;
};

/** Milliseconds since the epoch (the same unit as the points we return), or a Date. */
export type TimeInput = number | Date;

export type QueryRangeOptions = PrometheusCallOptions & {
  query: string;
  start: TimeInput;
  end: TimeInput;
  /** Resolution: seconds as a number (Prometheus' own convention) or a duration string like "15s" or "1m". */
  step: number | string;
  timeoutMs: number;
};

export type InstantQueryOptions = PrometheusCallOptions & {
  query: string;
  /** Evaluation time; Prometheus' "now" when omitted. */
  time?: TimeInput;
};

export type PrometheusPoint = { t: number /* ms since epoch */; v: number };
export type PrometheusSeries = { labels: Record<string, string>; points: PrometheusPoint[] };
export type PrometheusQueryResult = {
  series: PrometheusSeries[];
  /** Prometheus' non-fatal warnings (e.g. partial data from a remote-read backend). */
  warnings?: string[];
};
export type InstantQueryResult = PrometheusQueryResult & { resultType: "vector" | "scalar" | "matrix" };

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 50 * 1024 * 1024;
export const DEFAULT_MAX_POINTS = 1_000_000;

/**
 * The shape to validate a user-entered Prometheus connection with (route handlers / server actions),
 * so bad settings are rejected when saved rather than on the first scheduled query.
 */
export const PrometheusConnectionSchema = z
  .object({
    baseUrl: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }),
    auth: z
      .object({
        bearer: z.string().min(1).optional(),
        basic: z.object({ username: z.string().min(1), password: z.string() }).optional(),
      })
      .refine((a) => !(a.bearer && a.basic), "use either bearer or basic auth, not both")
      .optional(),
  })
  .strict();

// ---------------------------------------------------------------------------------------------------
// Response schemas. Envelope and series are zod-validated; the points themselves are checked by a
// plain loop (see toPoints) because a zod tuple per point costs ~1 µs each, i.e. seconds for 1M points.

const Labels = z.record(z.string(), z.string());

const Envelope = z.object({
  status: z.enum(["success", "error"]),
  data: z.unknown().optional(),
  errorType: z.string().optional(),
  error: z.string().optional(),
  warnings: z.array(z.string()).optional(),
});

const QueryData = z.discriminatedUnion("resultType", [
  z.object({
    resultType: z.literal("matrix"),
    // `values` is absent for native-histogram series (they carry `histograms`), which we skip.
    result: z.array(z.object({ metric: Labels, values: z.array(z.unknown()).optional() })),
  }),
  z.object({
    resultType: z.literal("vector"),
    result: z.array(z.object({ metric: Labels, value: z.unknown().optional() })),
  }),
  z.object({ resultType: z.literal("scalar"), result: z.unknown() }),
  z.object({ resultType: z.literal("string"), result: z.unknown() }),
]);

const BuildInfo = z.object({
  version: z.string().min(1),
  revision: z.string().optional(),
  branch: z.string().optional(),
  goVersion: z.string().optional(),
});

// ---------------------------------------------------------------------------------------------------

export async function queryRange(opts: QueryRangeOptions): Promise<PrometheusQueryResult> {
  const start = toMs(opts.start, "start");
  const end = toMs(opts.end, "end");
  const stepSeconds = parseStep(opts.step);
  if (end < start) throw new PrometheusError("bad_query", `query range end (${iso(end)}) is before start (${iso(start)})`);
  if (!opts.query.trim()) throw new PrometheusError("bad_query", "query is empty");

  const form = new URLSearchParams({
    query: opts.query,
    start: secondsParam(start),
    end: secondsParam(end),
    step: String(stepSeconds),
  });
  // Prometheus' own evaluation timeout: the server stops working on the query when we stop waiting.
  form.set("timeout", `${Math.max(1, Math.floor(opts.timeoutMs))}ms`);
  const { data, warnings } = await call(opts, "api/v1/query_range", form);
  return withWarnings({ series: rangeSeries(data, opts.maxPoints) }, warnings);
}

/** The `data` of a query_range answer as series: also for answers relayed by an agent rather than fetched here. */
export function rangeSeries(data: unknown, maxPoints = DEFAULT_MAX_POINTS): PrometheusSeries[] {
  const parsed = parseData(QueryData, data, "query_range");
  if (parsed.resultType !== "matrix") throw new PrometheusError("protocol", `query_range returned resultType "${parsed.resultType}", expected "matrix"`);
  return matrixSeries(parsed.result, maxPoints);
}

export async function instantQuery(opts: InstantQueryOptions): Promise<InstantQueryResult> {
  if (!opts.query.trim()) throw new PrometheusError("bad_query", "query is empty");
  const form = new URLSearchParams({ query: opts.query });
  if (opts.time !== undefined) form.set("time", secondsParam(toMs(opts.time, "time")));
  form.set("timeout", `${Math.max(1, Math.floor(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS))}ms`);
  const { data, warnings } = await call(opts, "api/v1/query", form);
  const parsed = parseData(QueryData, data, "query");
  const maxPoints = opts.maxPoints ?? DEFAULT_MAX_POINTS;
  switch (parsed.resultType) {
    case "matrix": // e.g. `up[5m]`
      return withWarnings({ resultType: "matrix", series: matrixSeries(parsed.result, maxPoints) }, warnings);
    case "vector": {
      if (parsed.result.length > maxPoints) throw tooManyPoints(maxPoints);
      const series = parsed.result.flatMap((r) => (r.value === undefined ? [] : [{ labels: r.metric, points: toPoints([r.value], "vector value") }]));
      return withWarnings({ resultType: "vector", series }, warnings);
    }
    case "scalar":
      return withWarnings({ resultType: "scalar", series: [{ labels: {}, points: toPoints([parsed.result], "scalar") }] }, warnings);
    case "string":
      throw new PrometheusError("bad_query", "the query returns a string, not numbers");
  }
}

/** GET /api/v1/status/buildinfo: proves the URL is a reachable Prometheus API and the credentials work. */
export async function checkConnection(
  baseUrl: string,
  auth?: PrometheusAuth,
  opts: Omit<PrometheusCallOptions, "baseUrl" | "auth"> = {},
): Promise<{ version: string; revision?: string }> {
  const { data } = await call({ ...opts, baseUrl, ...(auth ? { auth } : {}), timeoutMs: opts.timeoutMs ?? 10_000 }, "api/v1/status/buildinfo");
  const info = parseData(BuildInfo, data, "buildinfo");
  return info.revision ? { version: info.version, revision: info.revision } : { version: info.version };
}

// ---------------------------------------------------------------------------------------------------
// Transport

async function call(opts: PrometheusCallOptions, path: string, form?: URLSearchParams): Promise<{ data: unknown; warnings?: string[] }> {
  const url = apiUrl(opts.baseUrl, path);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!(timeoutMs > 0)) throw new TypeError("timeoutMs must be positive");
  const maxBytes = opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const fetchImpl = opts.fetchImpl ?? fetch;
  const where = `${form ? "POST" : "GET"} ${redact(url)}`;

  const headers: Record<string, string> = { accept: "application/json", ...authHeader(opts.auth) };
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const timeoutError = (cause?: unknown) =>
    new PrometheusError("timeout", `Prometheus did not answer within ${timeoutMs} ms (${where})`, { cause });

  try {
    let res: Response;
    try {
      res = await fetchImpl(url, {
        method: form ? "POST" : "GET",
        headers,
        ...(form ? { body: form } : {}),
        signal: controller.signal,
        // A redirect means a wrong base URL (or a login page); following it would also re-send the
        // credentials to wherever it points, and turns our POST into a GET.
        redirect: "manual",
      });
    } catch (e) {
      if (timedOut) throw timeoutError(e);
      throw new PrometheusError("unavailable", `cannot reach Prometheus (${where}): ${networkReason(e)}`, { cause: e });
    }

    let text: string;
    try {
      text = await readCapped(res, maxBytes);
    } catch (e) {
      if (e instanceof PrometheusError) throw e;
      if (timedOut) throw timeoutError(e);
      throw new PrometheusError("unavailable", `connection to Prometheus failed while reading the response (${where}): ${networkReason(e)}`, { cause: e });
    }
    return interpret(res, text, where);
  } finally {
    clearTimeout(timer);
  }
}

function interpret(res: Response, text: string, where: string): { data: unknown; warnings?: string[] } {
  const status = res.status;
  if (status >= 300 && status < 400) {
    const to = res.headers.get("location");
    throw new PrometheusError("protocol", `Prometheus answered with a redirect (HTTP ${status}${to ? ` to ${redact(to)}` : ""}) for ${where}; check the base URL`, { status });
  }

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const env = Envelope.safeParse(json);

  if (env.success && env.data.status === "success" && status >= 200 && status < 300) {
    return env.data.warnings?.length ? { data: env.data.data, warnings: env.data.warnings } : { data: env.data.data };
  }
  if (env.success && env.data.status === "error") {
    const errorType = env.data.errorType ?? "unknown";
    const detail = env.data.error ?? "(no message)";
    throw new PrometheusError(kindForError(status, errorType), `Prometheus ${errorType} error (HTTP ${status}): ${detail}`, { status, errorType });
  }
  // Not the API's JSON envelope: a proxy, a load balancer, an auth gateway, or the wrong URL.
  const snippet = text.slice(0, 200).replace(/\s+/g, " ").trim();
  const kind = status === 401 || status === 403 ? "auth" : status === 408 || status === 504 ? "timeout" : status === 429 || status >= 500 ? "unavailable" : "protocol";
  const why =
    status === 404 ? `no Prometheus API here (HTTP 404) for ${where}; check the base URL` : `unexpected response (HTTP ${status}) from ${where}${snippet ? `: ${snippet}` : ""}`;
  throw new PrometheusError(kind, kind === "auth" ? `Prometheus rejected the credentials (HTTP ${status}) for ${where}` : why, { status });
}

/** Maps the documented errorType values (and the status as a fallback) to our kinds. */
function kindForError(status: number, errorType: string): PrometheusErrorKind {
  if (status === 401 || status === 403) return "auth";
  switch (errorType) {
    case "bad_data": // 400: parse errors, bad range/step, too many points per series
    case "execution": // 422: evaluation failed, e.g. too many samples, duplicate label sets
      return "bad_query";
    case "timeout": // 503: the query hit Prometheus' -query.timeout or our `timeout` parameter
      return "timeout";
    case "canceled":
    case "internal":
    case "unavailable":
      return "unavailable";
    default:
      return status >= 500 || status === 429 ? "unavailable" : status >= 400 ? "bad_query" : "protocol";
  }
}

/** Reads the body as text, refusing (and cancelling the download) once it exceeds maxBytes. */
async function readCapped(res: Response, maxBytes: number): Promise<string> {
  const tooLarge = (n: string) =>
    new PrometheusError("bad_query", `Prometheus response is larger than ${maxBytes} bytes (${n}); narrow the query, use fewer series or a larger step`, {
      status: res.status,
    });
  const declared = Number(res.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw tooLarge(`Content-Length ${declared}`);
  }
  if (!res.body) return "";
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(`at least ${total} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total).toString("utf8");
}

// ---------------------------------------------------------------------------------------------------
// Result conversion

function parseData<T>(schema: z.ZodType<T>, data: unknown, what: string): T {
  const r = schema.safeParse(data);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new PrometheusError("protocol", `unexpected ${what} response shape${issue ? ` at ${issue.path.join(".") || "data"}: ${issue.message}` : ""}`);
  }
  return r.data;
}

function matrixSeries(result: { metric: Record<string, string>; values?: unknown[] | undefined }[], maxPoints: number): PrometheusSeries[] {
  let total = 0;
  const out: PrometheusSeries[] = [];
  for (const r of result) {
    if (!r.values) continue; // native-histogram-only series
    total += r.values.length;
    if (total > maxPoints) throw tooManyPoints(maxPoints);
    out.push({ labels: r.metric, points: toPoints(r.values, "matrix value") });
  }
  return out;
}

function tooManyPoints(maxPoints: number): PrometheusError {
  return new PrometheusError("bad_query", `query returned more than ${maxPoints} points; narrow the query, use fewer series or a larger step`);
}

/** `[unixSeconds, "value"]` pairs → `{t: ms, v}`; anything else is a protocol error. */
function toPoints(values: unknown[], what: string): PrometheusPoint[] {
  const points: PrometheusPoint[] = new Array<PrometheusPoint>(values.length);
  for (let i = 0; i < values.length; i++) {
    const p = values[i];
    if (!Array.isArray(p) || p.length !== 2 || typeof p[0] !== "number" || typeof p[1] !== "string") {
      throw new PrometheusError("protocol", `unexpected ${what} ${JSON.stringify(p)?.slice(0, 80)}: expected [unixSeconds, "value"]`);
    }
    points[i] = { t: Math.round(p[0] * 1000), v: parseSampleValue(p[1]) };
  }
  return points;
}

/** Prometheus encodes sample values as strings, with Go's spellings of the special floats. */
export function parseSampleValue(s: string): number {
  switch (s) {
    case "NaN":
      return NaN;
    case "+Inf":
    case "Inf":
      return Infinity;
    case "-Inf":
      return -Infinity;
  }
  const v = Number(s);
  // Number("") is 0 and Number(" 1 ") is 1: neither is something Prometheus sends.
  if (Number.isNaN(v) || s.trim() !== s || s === "") throw new PrometheusError("protocol", `unparseable sample value ${JSON.stringify(s.slice(0, 40))}`);
  return v;
}

function withWarnings<T extends object>(r: T, warnings: string[] | undefined): T & { warnings?: string[] } {
  return warnings?.length ? { ...r, warnings } : r;
}

// ---------------------------------------------------------------------------------------------------
// Small helpers

function apiUrl(baseUrl: string, path: string): string {
  let u: URL;
  try {
    u = new URL(baseUrl);
  } catch {
    throw new TypeError(`invalid Prometheus base URL ${JSON.stringify(baseUrl)}`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new TypeError(`Prometheus base URL must be http(s), got ${u.protocol}`);
  if (u.search || u.hash) throw new TypeError("Prometheus base URL must not carry a query string or fragment");
  // Keep a path prefix (Prometheus behind `--web.route-prefix` or a reverse proxy).
  if (!u.pathname.endsWith("/")) u.pathname += "/";
  return new URL(path, u).toString();
}

function authHeader(auth: PrometheusAuth | undefined): Record<string, string> {
  if (!auth) return {};
  if (auth.bearer !== undefined && auth.basic !== undefined) throw new TypeError("use either bearer or basic auth, not both");
  if (auth.bearer !== undefined) return { authorization: `Bearer ${auth.bearer}` };
  if (auth.basic) return { authorization: `Basic ${Buffer.from(`${auth.basic.username}:${auth.basic.password}`, "utf8").toString("base64")}` };
  return {};
}

/** URL for messages and logs, without any userinfo it may carry. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    return u.toString();
  } catch {
    return "(invalid URL)";
  }
}

function networkReason(e: unknown): string {
  // undici wraps the real socket error: TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } }).
  const cause = (e as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (cause && typeof cause.code === "string") return `${cause.code}${typeof cause.message === "string" ? ` (${cause.message})` : ""}`;
  return e instanceof Error ? e.message : String(e);
}

function toMs(t: TimeInput, name: string): number {
  const ms = t instanceof Date ? t.getTime() : t;
  if (!Number.isFinite(ms)) throw new TypeError(`${name} must be a valid time`);
  return ms;
}

function secondsParam(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_SECONDS = [365 * 86400, 7 * 86400, 86400, 3600, 60, 1, 0.001];

/** Step as seconds: a positive number, or a Prometheus duration string ("15s", "1m30s", "500ms"). */
export function parseStep(step: number | string): number {
  let seconds: number;
  if (typeof step === "number") seconds = step;
  else {
    const m = DURATION.exec(step);
    if (m && step !== "") seconds = m.slice(1).reduce((sum, g, i) => sum + (g ? Number(g) * UNIT_SECONDS[i]! : 0), 0);
    else if (/^\d+(\.\d+)?$/.test(step)) seconds = Number(step);
    else throw new PrometheusError("bad_query", `invalid step ${JSON.stringify(step)}: use seconds or a duration like "15s"`);
  }
  if (!(Number.isFinite(seconds) && seconds > 0)) throw new PrometheusError("bad_query", `step must be positive, got ${JSON.stringify(step)}`);
  return seconds;
}
