/**
 * Seasonal detector: the period is found from the data, then an additive
 * Holt-Winters model (level + one seasonal component, no trend) forecasts each
 * point; the forecast error is scored against its exponentially weighted RMS.
 *
 * Period detection: the first `detectPoints` usable points are buffered (and
 * scored meanwhile by an EWMA fallback). Then, once per series, the sampling
 * step is estimated (median positive timestamp gap) and the autocorrelation of
 * the linearly detrended buffer is computed for lags minPeriodPoints …
 * min(maxPeriodPoints, detectPoints/2). The period is the smallest-lag local
 * ACF peak within 90 % of the highest peak, if that peak reaches
 * `acfThreshold`; otherwise the model runs with no seasonal component. This
 * one-off O(detectPoints · maxPeriodPoints) step is amortized over the series;
 * every later point costs O(1).
 *
 * Phase is taken from the timestamp, not the row count — (t − t0) mod
 * (period·step) in steps — so gaps and irregular sampling keep the seasonal
 * slots aligned with the clock.
 */
import type { SeasonalConfig } from "./config";
import { EwmaMoments } from "./ewma";
import { decFloat, decFloats, encFloat, encFloats, isUsable, zToScore } from "./math";
import { expectArray, expectNumber, expectObject, type DetectorState, type RestorableDetector } from "./types";
import { zOf } from "./zscore";

export interface PeriodEstimate {
  /** Period in samples (0 = none found). */
  periodPoints: number;
  /** Estimated sampling step in ms. */
  stepMs: number;
  /** ACF at the chosen lag (or the best peak if below threshold). */
  acf: number;
}

/** Median of positive consecutive timestamp gaps (0 if none). */
export function estimateStepMs(timestamps: ArrayLike<number>): number {
  const gaps: number[] = [];
  for (let i = 1; i < timestamps.length; i++) {
    const g = timestamps[i]! - timestamps[i - 1]!;
    if (g > 0) gaps.push(g);
  }
  if (gaps.length === 0) return 0;
  gaps.sort((a, b) => a - b);
  return gaps[gaps.length >> 1]!;
}

/** Finds the dominant period (in samples) of `values` by autocorrelation. */
export function detectPeriod(
  values: ArrayLike<number>,
  minLag: number,
  maxLag: number,
  acfThreshold: number,
): { periodPoints: number; acf: number } {
  const n = values.length;
  const hi = Math.min(maxLag, Math.floor(n / 2));
  if (n < 4 || hi < minLag) return { periodPoints: 0, acf: 0 };
  // Linear detrend.
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const y = values[i]!;
    sx += i;
    sy += y;
    sxx += i * i;
    sxy += i * y;
  }
  const den = n * sxx - sx * sx;
  const slope = den !== 0 ? (n * sxy - sx * sy) / den : 0;
  const icpt = (sy - slope * sx) / n;
  const r = new Float64Array(n);
  let c0 = 0;
  for (let i = 0; i < n; i++) {
    r[i] = values[i]! - (icpt + slope * i);
    c0 += r[i]! * r[i]!;
  }
  if (!(c0 > 0)) return { periodPoints: 0, acf: 0 };
  const acf = new Float64Array(hi + 2);
  for (let lag = Math.max(1, minLag - 1); lag <= Math.min(hi + 1, n - 1); lag++) {
    let c = 0;
    for (let i = 0; i + lag < n; i++) c += r[i]! * r[i + lag]!;
    acf[lag] = c / c0;
  }
  let best = -Infinity;
  const peaks: number[] = [];
  for (let lag = Math.max(2, minLag); lag <= hi; lag++) {
    const a = acf[lag]!;
    if (a >= acf[lag - 1]! && a > (lag + 1 <= Math.min(hi + 1, n - 1) ? acf[lag + 1]! : -Infinity)) {
      peaks.push(lag);
      if (a > best) best = a;
    }
  }
  if (peaks.length === 0 || best < acfThreshold) return { periodPoints: 0, acf: peaks.length ? best : 0 };
  for (const lag of peaks) {
    if (acf[lag]! >= 0.9 * best) return { periodPoints: lag, acf: acf[lag]! };
  }
  return { periodPoints: 0, acf: best };
}

/**
 * The seasonal forecaster shared by the seasonal detector and the ensemble.
 * `residualZ(t, x)` scores a point before `add(t, x)` learns it.
 */
export class SeasonalModel {
  private bufT: number[] = [];
  private bufX: number[] = [];
  private detected = false;
  periodPoints = 0;
  stepMs = 0;
  acf = 0;
  private t0 = 0;
  private level = 0;
  private season: Float64Array = new Float64Array(0);
  private errVar = 0;
  private n = 0;
  private readonly fallback: EwmaMoments;

  constructor(readonly config: SeasonalConfig) {
    this.fallback = new EwmaMoments(config.errorAlpha);
  }

  get isSeasonal(): boolean {
    return this.detected && this.periodPoints > 0;
  }

  get count(): number {
    return this.n;
  }

  private phase(t: number): number {
    if (this.periodPoints <= 0) return 0;
    const span = this.periodPoints * this.stepMs;
    let d = (t - this.t0) % span;
    if (d < 0) d += span;
    const p = Math.floor(d / this.stepMs);
    return p >= this.periodPoints ? this.periodPoints - 1 : p;
  }

