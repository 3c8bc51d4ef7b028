/**
 * Small numeric helpers shared by the detectors. Everything here is pure and
 * deterministic (no Math.random, no Date), so a detector's output depends only
 * on its config and input.
 */

/** Numerical Recipes' Chebyshev fit: erfc(x) = t·exp(erfcExponent(x)) for x ≥ 0, t = 1/(1 + x/2). */
function erfcExponent(z: number, t: number): number {
  return (
    -z * z -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
  );
}

/**
 * Complementary error function, erfc(x), with fractional error < 1.2e-7 over the
 * whole real line, so the relative precision holds deep in the tails where
 * 1 − erf(x) would cancel to 0.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(erfcExponent(z, t));
  return x >= 0 ? r : 2 - r;
}

/** ln(erfc(x)) for x ≥ 0 without underflow (erfc itself underflows past x ≈ 27). */
export function logErfc(x: number): number {
  const z = Math.max(0, x);
  const t = 1 / (1 + 0.5 * z);
  return Math.log(t) + erfcExponent(z, t);
}

/** Upper tail of the standard normal, Q(z) = P(Z > z). */
export function normalTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/** Two-sided tail probability of a z-score: P(|Z| ≥ |z|). */
export function twoSidedTail(z: number): number {
  return erfc(Math.abs(z) / Math.SQRT2);
}

const LOG_1E_10 = -23.02585084720009; // Math.log(1 - 0.9999999999)

/**
 * Log-scaled anomaly score from a tail probability p (HTM's computeLogLikelihood
 * applied to likelihood = 1 − p): 0 for p ≥ ~1, 0.3 for p = 1e-3, 0.5 for
 * p = 1e-5, ≈1 for p ≤ 1e-10. Keeps resolution in the far tail, where a linear
 * 1 − p would saturate.
 */
export function logTailScore(p: number): number {
  if (!(p < 1)) return 0;
  const s = Math.log(1.0000000001 - (1 - Math.max(0, p))) / LOG_1E_10;
  return s <= 0 ? 0 : s >= 1 ? 1 : s;
}

/** −ln p at which `surpriseScore` is 0.5 (p = 1e-5). */
export const HALF_SURPRISE = Math.log(1e5);

/**
 * Anomaly score in [0,1) for a surprise L = −ln p (p a tail probability):
 * L / (L + ln 1e5). Monotone and never saturating (a 20σ point still ranks
 * above a 10σ point): p = 0.05 → 0.21, 1e-3 → 0.38, 1e-5 → 0.5, 1e-10 → 0.67.
 */
export function surpriseScore(L: number): number {
  if (!(L > 0)) return 0;
  if (L === Infinity) return 1;
  return L / (L + HALF_SURPRISE);
}

/**
 * Fast anomaly score for a z-score: surpriseScore of the Gaussian surprise
 * L = z²/2 (the log-likelihood ratio against the mean), i.e.
 * z² / (z² + 2·ln 1e5): 0.5 at |z| ≈ 4.8, 0.16 at 2, 0.84 at 10, → 1 as |z| → ∞.
 * No transcendental function, so it costs ~1 ns. NaN → 0, ±Infinity → 1.
 */
export function zToScoreFast(z: number): number {
  if (z !== z) return 0;
  const q = z * z;
  if (q === Infinity) return 1;
  return q / (q + 2 * HALF_SURPRISE);
}

/**
 * Anomaly score for a z-score: surpriseScore of the two-sided Gaussian tail
 * P(|Z| ≥ |z|), computed in the log domain. NaN (not enough data) → 0,
 * ±Infinity (deviation from a constant) → 1.
 */
export function zToScore(z: number): number {
  if (Number.isNaN(z)) return 0;
  const a = Math.abs(z);
  if (a === Infinity) return 1;
  return surpriseScore(-logErfc(a / Math.SQRT2));
}

export function clamp01(x: number): number {
  return x <= 0 ? 0 : x >= 1 ? 1 : x;
}

/** True for values a detector may learn from (Prometheus stale markers are NaN). */
export function isUsable(timestampMs: number, value: number): boolean {
  // x − x is 0 for finite x and NaN for NaN / ±Infinity (cheaper than two isFinite calls).
  return value - value === 0 && timestampMs - timestampMs === 0;
}

// ---------------------------------------------------------------------------
// JSON-safe float encoding. JSON has no NaN/±Infinity/−0; checkpoints must
// round-trip bit-exactly, so those few values are written as strings.

export type EncodedFloat = number | "NaN" | "Infinity" | "-Infinity" | "-0";

export function encFloat(x: number): EncodedFloat {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Infinity";
  if (x === -Infinity) return "-Infinity";
  if (Object.is(x, -0)) return "-0";
  return x;
}

