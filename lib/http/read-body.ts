// Request bodies are read as a stream with a byte limit. A declared Content-Length over the limit is
// refused before reading; a chunked body (no Content-Length) is refused as soon as it passes the limit,
// and the rest is never pulled, so a client cannot make the server buffer more than the limit.
import { AppError } from "@/lib/errors";
import { findUnstorableString, formatPath } from "@/lib/storable-text";

/** Every JSON body (README: API limits). */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

const tooLarge = (maxBytes: number) => new AppError("payload_too_large", `body larger than ${maxBytes} bytes`);

// The ingest fast path (lib/http/fast-routes.ts) hands the handler a reader of the HTTP request's body
// instead of a web stream: called by readBody (after authentication, as a stream would be pulled), it reads
// at most the limit + 1 bytes into memory. A symbol on the Request, not a module-level map: the fast path and
// the route modules are bundled apart.
const BODY_READER = Symbol.for("neuralops.bodyReader");

/** Reads the body, at most maxBytes + 1 of it; `over` when it was longer. */
export type BodyReader = (maxBytes: number) => Promise<{ body: Uint8Array; over: boolean }>;

/** Attaches a BodyReader to a Request made without a body. */
export function withBodyReader(req: Request, reader: BodyReader): Request {
  (req as unknown as Record<symbol, BodyReader>)[BODY_READER] = reader;
  return req;
}

export async function readBody(req: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const reader = (req as unknown as Record<symbol, BodyReader | undefined>)[BODY_READER];
  if (reader) {
    const { body, over } = await reader(maxBytes);
    if (over || body.byteLength > maxBytes) throw tooLarge(maxBytes);
    return body;
  }
  if (!req.body) return new Uint8Array(0);
  const stream = req.body.getReader();
  // Chunks are kept and joined once at the end: each byte is copied once, as arrayBuffer() does.
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await stream.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        // Stops pulling from the socket; what the client still sends is discarded, not buffered.
        await stream.cancel().catch(() => {});
        throw tooLarge(maxBytes);
      }
      chunks.push(value);
    }
  } finally {
    stream.releaseLock();
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

/** `application/json` or any `application/*+json`, with or without parameters (charset). */
export function isJsonContentType(value: string | null): boolean {
  const type = value?.split(";")[0]?.trim().toLowerCase() ?? "";
  return type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}

/**
 * Reads and parses a JSON body. Unless `checkStrings` is false, a string anywhere in it (value or key)
 * that PostgreSQL cannot store is a 400 naming its path; handlers that take batches opt out and check
 * each item, so one bad item does not fail the rest.
 */
export async function readJsonBody(req: Request, { maxBytes = MAX_JSON_BODY_BYTES, checkStrings = true } = {}): Promise<unknown> {
  const bytes = await readBody(req, maxBytes);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  if (!text.trim()) throw new AppError("invalid_json", "request body must be JSON");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new AppError("invalid_json", `malformed JSON: ${(e as Error).message}`);
  }
  if (checkStrings) assertStorableStrings(value, "body");
  return value;
}

/** A 400 naming the first string in `value` (body, query or path parameters) PostgreSQL cannot store. */
export function assertStorableStrings(value: unknown, where: string): void {
  const bad = findUnstorableString(value);
  if (!bad) return;
  const message = `${formatPath(bad.path)}: ${bad.reason}`;
  throw new AppError("validation_failed", `invalid ${where}: ${message}`, [{ path: bad.path, code: "invalid_characters", message }]);
}
