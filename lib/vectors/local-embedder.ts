/**
 * The default embedder: hashed lexical features, no network, no model, deterministic; ~6-15k texts/s of
 * 300-1000 chars per core (bench/vectors-embed.ts).
 * Made for redacted ops text (alerts, incident summaries, run logs), where "similar" mostly means "the same
 * service, error and symptom words", so a good lexical vector gets most of the way.
 *
 * Pipeline (one text):
 *  1. Tokens: placeholders `<type:xxxxxxxx>` from lib/redact, ISO timestamps and UUIDs are matched first;
 *     everything else is a run of letters, digits and `_` (so `http_requests_total`, `5xx`, `k8s` and
 *     `crashloopbackoff` stay whole; `checkout-7d9f8`, `db-1.internal` and `/var/lib/postgresql` split).
 *     A newline, or `.` `;` `!` `?` followed by a space, ends a sentence (bigrams don't cross it).
 *  2. Token classes (lowercased):
 *     - placeholder → its type only (`<email:4f9a12ab>` → `email`), as a unigram at 0.25 weight (shared types
 *       must not make unrelated texts alike); the hash is dropped (keyed per org: noise across orgs, and a
 *       needless identifier within one).
 *     - ISO timestamps, UUIDs, tokens over 40 chars and id-like tokens (≥ 5 chars mixing letters and digits
 *       with ≥ 3 letter/digit alternations, e.g. pod hashes `7d9f8b6c5` / `x2k4q`, or hex with a digit of
 *       ≥ 6 chars, e.g. `550e8400`, short SHAs) → dropped.
 *     - a 3-digit number in 100..599, or a 4xx/5xx one with an `s` ("503s") → kept as itself (`503`: status
 *       codes matter) plus its class `5xx` at half weight, so 502 / 503 / "5xx" all meet. Other numbers → a shape
 *       token `<num{digits}>` (`95` → `<num2>`, capped at `<num9>`), numbers with a unit → `<num_{unit}>`
 *       (`500ms` → `<num_ms>`), both at 0.2 weight. `2xx`/`5xx` themselves are ordinary words.
 *     - stopwords (a short English list; `not`, `no`, `up`, `down`, `out`, `off` are kept) → dropped.
 *     - words: unigram; CamelCase and snake_case words also give their parts as half-weight unigrams
 *       (`OOMKilled` → `oomkilled` + `oom`, `killed`; `CheckoutHighErrorRate` → … `checkout`, `error`, …),
 *       so alert names meet prose. Single letters are dropped.
 *  3. Features, in three groups: W = unigrams (words, parts, placeholders, shapes, status codes);
 *     B = bigrams of consecutive content words (words and status codes, skipping everything else);
 *     C = character 3-, 4- and 5-grams of each word with boundary marks (`<oom`, `oomk`, …, `led>`), weighted
 *     0.5 / 0.75 / 1 by length, which makes `checkoutservice` meet `checkout` and `OOMKilled` meet "OOM killed".
 *  4. Weight of a feature = multiplier × (1 + ln tf) × idf(hash) (the multiplier is the largest one the
 *     feature got, tf counts occurrences). idf defaults to a static table (DEFAULT_IDF, below); pass `idf`
 *     to use e.g. per-org document frequencies (see `featureHashes` and `idfFromDocumentFrequencies`).
 *  5. Signed feature hashing: FNV-1a over UTF-16 code units with a per-group seed, finalized with murmur3's
 *     fmix32. bucket = hash mod dim, sign = the hash's top bit. Each group's vector is L2-normalized, then
 *     they are mixed with weights √0.55 (W), √0.30 (C), √0.15 (B) and normalized again, so the cosine of
 *     two texts is ≈ 0.55·cos_W + 0.30·cos_C + 0.15·cos_B whatever their lengths.
 *
 * The id (`local-hash-v1-{dim}`) changes with the algorithm version or dim; a custom idf adds `-idf:{idfId}`.
 */
import { l2NormalizeInPlace, type Embedder } from "@/lib/vectors/types";

export const LOCAL_EMBEDDER_VERSION = 1;
export const DEFAULT_LOCAL_DIM = 512;
const DEFAULT_MAX_CHARS = 100_000;

/** Maps a feature's 32-bit hash (unsigned, as passed to and returned by `featureHashes`) to its idf. ≤ 0 drops it. */
export type IdfProvider = (featureHash: number) => number;

export interface LocalEmbedderOptions {
  /** Output dimension. Default 512. */
  dim?: number;
  /** Feature weights; default DEFAULT_IDF (the static table). */
  idf?: IdfProvider;
  /** Names the idf table in the embedder id (e.g. "org42-2026-06-01"); default "custom" when `idf` is set. */
  idfId?: string;
  /** Only the first maxChars characters are embedded. Default 100,000. */
  maxChars?: number;
}