export function decFloat(x: EncodedFloat | unknown): number {
  if (typeof x === "number") return x;
  switch (x) {
    case "NaN":
      return Number.NaN;
    case "Infinity":
      return Infinity;
    case "-Infinity":
      return -Infinity;
    case "-0":
      return -0;
    default:
      throw new Error(`invalid encoded float: ${JSON.stringify(x)}`);
  }
}

export function encFloats(xs: ArrayLike<number>, start = 0, end = xs.length): EncodedFloat[] {
  const out: EncodedFloat[] = new Array(Math.max(0, end - start));
  for (let i = start; i < end; i++) out[i - start] = encFloat(xs[i]!);
  return out;
}

export function decFloats(xs: readonly unknown[]): number[] {
  return xs.map(decFloat);
}

const F64 = "f64:";

/**
 * A float array as one string: "f64:" + base64 of its IEEE-754 doubles, little-endian. Bit-exact (NaN, ±0, ±∞
 * included) and far cheaper than a JSON list of numbers: a mature ensemble holds tens of thousands of floats, and
 * remote_write checkpoints thousands of series at a time (bench/remote-write.ts).
 */
export function encFloatArray(xs: ArrayLike<number>): string {
  if (LITTLE_ENDIAN) return F64 + Buffer.from(Float64Array.from(xs).buffer).toString("base64");
  const b = Buffer.allocUnsafe(xs.length * 8);
  for (let i = 0; i < xs.length; i++) b.writeDoubleLE(xs[i]!, i * 8);
  return F64 + b.toString("base64");
}

const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

/** The array at `state[key]`: encFloatArray's string, or the JSON list of encFloat values older checkpoints hold. */
export function decFloatArray(state: Record<string, unknown>, key: string): number[] {
  const v = state[key];
  if (Array.isArray(v)) return decFloats(v);
  if (typeof v !== "string" || !v.startsWith(F64)) throw new Error(`checkpoint: ${key} must be a float array`);
  const b = Buffer.from(v.slice(F64.length), "base64");
  if (b.length % 8 !== 0) throw new Error(`checkpoint: ${key} is not a whole number of doubles`);
  if (LITTLE_ENDIAN) return Array.from(new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length)));
  const out = new Array<number>(b.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = b.readDoubleLE(i * 8);
  return out;
}

// ---------------------------------------------------------------------------
// Ring buffer of doubles with O(1) push/shift and arrival-order export.

export class FloatRing {
  readonly capacity: number;
  // Grows by doubling up to `capacity`: a detector holds several long windows, and a young series (most of a
  // remote_write fleet's, at first) should not pay for all of them. While growing the ring is not full, so
  // its values sit at [0, len) and growing is one copy.
  private buf: Float64Array;
  private head = 0; // index of the oldest element
  private len = 0;

  constructor(capacity: number) {
    if (!(capacity >= 1)) throw new Error("FloatRing capacity must be >= 1");
    this.capacity = capacity;
    this.buf = new Float64Array(Math.min(capacity, 32));
  }

  get length(): number {
    return this.len;
  }

  get full(): boolean {
    return this.len === this.capacity;
  }

  /** Appends x; returns the evicted oldest value when full, else undefined. */
  push(x: number): number | undefined {
    if (this.len < this.capacity) {
      this.append(x);
      return undefined;
    }
    return this.replaceOldest(x);
  }

  /** Appends x to a ring that is not full. */
  append(x: number): void {
    const cap = this.buf.length;
    if (this.len === cap) {
      const grown = new Float64Array(Math.min(this.capacity, cap * 2));
      for (let i = 0; i < this.len; i++) grown[i] = this.buf[(this.head + i) % cap]!;
      this.buf = grown;
      this.head = 0;
    }
    let i = this.head + this.len;
    if (i >= this.buf.length) i -= this.buf.length;
    this.buf[i] = x;
    this.len++;
  }

  /** Replaces the oldest value of a full ring by x (x becomes the newest); returns the old one. */
  replaceOldest(x: number): number {
    const h = this.head;
    const old = this.buf[h]!;
    this.buf[h] = x;
    this.head = h + 1 === this.buf.length ? 0 : h + 1;
    return old;
  }

  /** i = 0 is the oldest element. */
  get(i: number): number {
    return this.buf[(this.head + i) % this.buf.length]!;
  }

  /** i = 0 is the newest element. */
  fromEnd(i: number): number {
    return this.buf[(this.head + this.len - 1 - i) % this.buf.length]!;
  }

  oldest(): number {
    return this.buf[this.head]!;
  }

  clear(): void {
    this.head = 0;
    this.len = 0;
  }

  toArray(): number[] {
    const out: number[] = new Array(this.len);
    for (let i = 0; i < this.len; i++) out[i] = this.get(i);
    return out;
  }

  static from(capacity: number, values: readonly number[]): FloatRing {
    const r = new FloatRing(capacity);
    const start = Math.max(0, values.length - capacity);
    for (let i = start; i < values.length; i++) r.push(values[i]!);
    return r;
  }
}
