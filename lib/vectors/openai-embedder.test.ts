// The OpenAI-compatible client against a local HTTP server that answers like /v1/embeddings.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  createOpenAIEmbedder,
  embedderFromEnv,
  embeddingsEndpoint,
  EmbeddingsError,
  EmbeddingsUnavailableError,
  type OpenAIEmbedderOptions,
} from "@/lib/vectors/openai-embedder";
import { dot } from "@/lib/vectors/types";

const API_KEY = "sk-test-5ecret-value-1234567890";

/** `at`: when the request arrived (ms), to see the SDK's backoff from the server side. */
type Seen = { method: string; url: string; authorization: string | undefined; at: number; body: { model: string; input: string[]; encoding_format?: string } };
type Handler = (req: IncomingMessage, res: ServerResponse, body: Seen["body"]) => void;

let handler: Handler;
const seen: Seen[] = [];

const server = createServer((req, res) => {
  let raw = "";
  req.setEncoding("utf8");
  req.on("data", (c: string) => (raw += c));
  req.on("end", () => {
    const body = JSON.parse(raw) as Seen["body"];
    seen.push({ method: req.method ?? "", url: req.url ?? "", authorization: req.headers.authorization, at: Date.now(), body });
    handler(req, res, body);
  });
});
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

beforeEach(() => {
  seen.length = 0;
  handler = embeddings();
});
afterEach(() => {
  vi.unstubAllEnvs();
});

/** A deterministic, non-normalized 3-d embedding of a text: [length, code of its first char, 1]. */
const fake = (t: string) => [t.length, t.charCodeAt(0) || 0, 1];

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** The happy path: embeddings of the inputs, listed in reverse order (clients must sort by index). */
function embeddings(embed: (t: string, i: number) => number[] = fake): Handler {
  return (_req, res, body) =>
    json(res, 200, {
      object: "list",
      model: body.model,
      data: body.input.map((t, index) => ({ object: "embedding", index, embedding: embed(t, index) })).reverse(),
      usage: { prompt_tokens: 1, total_tokens: 1 },
    });
}

/** Answers with each handler in turn, then keeps using the last one. */
function sequence(...hs: Handler[]): Handler {
  let i = 0;
  return (req, res, body) => hs[Math.min(i++, hs.length - 1)]!(req, res, body);
}

function client(o: Partial<OpenAIEmbedderOptions> = {}) {
  return createOpenAIEmbedder({ url: `${base}/v1`, model: "text-embedding-3-small", apiKey: API_KEY, ...o });
}

/** Milliseconds between consecutive requests the server saw. */
const gaps = () => seen.slice(1).map((s, i) => s.at - seen[i]!.at);

async function caught(p: Promise<unknown>): Promise<EmbeddingsError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof EmbeddingsError) return e;
    throw e;
  }
  throw new Error("expected an EmbeddingsError");
}

const unit = (v: number[]) => {
  const n = Math.hypot(...v);
  return Float32Array.from(v.map((x) => x / n));
};

describe("embeddingsEndpoint", () => {
  it("adds /v1/embeddings to a bare origin and /embeddings to any other path", () => {
    expect(embeddingsEndpoint("https://api.openai.com")).toBe("https://api.openai.com/v1/embeddings");
    expect(embeddingsEndpoint("https://api.openai.com/")).toBe("https://api.openai.com/v1/embeddings");
    expect(embeddingsEndpoint("https://api.openai.com/v1")).toBe("https://api.openai.com/v1/embeddings");
    expect(embeddingsEndpoint("https://api.openai.com/v1/")).toBe("https://api.openai.com/v1/embeddings");
    expect(embeddingsEndpoint("http://litellm:4000/api")).toBe("http://litellm:4000/api/embeddings");
    expect(embeddingsEndpoint("http://tei:8080/v1/embeddings")).toBe("http://tei:8080/v1/embeddings");
    expect(embeddingsEndpoint("https://x.openai.azure.com/openai/deployments/emb/embeddings?api-version=2024-02-01")).toBe(
      "https://x.openai.azure.com/openai/deployments/emb/embeddings?api-version=2024-02-01",
    );
  });

  it("refuses non-http URLs and credentials in the URL", () => {
    expect(() => embeddingsEndpoint("ftp://x/v1")).toThrow(/http/);
    expect(() => embeddingsEndpoint("not a url")).toThrow(/valid URL/);
    expect(() => embeddingsEndpoint("https://user:sk-secret@x/v1")).toThrow(/credentials/);
    expect(() => embeddingsEndpoint("https://user:sk-secret@x/v1")).not.toThrow(/sk-secret/);
  });
});