export interface LocalEmbedder extends Embedder {
  /** The same vector `embed` gives, synchronously. */
  embedSync(text: string): Float32Array;
}

// Group mix (squared weights sum to 1, so they are the shares of the cosine).
const ALPHA_W = Math.sqrt(0.55);
const ALPHA_C = Math.sqrt(0.3);
const ALPHA_B = Math.sqrt(0.15);

const PART_MULT = 0.5;
const PLACEHOLDER_MULT = 0.25;
const STATUS_CLASS_MULT = 0.5;
const SHAPE_MULT = 0.2;
const NGRAM_MULT = [0, 0, 0, 0.5, 0.75, 1] as const;
const MAX_TOKEN = 40;
const YIELD_EVERY = 128;

// ---------------------------------------------------------------------------------------------------------------
// Hashing

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 16777619;
const W_SEED = Math.imul(FNV_OFFSET ^ 0x57, FNV_PRIME); // 'W'
const B_SEED = Math.imul(FNV_OFFSET ^ 0x42, FNV_PRIME); // 'B'
const C_SEED = Math.imul(FNV_OFFSET ^ 0x43, FNV_PRIME); // 'C'
const BOW = 2; // word boundary marks for character n-grams (cannot occur inside a token)
const EOW = 3;

function fnv(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

/** murmur3's finalizer: spreads FNV's weak low bits over the whole word. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const wordHash = (s: string): number => fmix32(fnv(W_SEED, s));
const bigramHash = (a: string, b: string): number => fmix32(fnv(Math.imul(fnv(B_SEED, a) ^ 0x20, FNV_PRIME), b));

// ---------------------------------------------------------------------------------------------------------------
// Feature bag: open addressing on the (already mixed) hash, counts and the largest multiplier per feature.
// Reused across texts; clear() is O(1) (generation stamps).

class Bag {
  n = 0;
  private mask: number;
  private keys: Int32Array;
  private counts: Float64Array;
  private mults: Float64Array;
  private stamp: Uint32Array;
  private used: Int32Array;
  private gen = 1;

  constructor(capacity = 2048) {
    this.mask = capacity - 1;
    this.keys = new Int32Array(capacity);
    this.counts = new Float64Array(capacity);
    this.mults = new Float64Array(capacity);
    this.stamp = new Uint32Array(capacity);
    this.used = new Int32Array(capacity);
  }

  clear(): void {
    this.n = 0;
    if (++this.gen === 0xffffffff) {
      this.stamp.fill(0);
      this.gen = 1;
    }
  }

  add(h: number, mult: number): void {
    const k = h | 0;
    let s = k & this.mask;
    for (;;) {
      if (this.stamp[s] !== this.gen) {
        this.stamp[s] = this.gen;
        this.keys[s] = k;
        this.counts[s] = 1;
        this.mults[s] = mult;
        this.used[this.n++] = s;
        if (this.n * 2 > this.mask) this.grow();
        return;
      }
      if (this.keys[s] === k) {
        this.counts[s]!++;
        if (mult > this.mults[s]!) this.mults[s] = mult;
        return;
      }
      s = (s + 1) & this.mask;
    }
  }

  /** Visits every feature once: (hash, count, multiplier). */
  forEach(fn: (h: number, count: number, mult: number) => void): void {
    for (let i = 0; i < this.n; i++) {
      const s = this.used[i]!;
      fn(this.keys[s]! >>> 0, this.counts[s]!, this.mults[s]!);
    }
  }

  /** Adds sign(h) · mult · (1 + ln tf) · idf(h) into bucket h mod dim of `out`; returns the squared norm of `out`. */
  project(out: Float64Array, idf: IdfProvider): number {
    const dim = out.length;
    out.fill(0);
    for (let i = 0; i < this.n; i++) {
      const s = this.used[i]!;
      const h = this.keys[s]! >>> 0;
      const w = this.mults[s]! * (1 + Math.log(this.counts[s]!)) * idf(h);
      if (!(w > 0) || w === Infinity) continue;
      out[h % dim]! += h >>> 31 ? -w : w;
    }
    let ss = 0;
    for (let i = 0; i < dim; i++) ss += out[i]! * out[i]!;
    return ss;
  }

  private grow(): void {
    const { keys, counts, mults, used, n } = this;
    const cap = (this.mask + 1) * 2;
    this.mask = cap - 1;
    this.keys = new Int32Array(cap);
    this.counts = new Float64Array(cap);
    this.mults = new Float64Array(cap);
    this.stamp = new Uint32Array(cap);
    this.used = new Int32Array(cap);
    this.gen = 1;
    this.n = 0;
    for (let i = 0; i < n; i++) {
      const old = used[i]!;
      let s = keys[old]! & this.mask;
      while (this.stamp[s] === 1) s = (s + 1) & this.mask;
      this.stamp[s] = 1;
      this.keys[s] = keys[old]!;
      this.counts[s] = counts[old]!;
      this.mults[s] = mults[old]!;
      this.used[this.n++] = s;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Tokens

// Most ops prose; `not`/`no`/`up`/`down`/`out`/`off`/`over`/`under` carry meaning there and are kept.
const STOPWORDS = new Set(
  (
    "a an the and or but if then else of to in on at by for from with without into onto as is are was were be been being am " +
    "it its this that these those there here we our us you your i me my he she they them their his her has have had having " +
    "do does did done will would can could should may might must shall so than too very just also only such via per about " +
    "above below between during after before again further once all any both each few more most other some same own what " +
    "which who whom when where why how while until because"
  ).split(" "),
);

const STATUS_MIN = 100;
const STATUS_MAX = 599;
const UNIT_RE = /^\d+(ms|us|ns|s|m|h|d|w|k|b|kb|mb|gb|tb|ki|mi|gi|ti|kib|mib|gib|tib|x)$/;
// 1: placeholder type; 2: ISO timestamp; 3: UUID; 4: ordinary token.
const TOKEN_RE =
  /<([a-z][a-z0-9_]*):[0-9a-f]{8}>|(\d{4}-\d\d-\d\d[t ]\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?(?:z|[+-]\d\d:?\d\d)?)|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})|([\p{L}\p{N}_]+)/giu;
const PART_RE = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g;

interface Sink {
  /** A unigram-group feature (word, part, placeholder type, shape, status code or class). */
  unigram(s: string, mult: number): void;
  bigram(a: string, b: string): void;
  /** Character n-grams of a word. */
  chars(word: string): void;
}

function isDigits(t: string): boolean {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Pod/replica-set hashes, short SHAs, instance ids: ≥ 5 ASCII letters+digits, both present, alternating a lot (or hex). */
function isIdLike(t: string): boolean {
  if (t.length < 5) return false;
  let digits = 0;
  let letters = 0;
  let alternations = 0;
  let hex = true;
  let prevDigit = -1;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    let isDigit: number;
    if (c >= 48 && c <= 57) {
      digits++;
      isDigit = 1;
    } else if (c >= 97 && c <= 122) {
      letters++;
      isDigit = 0;
      if (c > 102) hex = false;
    } else return false; // `_`, non-ASCII: not an id
    if (prevDigit >= 0 && prevDigit !== isDigit) alternations++;
    prevDigit = isDigit;
  }
  return digits > 0 && letters > 0 && (alternations >= 3 || (hex && t.length >= 6));
}

/** CamelCase / snake_case parts of a raw token (none for plain words). */
function compoundParts(raw: string, lower: string): string[] | undefined {
  let upper = false;
  let lowerSeen = false;
  let underscore = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 95) underscore = true;
    else if (c >= 65 && c <= 90) upper = true;
    else if (c >= 97 && c <= 122) lowerSeen = true;
  }
  if (!underscore && !(upper && lowerSeen)) return undefined;
  const found = raw.match(PART_RE);
  if (!found || found.length < 2) return undefined;
  const out: string[] = [];
  for (const p of found) {
    const q = p.toLowerCase();
    if (q.length >= 2 && q !== lower && !STOPWORDS.has(q) && !isDigits(q)) out.push(q);
  }
  return out.length > 0 ? out : undefined;
}

