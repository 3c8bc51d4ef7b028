// Redaction for exports and embeddings: detected PII and secrets become typed, keyed placeholders
// `<type:xxxxxxxx>` (first 8 hex of HMAC-SHA256(orgKey, type + ":" + normalized value)), so the same person or
// host still correlates across records of one org without being revealed, and differs between orgs.
import { createHmac } from "node:crypto";
import { classifyKeyed, detect, isSecretKey, PII_TYPES, notASecret, type DetectOptions, type PiiType, type Span } from "@/lib/redact/detect";
import { isAddressValue, isDobValue, isNameValue } from "@/lib/redact/personal";

export { detect, PII_TYPES, type DetectOptions, type PiiType, type Span };

export interface Redactor {
  /** Replaces every detected span with its placeholder. Idempotent: placeholders are never re-redacted. */
  text(s: string): string;
  /** Deep copy with every string redacted (object keys kept; values under secret-looking keys redacted whole). */
  value<T>(v: T): T;
  /** Placeholders emitted per type since creation or the last reset(). */
  counts(): Record<PiiType, number>;
  reset(): void;
}

const CACHE_MAX = 4096;

export interface RedactorOptions extends DetectOptions {
  /** Per-org HMAC key, ≥ 16 bytes. */
  key: Uint8Array;
}

export function createRedactor(opts: RedactorOptions): Redactor {
  if (!(opts.key instanceof Uint8Array) || opts.key.length < 16) {
    throw new Error("redactor key must be at least 16 bytes");
  }
  const key = Buffer.from(opts.key); // a copy: later mutation of the caller's buffer changes nothing
  const detectOpts: DetectOptions = { maskPrivateAddresses: opts.maskPrivateAddresses === true };
  const tally = zeroCounts();
  const cache = new Map<string, string>();

  const placeholder = (type: PiiType, norm: string): string => {
    const id = `${type}:${norm}`;
    let p = cache.get(id);
    if (p === undefined) {
      p = `<${type}:${createHmac("sha256", key).update(id, "utf8").digest("hex").slice(0, 8)}>`;
      if (cache.size >= CACHE_MAX) cache.clear();
      cache.set(id, p);
    }
    tally[type]++;
    return p;
  };

  const render = (s: string, spans: readonly Span[]): string => {
    if (spans.length === 0) return s;
    let out = "";
    let at = 0;
    for (const sp of spans) {
      out += s.slice(at, sp.start) + placeholder(sp.type, sp.norm);
      at = sp.end;
    }
    return out + s.slice(at);
  };

  const text = (s: string): string => render(s, detect(s, detectOpts));

  // `{"password": "hunter2"}`: nothing in "hunter2" says it is a secret, its key does. Likewise a name, an
  // address or a date of birth is told by its key: `{"last_name": "Nguyen"}`, `{"street": "Am Markt 3"}`.
  const keyed = (k: string, s: string): string => {
    const spans = detect(s, detectOpts);
    const trimmed = s.trim();
    const personal = isNameValue(k, trimmed) ? "person_name" : isAddressValue(k, trimmed) ? "postal_address" : isDobValue(k, trimmed) ? "date_of_birth" : null;
    if (personal) return placeholder(personal, trimmed);
    if (!isSecretKey(k) || notASecret(trimmed) || /^<[a-z0-9_]+:[0-9a-f]{8}>$/.test(trimmed)) return render(s, spans);
    if (spans.length === 1 && spans[0]?.start === 0 && spans[0].end === s.length) return render(s, spans);
    return placeholder(classifyKeyed(k, trimmed), trimmed);
  };

  const value = <T,>(v: T): T => {
    const seen = new WeakMap<object, unknown>();
    const walk = (x: unknown, k?: string): unknown => {
      if (typeof x === "string") return k === undefined ? text(x) : keyed(k, x);
      if (x === null || typeof x !== "object") return x;
      const hit = seen.get(x);
      if (hit !== undefined) return hit;
      if (Array.isArray(x)) {
        const arr: unknown[] = [];
        seen.set(x, arr);
        for (const item of x) arr.push(walk(item));
        return arr;
      }
      if (x instanceof Map) {
        const m = new Map<unknown, unknown>();
        seen.set(x, m);
        for (const [mk, mv] of x) m.set(mk, walk(mv, typeof mk === "string" ? mk : undefined));
        return m;
      }
      if (x instanceof Set) {
        const st = new Set<unknown>();
        seen.set(x, st);
        for (const item of x) st.add(walk(item));
        return st;
      }
      const proto: unknown = Object.getPrototypeOf(x);
      if (proto !== Object.prototype && proto !== null) return x; // Date, Buffer, class instances: left as they are
      const o: Record<string, unknown> = proto === null ? Object.create(null) : {};
      seen.set(x, o);
      for (const [ok, ov] of Object.entries(x)) o[ok] = walk(ov, ok);
      return o;
    };
    return walk(v) as T;
  };

  return {
    text,
    value,
    counts: () => ({ ...tally }),
    reset: () => {
      for (const t of PII_TYPES) tally[t] = 0;
    },
  };
}

function zeroCounts(): Record<PiiType, number> {
  return Object.fromEntries(PII_TYPES.map((t) => [t, 0])) as Record<PiiType, number>;
}
