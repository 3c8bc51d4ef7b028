/**
 * OpenAI-compatible embeddings client (OpenAI, Azure-style proxies, vLLM, Ollama, TEI, LiteLLM, …), used when
 * EMBEDDINGS_URL is set; `embedderFromEnv` falls back to the local hashed embedder otherwise.
 *
 * Endpoint (see `embeddingsEndpoint`): a bare origin gets `/v1/embeddings` (`https://api.openai.com` →
 * `https://api.openai.com/v1/embeddings`); any other path gets `/embeddings` appended (`…/v1` → `…/v1/embeddings`,
 * `http://litellm:4000/api` → `…/api/embeddings`); a path already ending in `/embeddings` is used as is. The query
 * string is kept (e.g. `?api-version=…`). Credentials in the URL are refused (use EMBEDDINGS_API_KEY).
 *
 * Transport is the official `openai` SDK (`baseURL` = the endpoint minus `/embeddings`, its query as the SDK's
 * default query): `POST {model, input: string[], encoding_format: "float"}` — float is asked for explicitly because
 * the SDK otherwise asks for base64, which several compatible servers do not speak — with `Authorization: Bearer
 * <key>` only when a key is set, at most `batchSize` inputs (default 64; batches go one after another). The SDK
 * retries up to `maxAttempts` (default 4) in all, with its backoff (0.5 s · 2^n, ≤ 8 s, minus up to 25 % jitter,
 * or the server's Retry-After), each attempt under its `timeoutMs` deadline (default 30 s), and then we throw
 * EmbeddingsUnavailableError. A thin fetch wrapper adds what the SDK does not do: the deadline also covers
 * reading the body (the wrapper reads it inside the SDK's fetch call), bodies are size-capped,
 * only 429, 408, 5xx, network errors and timeouts are retried (it answers the SDK's `x-should-retry`), and a
 * Retry-After longer than `maxRetryAfterMs` (30 s) gives up at once with that error and its `retryAfterMs`, so a
 * job queue can reschedule instead of holding a worker. Other 4xx and malformed responses are EmbeddingsError (not
 * retried). Messages name the endpoint (without query) and the last status or error, never the API key.
 *
 * Responses are zod-validated, put back in input order by `index`, L2-normalized into Float32Arrays, and every
 * vector must have the same dimension (the configured `dim`, or the one the first response showed).
 * `id` = `openai:{model}:{dim}`; without a configured dim, `id`/`dim` throw until a first call (or `ready()`)
 * has shown it — a wrong id would silently mix vector spaces.
 *
 * Inputs: empty strings are sent as " " (the API rejects ""), and texts are cut to `maxInputChars`
 * (default 16,000 chars, under the 8,192-token limit of OpenAI's models even for token-dense log text).
 */
import OpenAI, { APIConnectionError, APIError, APIUserAbortError } from "openai";
import { z } from "zod";
import { createLocalEmbedder, DEFAULT_LOCAL_DIM } from "@/lib/vectors/local-embedder";
import { l2NormalizeInPlace, type Embedder } from "@/lib/vectors/types";

export class EmbeddingsError extends Error {
  /** The endpoint, without credentials or query string. */
  readonly url: string;
  readonly status: number | undefined;

  constructor(message: string, opts: { url: string; status?: number }) {
    super(message);
    this.name = "EmbeddingsError";
    this.url = opts.url;
    this.status = opts.status;
  }
}

/** The endpoint could not be reached or kept failing (after retries): try again later. */
export class EmbeddingsUnavailableError extends EmbeddingsError {
  readonly attempts: number;
  /** The server's Retry-After when that was why we gave up. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, opts: { url: string; status?: number; attempts: number; retryAfterMs?: number }) {
    super(message, opts);
    this.name = "EmbeddingsUnavailableError";
    this.attempts = opts.attempts;
    this.retryAfterMs = opts.retryAfterMs;
  }
}

export interface OpenAIEmbedderOptions {
  /** Base URL (with or without `/v1`) or the full `…/embeddings` URL. */
  url: string;
  model: string;
  apiKey?: string;
  /** Expected dimension: makes `id` known up front and is checked against every response. */
  dim?: number;
  /** Inputs per request. Default 64. */
  batchSize?: number;
  /** Attempts per request, the first included (the SDK's `maxRetries` + 1). Default 4. */
  maxAttempts?: number;
  /** Deadline per attempt (connect + response + body). Default 30,000 ms. */
  timeoutMs?: number;
  /** A longer Retry-After ends the call at once with EmbeddingsUnavailableError. Default 30,000 ms. */
  maxRetryAfterMs?: number;
  /** Texts are cut to this many characters. Default 16,000. */
  maxInputChars?: number;
  /** Larger response bodies are refused. Default 64 MB. */
  maxResponseBytes?: number;
  /** Injected for tests (handed to the SDK under the wrapper). */
  fetch?: typeof fetch;
}