function isSentenceGap(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) return true;
    if (c === 46 || c === 59 || c === 33 || c === 63) {
      const n = i + 1 < text.length ? text.charCodeAt(i + 1) : 32;
      if (n === 32 || n === 10 || n === 9 || n === 13) return true;
    }
  }
  return false;
}

/** Tokenizes `text` and emits its features into `sink`. */
function featurize(text: string, sink: Sink): void {
  TOKEN_RE.lastIndex = 0;
  let prev: string | undefined; // last content word, for bigrams
  let at = 0;
  for (let m = TOKEN_RE.exec(text); m !== null; m = TOKEN_RE.exec(text)) {
    if (prev !== undefined && isSentenceGap(text, at, m.index)) prev = undefined;
    at = m.index + m[0].length;
    if (m[1] !== undefined) {
      sink.unigram(m[1].toLowerCase(), PLACEHOLDER_MULT);
      continue;
    }
    if (m[4] === undefined) continue; // timestamp, UUID
    const raw = m[4];
    if (raw.length > MAX_TOKEN) continue;
    const t = raw.toLowerCase();
    // "503s"/"404s" are status codes far more often than durations; "120s" and "200s" stay durations
    const code = t.length === 4 && t.charCodeAt(3) === 115 /* s */ && (t[0] === "4" || t[0] === "5") && isDigits(t.slice(0, 3)) ? t.slice(0, 3) : t;
    if (isDigits(code)) {
      const v = code.length === 3 ? Number(code) : -1;
      if (v >= STATUS_MIN && v <= STATUS_MAX) {
        sink.unigram(code, 1);
        sink.unigram(`${code[0]}xx`, STATUS_CLASS_MULT);
        if (prev !== undefined) sink.bigram(prev, code);
        prev = code;
        continue;
      }
      if (code === t) {
        sink.unigram(`<num${Math.min(t.length, 9)}>`, SHAPE_MULT);
        continue;
      }
    }
    if (t.length < 2 || STOPWORDS.has(t)) continue;
    const unit = t.charCodeAt(0) <= 57 ? UNIT_RE.exec(t) : null;
    if (unit) {
      sink.unigram(`<num_${unit[1]}>`, SHAPE_MULT);
      continue;
    }
    if (isIdLike(t)) continue;
    sink.unigram(t, 1);
    const parts = compoundParts(raw, t);
    if (parts) for (const p of parts) sink.unigram(p, PART_MULT);
    sink.chars(t);
    if (prev !== undefined) sink.bigram(prev, t);
    prev = t;
  }
}

