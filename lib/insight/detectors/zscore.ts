/**
 * Rolling z-score: mean and (population) standard deviation of the last
 * `window` usable values, maintained in O(1) per point with a sliding Welford
 * update; recomputed exactly from the ring buffer once per `window` points so
 * rounding drift stays bounded over arbitrarily long streams.
 *
 * A point is scored against the window *before* it is added:
 * z = (x − mean) / std, score = zToScoreFast(z) = z² / (z² + 2·ln 1e5).
 */
import type { ZScoreConfig } from "./config";
import { FloatRing, decFloat, decFloatArray, encFloat, encFloatArray } from "./math";
import { MomentsDetector } from "./moments-detector";
import { expectNumber } from "./types";

/** Sliding-window mean / variance of the last `capacity` values. */
export class RollingMoments {
  readonly ring: FloatRing;
  mean = 0;
  m2 = 0;
  private sinceRecompute = 0;

  constructor(capacity: number) {
    this.ring = new FloatRing(capacity);
  }

  get count(): number {
    return this.ring.length;
  }

  /** Population variance (0 when fewer than 2 values). */
  variance(): number {
    const n = this.ring.length;
    return n > 1 && this.m2 > 0 ? this.m2 / n : 0;
  }

  std(): number {
    return Math.sqrt(this.variance());
  }

  add(x: number): void {
    const ring = this.ring;
    if (!ring.full) {
      ring.append(x);
      const n = ring.length;
      const d = x - this.mean;
      this.mean += d / n;
      this.m2 += d * (x - this.mean);
    } else {
      const old = ring.replaceOldest(x);
      const n = ring.length;
      const oldMean = this.mean;
      this.mean = oldMean + (x - old) / n;
      this.m2 += (x - old) * (x - this.mean + old - oldMean);
      if (++this.sinceRecompute >= n) this.recompute();
    }
    if (this.m2 < 0) this.m2 = 0;
  }

  /** Exact two-pass recomputation from the buffer. */
  recompute(): void {
    const n = this.ring.length;
    this.sinceRecompute = 0;
    if (n === 0) {
      this.mean = 0;
      this.m2 = 0;
      return;
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += this.ring.get(i);
    const mean = s / n;
    let m2 = 0;
    for (let i = 0; i < n; i++) {
      const d = this.ring.get(i) - mean;
      m2 += d * d;
    }
    this.mean = mean;
    this.m2 = m2;
  }

  save(): Record<string, unknown> {
    return { buf: encFloatArray(this.ring.toArray()), mean: encFloat(this.mean), m2: encFloat(this.m2), since: this.sinceRecompute };
  }

  load(s: Record<string, unknown>): void {
    const buf = decFloatArray(s, "buf");
    if (buf.length > this.ring.capacity) throw new Error("checkpoint: buffer larger than window");
    this.ring.clear();
    for (const x of buf) this.ring.push(x);
    this.mean = decFloat(s.mean);
    this.m2 = decFloat(s.m2);
    this.sinceRecompute = expectNumber(s, "since");
  }
}

export class RollingZScoreDetector extends MomentsDetector<ZScoreConfig, RollingMoments> {
  constructor(config: ZScoreConfig) {
    super(config, new RollingMoments(config.window));
  }
}