describe("createOpenAIEmbedder", () => {
  it("POSTs {model, input} with the bearer key and returns normalized vectors in input order", async () => {
    const e = client();
    const texts = ["alpha", "b", "gamma ray", ""];
    const out = await e.embed(texts);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: "POST", url: "/v1/embeddings", authorization: `Bearer ${API_KEY}` });
    // float asked for explicitly: the SDK's default (base64) is not spoken by every compatible server
    expect(seen[0]!.body).toEqual({ model: "text-embedding-3-small", input: ["alpha", "b", "gamma ray", " "], encoding_format: "float" });
    expect(out).toHaveLength(4);
    texts.forEach((t, i) => {
      expect(out[i]).toBeInstanceOf(Float32Array);
      expect(out[i]).toEqual(unit(fake(t || " ")));
      expect(dot(out[i]!, out[i]!)).toBeCloseTo(1, 6);
    });
    expect(e.dim).toBe(3);
    expect(e.id).toBe("openai:text-embedding-3-small:3");
  });

  it("sends no Authorization header without a key, whatever OPENAI_* says", async () => {
    vi.stubEnv("OPENAI_API_KEY", "sk-from-the-environment");
    vi.stubEnv("OPENAI_BASE_URL", "http://127.0.0.1:9/elsewhere");
    await client({ apiKey: undefined }).embed(["x"]);
    expect(seen[0]!.authorization).toBeUndefined();
    expect(seen[0]!.url).toBe("/v1/embeddings");
  });

  it("keeps the endpoint's query string (Azure-style api-version)", async () => {
    const e = client({ url: `${base}/openai/deployments/emb/embeddings?api-version=2024-02-01` });
    expect(e.endpoint).toBe(`${base}/openai/deployments/emb/embeddings?api-version=2024-02-01`);
    await e.embed(["x"]);
    expect(seen[0]!.url).toBe("/openai/deployments/emb/embeddings?api-version=2024-02-01");
  });

  it("splits inputs into batches of batchSize and keeps the overall order", async () => {
    const e = client({ batchSize: 64 });
    const texts = Array.from({ length: 150 }, (_, i) => "x".repeat(i + 1));
    const out = await e.embed(texts);
    expect(seen.map((s) => s.body.input.length)).toEqual([64, 64, 22]);
    expect(seen.flatMap((s) => s.body.input)).toEqual(texts);
    out.forEach((v, i) => expect(v).toEqual(unit(fake(texts[i]!))));
    expect(await e.embed([])).toEqual([]);
    expect(seen).toHaveLength(3); // no request for nothing
  });

  it("retries 500 and 429 (honouring Retry-After) and then succeeds", async () => {
    handler = sequence(
      (_q, res) => json(res, 500, { error: { message: "boom" } }),
      (_q, res) => json(res, 429, { error: { message: "slow down" } }, { "retry-after": "1" }),
      embeddings(),
    );
    const e = client();
    const out = await e.embed(["hello"]);
    expect(out[0]).toEqual(unit(fake("hello")));
    expect(seen).toHaveLength(3);
    const [backoff, retryAfter] = gaps();
    // the SDK's first backoff is 0.5 s minus up to 25 % jitter; then the server's Retry-After of 1 s
    expect(backoff).toBeGreaterThanOrEqual(370);
    expect(backoff).toBeLessThan(1000);
    expect(retryAfter).toBeGreaterThanOrEqual(990);
  });

  it("retries network errors (a dropped connection)", async () => {
    handler = sequence((req) => req.socket.destroy(), embeddings());
    const out = await client().embed(["hello"]);
    expect(out[0]).toEqual(unit(fake("hello")));
    expect(seen).toHaveLength(2);
  });

  it("gives up after 4 attempts with EmbeddingsUnavailableError naming the URL and the last status, never the key", { timeout: 15_000 }, async () => {
    handler = (_q, res) => json(res, 503, { error: { message: `upstream down (key ${API_KEY})` } });
    const err = await caught(client().embed(["hello"]));
    expect(err).toBeInstanceOf(EmbeddingsUnavailableError);
    expect(seen).toHaveLength(4);
    expect(seen.every((s) => s.authorization === `Bearer ${API_KEY}`)).toBe(true);
    // exponential backoff between the attempts: 0.5, 1, 2 s, each minus up to 25 % jitter
    const [g1, g2, g3] = gaps();
    expect(g1).toBeGreaterThanOrEqual(370);
    expect(g2).toBeGreaterThanOrEqual(745);
    expect(g3).toBeGreaterThanOrEqual(1495);
    expect(err.message).toContain(`${base}/v1/embeddings`);
    expect(err.message).toContain("after 4 attempts");
    expect(err.message).toContain("HTTP 503");
    expect(err.message).toContain("upstream down");
    expect(err.message).not.toContain(API_KEY);
    expect(JSON.stringify(err)).not.toContain(API_KEY);
    expect(String(err.stack)).not.toContain(API_KEY);
    expect(err.status).toBe(503);
    expect((err as EmbeddingsUnavailableError).attempts).toBe(4);
  });

  it("gives up on an unreachable endpoint and on timeouts", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    // two attempts keep the SDK's real backoff short here; the default of four is shown above
    const down = await caught(client({ url: `http://127.0.0.1:${port}`, maxAttempts: 2 }).embed(["x"]));
    expect(down).toBeInstanceOf(EmbeddingsUnavailableError);
    expect(down.message).toMatch(new RegExp(`http://127\\.0\\.0\\.1:${port}/v1/embeddings unavailable after 2 attempts \\(last: ECONNREFUSED`));
    expect((down as EmbeddingsUnavailableError).attempts).toBe(2);

    handler = () => {}; // never answers
    const slow = await caught(client({ timeoutMs: 50, maxAttempts: 2 }).embed(["x"]));
    expect(slow).toBeInstanceOf(EmbeddingsUnavailableError);
    expect(slow.message).toContain("timed out after 50 ms");
    expect(seen).toHaveLength(2);
  });

  it("the deadline covers the body, not just the headers", async () => {
    handler = (_q, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"data":['); // and then nothing more
    };
    const err = await caught(client({ timeoutMs: 100, maxAttempts: 2 }).embed(["x"]));
    expect(err).toBeInstanceOf(EmbeddingsUnavailableError);
    expect(err.message).toContain("after 2 attempts (last: timed out after 100 ms)");
    expect(seen).toHaveLength(2);
  });

  it("refuses an oversized response at once, without retrying", async () => {
    const err = await caught(client({ maxResponseBytes: 50 }).embed(["a", "b", "c", "d"]));
    expect(err).not.toBeInstanceOf(EmbeddingsUnavailableError);
    expect(err.message).toMatch(/exceeds 50 bytes/);
    expect(err.status).toBe(200);
    expect(seen).toHaveLength(1);
  });

  it("does not wait out a long Retry-After: it fails at once and says how long", async () => {
    handler = (_q, res) => json(res, 429, { error: { message: "quota" } }, { "retry-after": "120" });
    const t0 = Date.now();
    const err = await caught(client().embed(["x"]));
    expect(err).toBeInstanceOf(EmbeddingsUnavailableError);
    expect((err as EmbeddingsUnavailableError).retryAfterMs).toBe(120_000);
    expect((err as EmbeddingsUnavailableError).attempts).toBe(1);
    expect(err.status).toBe(429);
    expect(err.message).toContain("HTTP 429: quota, retry after 120000 ms");
    expect(seen).toHaveLength(1);
    expect(Date.now() - t0).toBeLessThan(1000); // no sleep
  });

  it("does not retry other 4xx: EmbeddingsError with the server's message, minus the key", async () => {
    handler = (_q, res) => json(res, 401, { error: { message: `Incorrect API key provided: ${API_KEY}`, type: "invalid_request_error" } });
    const err = await caught(client().embed(["x"]));
    expect(err).not.toBeInstanceOf(EmbeddingsUnavailableError);
    expect(err.status).toBe(401);
    expect(seen).toHaveLength(1);
    expect(err.message).toContain("HTTP 401: Incorrect API key provided: [redacted]");
    expect(err.message).not.toContain(API_KEY);

    // the SDK alone would retry a 409; a conflicting embeddings call conflicts again
    seen.length = 0;
    handler = (_q, res) => json(res, 409, { error: { message: "conflict" } });
    const conflict = await caught(client().embed(["x"]));
    expect(conflict).not.toBeInstanceOf(EmbeddingsUnavailableError);
    expect(conflict.status).toBe(409);
    expect(seen).toHaveLength(1);
  });

  it("rejects vectors of mixed or unexpected dimensions", async () => {
    handler = embeddings((_t, i) => (i === 1 ? [1, 2] : [1, 2, 3]));
    const mixed = await caught(client().embed(["a", "b", "c"]));
    expect(mixed.message).toMatch(/mixes dimensions \(3 and 2\)/);

    handler = embeddings(() => [1, 2, 3, 4]);
    const configured = await caught(client({ dim: 3 }).embed(["a"]));
    expect(configured.message).toMatch(/dimension mismatch .*expected 3, got 4/);

    // a dimension seen once is the dimension from then on
    const e = client({ batchSize: 2 });
    handler = sequence(embeddings(() => [1, 0, 0]), embeddings(() => [1, 0]));
    const later = await caught(e.embed(["a", "b", "c"]));
    expect(later.message).toMatch(/expected 3, got 2/);
    expect(e.id).toBe("openai:text-embedding-3-small:3");
  });

  it("rejects malformed responses without retrying", async () => {
    handler = (_q, res) => json(res, 200, { data: [{ index: 0, embedding: "nope" }] });
    expect((await caught(client().embed(["a"]))).message).toMatch(/malformed: data\.0\.embedding/);
    handler = (_q, res) => json(res, 200, { data: [{ index: 0, embedding: [1] }] });
    expect((await caught(client().embed(["a", "b"]))).message).toMatch(/1 embeddings for 2 inputs/);
    handler = (_q, res) => json(res, 200, { data: [{ index: 0, embedding: [1] }, { index: 0, embedding: [2] }] });
    expect((await caught(client().embed(["a", "b"]))).message).toMatch(/repeated index 0/);
    handler = (_q, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>proxy login</html>");
    };
    expect((await caught(client().embed(["a"]))).message).toMatch(/not JSON/);
    expect(seen).toHaveLength(4);
  });

  it("knows its id up front with a configured dim, else only after ready() or a first call", async () => {
    expect(client({ dim: 1536 }).id).toBe("openai:text-embedding-3-small:1536");
    const e = client();
    expect(() => e.id).toThrow(/not known yet.*EMBEDDINGS_DIM/);
    expect(() => e.dim).toThrow(/not known yet/);
    await e.ready();
    expect(e.id).toBe("openai:text-embedding-3-small:3");
    expect(seen).toHaveLength(1);
    await e.ready(); // no second probe
    expect(seen).toHaveLength(1);
  });

  it("cuts long inputs to maxInputChars", async () => {
    await client({ maxInputChars: 10 }).embed(["0123456789abcdef"]);
    expect(seen[0]!.body.input).toEqual(["0123456789"]);
  });
});