  /** Forecast for time t (NaN before the period detection ran). */
  forecast(t: number): number {
    if (!this.detected) return Number.NaN;
    return this.level + (this.periodPoints > 0 ? this.season[this.phase(t)]! : 0);
  }

  /** z of the forecast error (EWMA z during warm-up). */
  residualZ(t: number, x: number): number {
    if (!this.detected) {
      if (this.fallback.count < this.config.minPoints) return Number.NaN;
      return zOf(x, this.fallback.mean, this.fallback.std());
    }
    const e = x - this.forecast(t);
    return zOf(e, 0, Math.sqrt(this.errVar));
  }

  add(t: number, x: number): void {
    this.n++;
    if (!this.detected) {
      this.fallback.add(x);
      this.bufT.push(t);
      this.bufX.push(x);
      if (this.bufX.length >= this.config.detectPoints) this.detect();
      return;
    }
    this.learn(t, x);
  }

  private learn(t: number, x: number): void {
    const { alpha, gamma, errorAlpha } = this.config;
    const ph = this.phase(t);
    const s = this.periodPoints > 0 ? this.season[ph]! : 0;
    const e = x - (this.level + s);
    this.errVar = (1 - errorAlpha) * this.errVar + errorAlpha * e * e;
    this.level += alpha * (x - s - this.level);
    if (this.periodPoints > 0) this.season[ph] = s + gamma * (x - this.level - s);
  }

  private detect(): void {
    const { minPeriodPoints, maxPeriodPoints, acfThreshold } = this.config;
    this.stepMs = estimateStepMs(this.bufT);
    const est = this.stepMs > 0 ? detectPeriod(this.bufX, minPeriodPoints, maxPeriodPoints, acfThreshold) : { periodPoints: 0, acf: 0 };
    this.periodPoints = est.periodPoints;
    this.acf = est.acf;
    this.t0 = this.bufT[0]!;
    const n = this.bufX.length;
    const P = this.periodPoints;
    let mean = 0;
    for (const x of this.bufX) mean += x;
    mean /= n;
    this.season = new Float64Array(Math.max(P, 0));
    if (P > 0) {
      const cnt = new Float64Array(P);
      for (let i = 0; i < n; i++) {
        const ph = this.phase(this.bufT[i]!);
        this.season[ph] = this.season[ph]! + (this.bufX[i]! - mean);
        cnt[ph] = cnt[ph]! + 1;
      }
      for (let p = 0; p < P; p++) this.season[p] = cnt[p]! > 0 ? this.season[p]! / cnt[p]! : 0;
    }
    this.level = mean;
    // Initial error variance: residual variance over the buffer.
    let ev = 0;
    for (let i = 0; i < n; i++) {
      const s = P > 0 ? this.season[this.phase(this.bufT[i]!)]! : 0;
      const e = this.bufX[i]! - mean - s;
      ev += e * e;
    }
    this.errVar = ev / n;
    this.detected = true;
    // Replay the buffer so level / seasonals / error scale are current.
    for (let i = 0; i < n; i++) this.learn(this.bufT[i]!, this.bufX[i]!);
    this.bufT = [];
    this.bufX = [];
  }

  save(): Record<string, unknown> {
    return {
      detected: this.detected,
      bufT: this.bufT.slice(),
      bufX: encFloats(this.bufX),
      periodPoints: this.periodPoints,
      stepMs: this.stepMs,
      acf: encFloat(this.acf),
      t0: this.t0,
      level: encFloat(this.level),
      season: encFloats(this.season),
      errVar: encFloat(this.errVar),
      n: this.n,
      fallback: this.fallback.save(),
    };
  }

  load(s: Record<string, unknown>): void {
    this.detected = s.detected === true;
    this.bufT = expectArray(s, "bufT").map((v) => {
      if (typeof v !== "number") throw new Error("checkpoint: bufT");
      return v;
    });
    this.bufX = decFloats(expectArray(s, "bufX"));
    this.periodPoints = expectNumber(s, "periodPoints");
    if (this.periodPoints > this.config.maxPeriodPoints) throw new Error("checkpoint: period exceeds maxPeriodPoints");
    this.stepMs = expectNumber(s, "stepMs");
    this.acf = decFloat(s.acf);
    this.t0 = expectNumber(s, "t0");
    this.level = decFloat(s.level);
    this.season = Float64Array.from(decFloats(expectArray(s, "season")));
    this.errVar = decFloat(s.errVar);
    this.n = expectNumber(s, "n");
    this.fallback.load(expectObject(s, "fallback"));
  }
}

export class SeasonalDetector implements RestorableDetector {
  private m: SeasonalModel;

  constructor(readonly config: SeasonalConfig) {
    this.m = new SeasonalModel(config);
  }

  /** Detected period in ms (0 if none or not yet detected). */
  get periodMs(): number {
    return this.m.isSeasonal ? this.m.periodPoints * this.m.stepMs : 0;
  }

  get model(): SeasonalModel {
    return this.m;
  }

  update(timestampMs: number, value: number): number {
    if (!isUsable(timestampMs, value)) return 0;
    const z = this.m.count < this.config.minPoints ? Number.NaN : this.m.residualZ(timestampMs, value);
    this.m.add(timestampMs, value);
    return zToScore(z);
  }

  checkpoint(): DetectorState {
    return { v: 1, config: this.config, state: this.m.save() };
  }

  restoreState(state: Record<string, unknown>): void {
    this.m.load(state);
  }
}
