/**
 * Seasonal detector: the period is found from the data, then an additive
 * Holt-Winters model (level + one seasonal component, no trend) forecasts each
 * point; the forecast error is scored against its exponentially weighted RMS.
 *
 * Period detection: the first `detectPoints` usable points are buffered (and
 * scored meanwhile by an EWMA fallback). Then, once per series, the sampling
 * step is estimated (median positive timestamp gap) and the autocorrelation of
 * the linearly detrended, winsorized buffer is computed (unbiased, for lags
 * minPeriodPoints … min(maxPeriodPoints, detectPoints/2)). The period is the
 * highest ACF peak (peaks must rise ≥ 0.1 above the ACF at shorter lags), or
 * the shortest divisor of it (lag/d ± 3 %, d ≤ 4) that also peaks within 90 %
 * of it (so two days are not taken for the period of a daily pattern), if that
 * peak reaches `acfThreshold`; otherwise the model runs with no seasonal
 * component. A period within 3 % of an hour, a day or a week is snapped to it
 * exactly (the ACF peak of a noisy daily pattern can sit a few lags off, and
 * a phase error would accumulate period after period). This one-off
 * O(detectPoints · maxPeriodPoints) step is amortized over the series; every
 * later point costs O(1).
 *
 * The model is a robust Holt-Winters: it learns from the forecast error clipped
 * at ±huberK·σ, and σ mixes a global and a per-phase error scale.
 *
 * Phase is taken from the timestamp, not the row count — (t − t0) mod
 * (period·step) in steps — so gaps and irregular sampling keep the seasonal
 * slots aligned with the clock.
 */
import type { SeasonalConfig } from "./config";
import { EwmaMoments } from "./ewma";
import { decFloat, decFloatArray, encFloat, encFloatArray, isUsable, zToScoreFast } from "./math";
import { expectNumber, expectObject, type DetectorState, type RestorableDetector } from "./types";
import { zOf } from "./moments-detector";

export interface PeriodEstimate {
  /** Period in samples (0 = none found). */
  periodPoints: number;
  /** Estimated sampling step in ms. */
  stepMs: number;
  /** ACF at the chosen lag (or the best peak if below threshold). */
  acf: number;
}

