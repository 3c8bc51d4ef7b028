/**
 * Anomaly likelihood over a stream of raw scores (after Numenta's HTM
 * `AnomalyLikelihood`): the mean of the last `shortWindow` raw scores is compared
 * with the distribution (Gaussian: mean, std) of that same short mean over the
 * last `historyWindow` points. The upper-tail probability p says how unusual
 * the recent level of surprise is *for this series*, which calibrates scores
 * across series whose raw scores live on different scales.
 *
 * O(1) per point: the short mean and the history moments are sliding sums.
 */
import { FloatRing, decFloat, decFloatArray, encFloat, encFloatArray, normalTail } from "./math";
import { expectNumber, expectObject } from "./types";
import { RollingMoments } from "./zscore";

export interface LikelihoodOptions {
  shortWindow: number;
  historyWindow: number;
  /** Points before the history starts (raw scores of a cold model are noisy). */
  learningPoints: number;
  /** Points of history needed before p is reported (p = 1 before). */
  minHistory: number;
  /** Floors of the history distribution (HTM: mean 0.03, variance 0.0003). */
  minMean: number;
  minStd: number;
  /**
   * A short mean above history mean + clipSigmas·std enters the history clipped to that bound, so one
   * long anomaly cannot inflate the history's std and mask the next one (∞ = no clip).
   */
  clipSigmas?: number;
}

/**
 * The floors and clip both the live ensemble and the NAB staged search use. Floors are HTM's: a
 * near-constant history must not make a tiny blip "certain". The 7σ clip was chosen by 2-fold CV on NAB.
 */
export const LIKELIHOOD_DEFAULTS = { minHistory: 100, minMean: 0.03, minStd: Math.sqrt(0.0003), clipSigmas: 7 } as const;

export class AnomalyLikelihood {
  private short: FloatRing;
  private shortSum = 0;
  private hist: RollingMoments;
  private n = 0;

  constructor(readonly opts: LikelihoodOptions) {
    this.short = new FloatRing(opts.shortWindow);
    this.hist = new RollingMoments(opts.historyWindow);
  }

  /** Adds a raw score and returns the upper-tail probability of the recent mean. */
  update(raw: number): number {
    const old = this.short.push(raw);
    this.shortSum += raw - (old ?? 0);
    // Exact recompute when the window wraps keeps the sliding sum drift-free.
    if (this.short.full && this.n % this.opts.shortWindow === 0) {
      let s = 0;
      for (let i = 0; i < this.short.length; i++) s += this.short.get(i);
      this.shortSum = s;
    }
    const avg = this.shortSum / this.short.length;
    let p = 1;
    let bound = Infinity;
    if (this.hist.count >= this.opts.minHistory) {
      const mean = Math.max(this.hist.mean, this.opts.minMean);
      const std = Math.max(this.hist.std(), this.opts.minStd);
      p = avg > mean ? normalTail((avg - mean) / std) : 1;
      if (this.opts.clipSigmas !== undefined) bound = mean + this.opts.clipSigmas * std;
    }
    this.n++;
    if (this.n > this.opts.learningPoints) this.hist.add(Math.min(avg, bound));
    return p;
  }

  save(): Record<string, unknown> {
    return { short: encFloatArray(this.short.toArray()), shortSum: encFloat(this.shortSum), hist: this.hist.save(), n: this.n };
  }

  load(s: Record<string, unknown>): void {
    const short = decFloatArray(s, "short");
    this.short.clear();
    for (const x of short) this.short.push(x);
    this.shortSum = decFloat(s.shortSum);
    this.hist.load(expectObject(s, "hist"));
    this.n = expectNumber(s, "n");
  }
}