describe("embedderFromEnv", () => {
  it("is local without EMBEDDINGS_URL (empty counts as unset)", () => {
    expect(embedderFromEnv({}).id).toBe("local-hash-v1-512");
    expect(embedderFromEnv({ EMBEDDINGS_URL: "  ", EMBEDDINGS_DIM: "256" }).id).toBe("local-hash-v1-256");
  });

  it("is the OpenAI client with EMBEDDINGS_URL, configured from the environment", async () => {
    const e = embedderFromEnv({ EMBEDDINGS_URL: `${base}/v1`, EMBEDDINGS_API_KEY: API_KEY, EMBEDDINGS_MODEL: "nomic-embed-text", EMBEDDINGS_DIM: "3", EMBEDDINGS_BATCH_SIZE: "2" });
    expect(e.id).toBe("openai:nomic-embed-text:3");
    await e.embed(["a", "b", "c"]);
    expect(seen.map((s) => s.body.input.length)).toEqual([2, 1]);
    expect(seen[0]!.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it("names bad settings without echoing values", () => {
    expect(() => embedderFromEnv({ EMBEDDINGS_URL: "https://x", EMBEDDINGS_DIM: "many" })).toThrow(/EMBEDDINGS_DIM/);
    expect(() => embedderFromEnv({ EMBEDDINGS_URL: "https://u:p@x", EMBEDDINGS_API_KEY: API_KEY })).toThrow(/credentials/);
  });
});