/** Calendar periods a detected period is snapped to when within 3 %: hour, day, week. */
const CALENDAR_PERIODS_MS = [3_600_000, 86_400_000, 604_800_000];

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
  // Winsorize at ±3 robust sigmas so a few spikes do not dominate the ACF.
  const absr = Float64Array.from(r, Math.abs).sort();
  const mad = absr[absr.length >> 1]!;
  if (mad > 0) {
    const cap = 3 * 1.4826 * mad;
    c0 = 0;
    for (let i = 0; i < n; i++) {
      const v = r[i]! > cap ? cap : r[i]! < -cap ? -cap : r[i]!;
      r[i] = v;
      c0 += v * v;
    }
  }
  if (!(c0 > 0)) return { periodPoints: 0, acf: 0 };
  // Autocorrelation with the unbiased (n − lag) normalization, so longer lags
  // are not shrunk towards 0 (which would pull the peak to a shorter lag).
  const top = Math.min(hi + 1, n - 1);
  const acf = new Float64Array(top + 1);
  const var0 = c0 / n;
  for (let lag = Math.max(1, minLag - 1); lag <= top; lag++) {
    let c = 0;
    for (let i = 0; i + lag < n; i++) c += r[i]! * r[i + lag]!;
    acf[lag] = c / (n - lag) / var0;
  }
  // Peaks must rise at least 0.1 above the lowest ACF at shorter lags, so noise
  // wiggles on the initial decay do not count.
  let best = -Infinity;
  const peaks: number[] = [];
  let runMin = acf[Math.max(1, minLag - 1)]!;
  for (let lag = Math.max(2, minLag); lag <= hi; lag++) {
    const a = acf[lag]!;
    if (a < runMin) runMin = a;
    const next = lag + 1 <= top ? acf[lag + 1]! : -Infinity;
    if (a >= acf[lag - 1]! && a > next && a - runMin >= 0.1) {
      peaks.push(lag);
      if (a > best) best = a;
    }
  }
  if (peaks.length === 0 || best < acfThreshold) return { periodPoints: 0, acf: peaks.length ? best : 0 };
  // The highest peak, unless it is a multiple of a shorter period: then the
  // smallest divisor lag (± 5 %) that also peaks within 90 % of it.
  let bestLag = peaks[0]!;
  for (const lag of peaks) if (acf[lag]! > acf[bestLag]!) bestLag = lag;
  for (let d = 4; d >= 2; d--) {
    const target = bestLag / d;
    if (target < minLag) continue;
    const tol = Math.max(1, 0.03 * target);
    for (const lag of peaks) {
      if (Math.abs(lag - target) <= tol && acf[lag]! >= 0.9 * best) return { periodPoints: lag, acf: acf[lag]! };
    }
  }
  return { periodPoints: bestLag, acf: best };
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
  private phaseVar: Float64Array = new Float64Array(0);
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
    return zOf(e, 0, Math.sqrt(this.errorVariance(t)));
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

  /**
   * Variance of the forecast error: with a seasonal component and
   * phaseErrorAlpha > 0, the mean of the global and the per-phase variances
   * (a square wave's edges are noisier than its plateaus).
   */
  private errorVariance(t: number): number {
    if (this.periodPoints > 0 && this.config.phaseErrorAlpha > 0) return 0.5 * (this.errVar + this.phaseVar[this.phase(t)]!);
    return this.errVar;
  }

  private learn(t: number, x: number): void {
    const { alpha, gamma, errorAlpha, phaseErrorAlpha, huberK } = this.config;
    const ph = this.phase(t);
    const s = this.periodPoints > 0 ? this.season[ph]! : 0;
    let e = x - (this.level + s);
    // Robust Holt-Winters: learn from the error clipped at ±huberK·σ, so one
    // outlier moves neither the forecast nor the error scale much.
    if (huberK > 0) {
      const lim = huberK * Math.sqrt(this.errorVariance(t));
      if (lim > 0) e = e > lim ? lim : e < -lim ? -lim : e;
    }
    const xc = this.level + s + e;
    this.errVar = (1 - errorAlpha) * this.errVar + errorAlpha * e * e;
    if (this.periodPoints > 0 && phaseErrorAlpha > 0) this.phaseVar[ph] = (1 - phaseErrorAlpha) * this.phaseVar[ph]! + phaseErrorAlpha * e * e;
    this.level += alpha * (xc - s - this.level);
    if (this.periodPoints > 0) this.season[ph] = s + gamma * (xc - this.level - s);
  }

  private detect(): void {
    const { minPeriodPoints, maxPeriodPoints, acfThreshold } = this.config;
    this.stepMs = estimateStepMs(this.bufT);
    const est = this.stepMs > 0 ? detectPeriod(this.bufX, minPeriodPoints, maxPeriodPoints, acfThreshold) : { periodPoints: 0, acf: 0 };
    this.periodPoints = est.periodPoints;
    this.acf = est.acf;
    if (this.periodPoints > 0) {
      const ms = this.periodPoints * this.stepMs;
      for (const c of CALENDAR_PERIODS_MS) {
        const p = Math.round(c / this.stepMs);
        if (Math.abs(ms - c) <= 0.03 * c && p >= 2 && p <= maxPeriodPoints && Math.abs(p * this.stepMs - c) < 1e-6 * c) {
          this.periodPoints = p;
          break;
        }
      }
    }
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
    this.phaseVar = new Float64Array(Math.max(P, 0)).fill(this.errVar);
    this.detected = true;
    // Replay the buffer so level / seasonals / error scale are current.
    for (let i = 0; i < n; i++) this.learn(this.bufT[i]!, this.bufX[i]!);
    this.bufT = [];
    this.bufX = [];
  }

  save(): Record<string, unknown> {
    return {
      detected: this.detected,
      bufT: encFloatArray(this.bufT),
      bufX: encFloatArray(this.bufX),
      periodPoints: this.periodPoints,
      stepMs: this.stepMs,
      acf: encFloat(this.acf),
      t0: this.t0,
      level: encFloat(this.level),
      season: encFloatArray(this.season),
      errVar: encFloat(this.errVar),
      phaseVar: encFloatArray(this.phaseVar),
      n: this.n,
      fallback: this.fallback.save(),
    };
  }

  load(s: Record<string, unknown>): void {
    this.detected = s.detected === true;
    this.bufT = decFloatArray(s, "bufT");
    if (!this.bufT.every(Number.isFinite)) throw new Error("checkpoint: bufT");
    this.bufX = decFloatArray(s, "bufX");
    this.periodPoints = expectNumber(s, "periodPoints");
    if (this.periodPoints > this.config.maxPeriodPoints) throw new Error("checkpoint: period exceeds maxPeriodPoints");
    this.stepMs = expectNumber(s, "stepMs");
    this.acf = decFloat(s.acf);
    this.t0 = expectNumber(s, "t0");
    this.level = decFloat(s.level);
    this.season = Float64Array.from(decFloatArray(s, "season"));
    this.errVar = decFloat(s.errVar);
    this.phaseVar = Float64Array.from(decFloatArray(s, "phaseVar"));
    if (this.phaseVar.length !== this.season.length) throw new Error("checkpoint: phaseVar length");
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
    return zToScoreFast(z);
  }

  /** Back within the band: no suppression here, so the score itself says it. */
  isNormal(score: number, threshold: number): boolean {
    return score < threshold;
  }

  checkpoint(): DetectorState {
    return { v: 1, config: this.config, state: this.m.save() };
  }

  restoreState(state: Record<string, unknown>): void {
    this.m.load(state);
  }
}