/** Hashes the character 3/4/5-grams of `<word>` into `bag`. */
function addCharNgrams(bag: Bag, word: string): void {
  const L = word.length + 2;
  for (let i = 0; i + 3 <= L; i++) {
    let h = C_SEED;
    const end = Math.min(L, i + 5);
    for (let j = i; j < end; j++) {
      h = Math.imul(h ^ (j === 0 ? BOW : j === L - 1 ? EOW : word.charCodeAt(j - 1)), FNV_PRIME);
      const n = j - i + 1;
      if (n >= 3) bag.add(fmix32(h), NGRAM_MULT[n]!);
    }
  }
}

class HashSink implements Sink {
  constructor(
    readonly w: Bag,
    readonly c: Bag,
    readonly b: Bag,
  ) {}
  unigram(s: string, mult: number): void {
    this.w.add(wordHash(s), mult);
  }
  bigram(a: string, b: string): void {
    this.b.add(bigramHash(a, b), 1);
  }
  chars(word: string): void {
    addCharNgrams(this.c, word);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Default idf: a static table instead of a corpus pass. Words that appear in most ops texts (alert boilerplate,
// log levels, k8s nouns, URL parts) weigh 0.35 or 0.6 instead of 1; so do their character n-grams (an n-gram
// shared by several listed words takes the lowest weight) and bigrams of two listed words (the weight of the
// rarer one). Everything else weighs 1. Crude but monotone with real document frequencies, and it keeps
// "error … failed … service" from making every pair of incidents look alike.

const VERY_COMMON =
  "error errors failed fail failure failures warn warning info debug level msg message log logs time timestamp ts " +
  "service services svc request requests response status http https www com io net org prod production value true " +
  "false null none nil id name type code";
const COMMON =
  "alert alerts alertname firing resolved summary description labels label annotations severity critical page " +
  "instance job namespace ns container containers pod pods node nodes cluster app application deploy deployment " +
  "deployments replica replicas kubectl kubernetes k8s kube get set run runs step steps url api v1 v2 default " +
  "internal local localhost total count rate ratio percent sec seconds minute minutes min max avg mean threshold over " +
  "last current start started starting stop stopped running ready source host hostname port user users client server " +
  "env environment region zone version build commit team owner runbook dashboard grafana prometheus metric metrics";

function buildStaticIdf(): Map<number, number> {
  const table = new Map<number, number>();
  const put = (h: number, w: number) => {
    const old = table.get(h);
    if (old === undefined || w < old) table.set(h, w);
  };
  const words: Array<[string, number]> = [
    ...VERY_COMMON.split(" ").map((w): [string, number] => [w, 0.35]),
    ...COMMON.split(" ").map((w): [string, number] => [w, 0.6]),
  ];
  const bag = new Bag();
  for (const [word, w] of words) {
    put(wordHash(word), w);
    bag.clear();
    addCharNgrams(bag, word);
    bag.forEach((h) => put(h, w));
  }
  for (const [a, wa] of words) for (const [b, wb] of words) put(bigramHash(a, b), Math.max(wa, wb));
  return table;
}

const STATIC_IDF = buildStaticIdf();

/** The default idf: the static table above, 1 for anything not in it. */
export const DEFAULT_IDF: IdfProvider = (h) => STATIC_IDF.get(h) ?? 1;

/**
 * A smoothed idf from document frequencies, ln((1 + docs) / (1 + df)) + 1 (scikit-learn's), for a provider
 * backed by counts the caller maintains over `featureHashes` of its documents. Unknown features get df 0.
 */
export function idfFromDocumentFrequencies(df: (featureHash: number) => number | undefined, docs: number): IdfProvider {
  const n = Math.max(0, docs);
  return (h) => Math.log((1 + n) / (1 + Math.max(0, df(h) ?? 0))) + 1;
}

// ---------------------------------------------------------------------------------------------------------------

/** The hash of a word's unigram feature (e.g. to build an idf table by word); `word` is taken as lowercased. */
export function wordFeatureHash(word: string): number {
  return wordHash(word);
}

/** The distinct feature hashes of a text (what an idf provider is called with), e.g. to count document frequencies. */
export function featureHashes(text: string, opts: { maxChars?: number } = {}): Uint32Array {
  const w = new Bag();
  const c = new Bag(4096);
  const b = new Bag();
  featurize(text.slice(0, opts.maxChars ?? DEFAULT_MAX_CHARS), new HashSink(w, c, b));
  const seen = new Set<number>();
  for (const bag of [w, c, b]) bag.forEach((h) => seen.add(h));
  return Uint32Array.from(seen);
}

/** Human-readable features of a text (unigrams with their multiplier, bigrams), for debugging and tests. */
export function analyze(text: string): { unigrams: Map<string, number>; bigrams: string[]; words: string[] } {
  const unigrams = new Map<string, number>();
  const bigrams: string[] = [];
  const words: string[] = [];
  featurize(text, {
    unigram: (s, mult) => unigrams.set(s, Math.max(mult, unigrams.get(s) ?? 0)),
    bigram: (a, b) => bigrams.push(`${a} ${b}`),
    chars: (word) => words.push(word),
  });
  return { unigrams, bigrams, words };
}

export function createLocalEmbedder(opts: LocalEmbedderOptions = {}): LocalEmbedder {
  const dim = opts.dim ?? DEFAULT_LOCAL_DIM;
  if (!Number.isInteger(dim) || dim < 8 || dim > 65_536) throw new Error(`local embedder dim must be an integer in 8..65536, got ${dim}`);
  const maxChars = opts.maxChars ?? DEFAULT_MAX_CHARS;
  const idf = opts.idf ?? DEFAULT_IDF;
  if (opts.idfId !== undefined && !/^[A-Za-z0-9._:-]{1,64}$/.test(opts.idfId)) throw new Error("idfId must be 1-64 of [A-Za-z0-9._:-]");
  const id = `local-hash-v${LOCAL_EMBEDDER_VERSION}-${dim}${opts.idf ? `-idf:${opts.idfId ?? "custom"}` : ""}`;

  const w = new Bag();
  const c = new Bag(4096);
  const b = new Bag();
  const sink = new HashSink(w, c, b);
  const vw = new Float64Array(dim);
  const vc = new Float64Array(dim);
  const vb = new Float64Array(dim);

  const embedSync = (text: string): Float32Array => {
    w.clear();
    c.clear();
    b.clear();
    featurize(text.length > maxChars ? text.slice(0, maxChars) : text, sink);
    const nw = w.project(vw, idf);
    const nc = c.project(vc, idf);
    const nb = b.project(vb, idf);
    const aw = nw > 0 ? ALPHA_W / Math.sqrt(nw) : 0;
    const ac = nc > 0 ? ALPHA_C / Math.sqrt(nc) : 0;
    const ab = nb > 0 ? ALPHA_B / Math.sqrt(nb) : 0;
    const out = new Float32Array(dim);
    for (let i = 0; i < dim; i++) out[i] = aw * vw[i]! + ac * vc[i]! + ab * vb[i]!;
    return l2NormalizeInPlace(out);
  };

  return {
    id,
    dim,
    embedSync,
    async embed(texts: string[]): Promise<Float32Array[]> {
      const out: Float32Array[] = new Array(texts.length);
      for (let i = 0; i < texts.length; i++) {
        if (i > 0 && i % YIELD_EVERY === 0) await new Promise<void>((r) => setImmediate(r)); // keep the event loop responsive
        out[i] = embedSync(texts[i]!);
      }
      return out;
    },
  };
}