export interface OpenAIEmbedder extends Embedder {
  readonly model: string;
  /** The URL requests go to (query string included). */
  readonly endpoint: string;
  /** Resolves once `dim` and `id` are known (one small request if neither configured nor seen yet). */
  ready(): Promise<void>;
}

const ResponseSchema = z.object({
  data: z.array(z.object({ index: z.number().int().nonnegative(), embedding: z.array(z.number()) })),
  model: z.string().optional(),
});

/** The URL to POST to, from a base URL with or without `/v1` (see the header). */
export function embeddingsEndpoint(base: string): string {
  let u: URL;
  try {
    u = new URL(base.trim());
  } catch {
    throw new Error("embeddings URL is not a valid URL");
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error(`embeddings URL must be http(s), got ${u.protocol}`);
  if (u.username || u.password) throw new Error("embeddings URL must not contain credentials (use EMBEDDINGS_API_KEY)");
  const path = u.pathname.replace(/\/+$/, "");
  u.pathname = path === "" ? "/v1/embeddings" : /\/embeddings$/.test(path) ? path : `${path}/embeddings`;
  u.hash = "";
  return u.toString();
}

const withoutQuery = (endpoint: string): string => {
  const u = new URL(endpoint);
  return `${u.origin}${u.pathname}`;
};

function parseRetryAfter(v: string | null, now: number): number | undefined {
  if (v === null) return undefined;
  const s = v.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

/** The SDK would also retry 409; an embeddings call that conflicts will conflict again. */
const isRetryableStatus = (s: number) => s === 429 || s === 408 || (s >= 500 && s <= 599);

class BodyTooLarge extends Error {}

async function readBody(res: Response, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(res.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) {
    await res.body?.cancel().catch(() => {});
    throw new BodyTooLarge();
  }
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function describeFetchError(e: unknown, timeoutMs: number): string {
  if (e instanceof Error) {
    if (e.name === "TimeoutError" || e.name === "AbortError") return `timed out after ${timeoutMs} ms`;
    const cause = (e as { cause?: unknown }).cause;
    if (cause instanceof Error) {
      const code = (cause as { code?: unknown }).code;
      return typeof code === "string" ? `${code} (${cause.message})` : cause.message;
    }
    return e.message;
  }
  return String(e);
}

function errorDetail(raw: string): string {
  let msg = raw;
  try {
    const j = JSON.parse(raw) as { error?: { message?: unknown } | string; message?: unknown };
    const m = typeof j.error === "string" ? j.error : typeof j.error?.message === "string" ? j.error.message : typeof j.message === "string" ? j.message : undefined;
    if (m !== undefined) msg = m;
  } catch {
    // not JSON: keep the text
  }
  msg = msg.replace(/\s+/g, " ").trim();
  return msg.length > 200 ? `${msg.slice(0, 200)}…` : msg;
}

/** What the fetch wrapper saw during one SDK call (all its attempts): our errors are built from it. */
interface CallState {
  attempts: number;
  last: string;
  lastStatus: number | undefined;
  /** Set when the wrapper told the SDK not to retry because of a long Retry-After. */
  retryAfterMs: number | undefined;
  /** An error to end the call with at once (the wrapper aborts the SDK call so that it does not retry). */
  fatal: EmbeddingsError | undefined;
  abort: AbortController;
}

export function createOpenAIEmbedder(opts: OpenAIEmbedderOptions): OpenAIEmbedder {
  const endpoint = embeddingsEndpoint(opts.url);
  const shownUrl = withoutQuery(endpoint);
  const model = opts.model.trim();
  if (!model) throw new Error("embeddings model must not be empty");
  const apiKey = opts.apiKey?.trim() || undefined;
  const batchSize = opts.batchSize ?? 64;
  const maxAttempts = opts.maxAttempts ?? 4;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const maxRetryAfterMs = opts.maxRetryAfterMs ?? 30_000;
  const maxInputChars = opts.maxInputChars ?? 16_000;
  const maxResponseBytes = opts.maxResponseBytes ?? 64 * 1024 * 1024;
  const fetchImpl = opts.fetch ?? fetch;
  for (const [name, v, min] of [["batchSize", batchSize, 1], ["maxAttempts", maxAttempts, 1], ["timeoutMs", timeoutMs, 1]] as const) {
    if (!Number.isInteger(v) || v < min) throw new Error(`${name} must be an integer ≥ ${min}`);
  }
  if (opts.dim !== undefined && (!Number.isInteger(opts.dim) || opts.dim < 1)) throw new Error("dim must be a positive integer");
  let dim: number | undefined = opts.dim;

  /** Keeps the key out of anything we show, even if a server echoes it. */
  const scrub = (s: string): string => (apiKey && apiKey.length >= 4 ? s.split(apiKey).join("[redacted]") : s);
  const fail = (message: string, status?: number) => new EmbeddingsError(scrub(message), { url: shownUrl, status });

  const u = new URL(endpoint);
  const sdk = new OpenAI({
    baseURL: `${u.origin}${u.pathname.replace(/\/embeddings$/, "")}`,
    defaultQuery: u.search ? Object.fromEntries(u.searchParams) : undefined,
    // The SDK insists on a credential; without a key it gets a placeholder and the header is removed, so that
    // keyless local servers (Ollama, TEI) see no Authorization at all.
    apiKey: apiKey ?? "unused",
    defaultHeaders: apiKey ? undefined : { Authorization: null },
    // Everything explicit, so that OPENAI_* variables meant for something else on the host change nothing here.
    adminAPIKey: null,
    organization: null,
    project: null,
    webhookSecret: null,
    logLevel: "off",
    maxRetries: maxAttempts - 1,
    timeout: timeoutMs,
  });

  /**
   * The fetch the SDK calls, once per attempt. It reads the whole body before returning, so the SDK's deadline
   * (which ends when its fetch returns) covers the body too; it caps the size, tells the SDK our retry policy
   * through `x-should-retry`, and notes what happened for the error we throw.
   */
  const transport =
    (state: CallState): typeof fetch =>
    async (url, init) => {
      state.attempts++;
      let res: Response;
      let body: Uint8Array<ArrayBuffer>;
      try {
        res = await fetchImpl(url, init);
        try {
          body = await readBody(res, res.ok ? maxResponseBytes : 4096);
        } catch (e) {
          if (!(e instanceof BodyTooLarge)) throw e;
          if (res.ok) {
            state.fatal = fail(`embeddings response from ${shownUrl} exceeds ${maxResponseBytes} bytes`, res.status);
            state.abort.abort();
            throw e;
          }
          body = new Uint8Array(0); // an oversized error page: the status says enough
        }
      } catch (e) {
        if (!state.fatal) {
          state.last = describeFetchError(e, timeoutMs);
          state.lastStatus = undefined;
        }
        throw e;
      }
      const headers = new Headers(res.headers);
      headers.delete("content-length");
      headers.delete("content-encoding");
      if (!res.ok) {
        const detail = errorDetail(Buffer.from(body).toString("utf8"));
        state.last = `HTTP ${res.status}${detail ? `: ${detail}` : ""}`;
        state.lastStatus = res.status;
        let retry = isRetryableStatus(res.status);
        const retryAfterMs = parseRetryAfter(res.headers.get("retry-after"), Date.now());
        if (retry && retryAfterMs !== undefined && retryAfterMs > maxRetryAfterMs) {
          state.retryAfterMs = retryAfterMs;
          retry = false;
        }
        headers.set("x-should-retry", String(retry));
      }
      const nullBody = res.status === 204 || res.status === 304;
      return new Response(nullBody ? null : body, { status: res.status, statusText: res.statusText, headers });
    };

  /** One batch through the SDK (which retries); returns the raw embeddings in input order. */
  async function request(input: string[]): Promise<number[][]> {
    const state: CallState = { attempts: 0, last: "", lastStatus: undefined, retryAfterMs: undefined, fatal: undefined, abort: new AbortController() };
    let res: Response;
    try {
      res = await sdk
        .withOptions({ fetch: transport(state) })
        .embeddings.create({ model, input, encoding_format: "float" }, { signal: state.abort.signal })
        .asResponse();
    } catch (e) {
      if (state.fatal) throw state.fatal;
      if (!(e instanceof APIError) || e instanceof APIUserAbortError) throw e;
      const status = e instanceof APIConnectionError ? undefined : e.status;
      if (status !== undefined && state.retryAfterMs !== undefined) {
        throw new EmbeddingsUnavailableError(scrub(`embeddings endpoint ${shownUrl} unavailable: ${state.last}, retry after ${state.retryAfterMs} ms`), {
          url: shownUrl,
          status,
          attempts: state.attempts,
          retryAfterMs: state.retryAfterMs,
        });
      }
      if (status !== undefined && !isRetryableStatus(status)) throw fail(`embeddings request to ${shownUrl} failed: ${state.last}`, status);
      throw new EmbeddingsUnavailableError(scrub(`embeddings endpoint ${shownUrl} unavailable after ${state.attempts} attempts (last: ${state.last})`), {
        url: shownUrl,
        status: state.lastStatus,
        attempts: state.attempts,
      });
    }
    return parse(await res.text(), input.length, res.status);
  }

  function parse(text: string, n: number, status: number): number[][] {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw fail(`embeddings response from ${shownUrl} is not JSON (HTTP ${status})`, status);
    }
    const parsed = ResponseSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw fail(`embeddings response from ${shownUrl} is malformed: ${issue ? `${issue.path.join(".") || "(root)"}: ${issue.message}` : "invalid"}`, status);
    }
    const { data } = parsed.data;
    if (data.length !== n) throw fail(`embeddings response from ${shownUrl} has ${data.length} embeddings for ${n} inputs`, status);
    const out = new Array<number[] | undefined>(n);
    for (const d of data) {
      if (d.index >= n || out[d.index] !== undefined) throw fail(`embeddings response from ${shownUrl} has a bad or repeated index ${d.index}`, status);
      out[d.index] = d.embedding;
    }
    const vectors = out as number[][];
    const len = vectors[0]!.length;
    for (const v of vectors) {
      if (v.length !== len || len === 0) throw fail(`embeddings response from ${shownUrl} mixes dimensions (${len} and ${v.length})`, status);
    }
    if (dim !== undefined && len !== dim) throw fail(`embedding dimension mismatch from ${shownUrl}: expected ${dim}, got ${len}`, status);
    dim = len;
    return vectors;
  }

  async function embed(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += batchSize) {
      const input = texts.slice(i, i + batchSize).map((t) => (t.length > maxInputChars ? t.slice(0, maxInputChars) : t) || " ");
      for (const v of await request(input)) out.push(l2NormalizeInPlace(Float32Array.from(v)));
    }
    return out;
  }

  let probing: Promise<void> | undefined;
  const known = (): number => {
    if (dim === undefined) throw new Error(`embedding dimension of ${model} at ${shownUrl} is not known yet: set EMBEDDINGS_DIM or await ready() first`);
    return dim;
  };

  return {
    model,
    endpoint,
    get dim() {
      return known();
    },
    get id() {
      return `openai:${model}:${known()}`;
    },
    embed,
    ready() {
      if (dim !== undefined) return Promise.resolve();
      probing ??= embed(["dimension probe"]).then(
        () => undefined,
        (e: unknown) => {
          probing = undefined;
          throw e;
        },
      );
      return probing;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------

const EnvSchema = z.object({
  EMBEDDINGS_URL: z.string().optional(),
  EMBEDDINGS_API_KEY: z.string().optional(),
  EMBEDDINGS_MODEL: z.string().default("text-embedding-3-small"),
  EMBEDDINGS_DIM: z.coerce.number().int().min(1).max(65_536).optional(),
  EMBEDDINGS_BATCH_SIZE: z.coerce.number().int().min(1).max(2048).default(64),
  EMBEDDINGS_TIMEOUT_MS: z.coerce.number().int().min(1).default(30_000),
});

/**
 * The embedder the environment asks for: OpenAI-compatible when EMBEDDINGS_URL is set (EMBEDDINGS_API_KEY,
 * EMBEDDINGS_MODEL = text-embedding-3-small, EMBEDDINGS_DIM, EMBEDDINGS_BATCH_SIZE = 64,
 * EMBEDDINGS_TIMEOUT_MS = 30000), else the local one (dim EMBEDDINGS_DIM, default 512). Empty values count as unset.
 */
export function embedderFromEnv(env: Record<string, string | undefined> = process.env): Embedder {
  const raw = Object.fromEntries(Object.keys(EnvSchema.shape).map((k) => [k, env[k]?.trim() || undefined]));
  const parsed = EnvSchema.safeParse(raw);
  if (!parsed.success) {
    // Paths and messages only: values (the API key among them) are never echoed.
    throw new Error(`invalid embeddings environment: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  const e = parsed.data;
  if (!e.EMBEDDINGS_URL) return createLocalEmbedder({ dim: e.EMBEDDINGS_DIM ?? DEFAULT_LOCAL_DIM });
  return createOpenAIEmbedder({
    url: e.EMBEDDINGS_URL,
    model: e.EMBEDDINGS_MODEL,
    apiKey: e.EMBEDDINGS_API_KEY,
    dim: e.EMBEDDINGS_DIM,
    batchSize: e.EMBEDDINGS_BATCH_SIZE,
    timeoutMs: e.EMBEDDINGS_TIMEOUT_MS,
  });
}
