/**
 * The ensemble detector (lib/insight/detectors/ensemble.ts) computed in three
 * cached stages, so that a knob search on NAB re-runs only the stage a knob
 * belongs to:
 *
 *   1. channels — robust (median/MAD) and seasonal raw surprises per point:
 *      `window`, `seasonal`, `seasonalDetectPoints`, `seasonalMaxPeriodPoints`
 *      (the costly part: ~2 µs a point);
 *   2. likelihood — per-channel anomaly likelihoods → min p per point:
 *      `shortWindow`, `historyWindow`, `learningPoints`;
 *   3. alarms — log score, spatial rule, suppression: every other knob.
 *
 * The output is bit-identical to `createDetector(config).update(...)` (a unit
 * test checks it on the corpus); bench/nab.ts still scores held-out files
 * with the real detector. The stages reuse the detector's own building
 * blocks; only the sequencing of `EnsembleDetector.update` is repeated here.
 */
import { ensembleConfigSchema, seasonalConfigSchema, type EnsembleConfig } from "@/lib/insight/detectors/config";
import { AnomalyLikelihood, LIKELIHOOD_DEFAULTS } from "@/lib/insight/detectors/likelihood";
import { RollingRobust } from "@/lib/insight/detectors/mad";
import { isUsable, logTailScore, zToScore } from "@/lib/insight/detectors/math";
import { zOf } from "@/lib/insight/detectors/moments-detector";
import { SeasonalModel } from "@/lib/insight/detectors/seasonal";
import { RollingMoments } from "@/lib/insight/detectors/zscore";

import type { NabSeries } from "./csv";

/** As in ensemble.ts: points a channel must have seen before its raw surprise counts. */
const CHANNEL_MIN_POINTS = 30;

type Series = Pick<NabSeries, "timestamps" | "values">;

interface Channels {
  /** Raw robust surprise per row; NaN marks a row the detector skips (not usable). */
  robust: Float64Array;
  seasonal: Float64Array | null;
  volatility: Float64Array | null;
}

const STAGE1_KEYS = ["window", "seasonal", "seasonalDetectPoints", "seasonalMaxPeriodPoints", "volatilityWindow"] as const;
const STAGE2_KEYS = ["shortWindow", "historyWindow", "learningPoints", "seasonalWeight", "volatilityWeight"] as const;

function keyOf(c: EnsembleConfig, keys: readonly (keyof EnsembleConfig)[]): string {
  return keys.map((k) => String(c[k])).join("|");
}

function channels(f: Series, c: EnsembleConfig): Channels {
  const n = f.values.length;
  const robust = new Float64Array(n);
  const seasonal = c.seasonal ? new Float64Array(n) : null;
  const rr = new RollingRobust(c.window);
  const sm = c.seasonal
    ? new SeasonalModel(seasonalConfigSchema.parse({ type: "seasonal", detectPoints: c.seasonalDetectPoints, maxPeriodPoints: c.seasonalMaxPeriodPoints }))
    : null;
  const volatility = c.volatilityWindow > 0 ? new Float64Array(n) : null;
  const vShort = c.volatilityWindow > 0 ? new RollingMoments(c.volatilityWindow) : null;
  const vHist = new RollingMoments(c.window);
  for (let i = 0; i < n; i++) {
    const t = f.timestamps[i]!;
    const x = f.values[i]!;
    if (!isUsable(t, x)) {
      robust[i] = Number.NaN;
      continue;
    }
    if (vShort && volatility) {
      vShort.add(x);
      if (vShort.ring.full) {
        const v = Math.log(vShort.std() + 0.05 * rr.moments.std() + 1e-12);
        volatility[i] = vHist.count >= CHANNEL_MIN_POINTS ? zToScore(zOf(v, vHist.mean, vHist.std())) : 0;
        vHist.add(v);
      }
    }
    robust[i] = rr.count >= CHANNEL_MIN_POINTS ? zToScore(rr.z(x)) : 0;
    if (sm && seasonal) seasonal[i] = sm.count >= CHANNEL_MIN_POINTS ? zToScore(sm.residualZ(t, x)) : 0;
    rr.add(x);
    sm?.add(t, x);
  }
  return { robust, seasonal, volatility };
}

/** min over the channels of the likelihood tail probability; NaN for skipped rows. */
function likelihood(ch: Channels, c: EnsembleConfig): Float64Array {
  const opts = { shortWindow: c.shortWindow, historyWindow: c.historyWindow, learningPoints: c.learningPoints, ...LIKELIHOOD_DEFAULTS };
  const lr = new AnomalyLikelihood(opts);
  const ls = ch.seasonal ? new AnomalyLikelihood(opts) : null;
  const lv = ch.volatility ? new AnomalyLikelihood(opts) : null;
  const n = ch.robust.length;
  const out = new Float64Array(n);
  const w = c.seasonalWeight;
  for (let i = 0; i < n; i++) {
    const r = ch.robust[i]!;
    if (r !== r) {
      out[i] = Number.NaN;
      continue;
    }
    let p = lr.update(r);
    if (ls && ch.seasonal) {
      const ps = w * ls.update(ch.seasonal[i]!);
      if (ps < p) p = ps;
    }
    if (lv && ch.volatility) {
      const pv = c.volatilityWeight * lv.update(ch.volatility[i]!);
      if (pv < p) p = pv;
    }
    out[i] = p;
  }
  return out;
}

/** Stage 3, the tail of EnsembleDetector.update: log score, spatial rule, suppression. */
function alarms(f: Series, pRow: Float64Array, c: EnsembleConfig): Float64Array {
  const n = pRow.length;
  const out = new Float64Array(n);
  let min = Infinity;
  let max = -Infinity;
  let seen = 0;
  let armed = true;
  let suppressed = 0;
  let calm = 0;
  for (let i = 0; i < n; i++) {
    const p = pRow[i]!;
    if (p !== p) continue; // skipped row: score 0, no state change
    const value = f.values[i]!;
    let score = logTailScore(p);
    let spatial = false;
    if (seen >= c.spatialWarmup && max > min) {
      const tol = (max - min) * c.spatialTolerance;
      if (value > max + tol || value < min - tol) {
        score = 1;
        spatial = true;
      }
    }
    if (seen >= c.spatialSkip) {
      if (value < min) min = value;
      if (value > max) max = value;
    }
    seen++;
    if (armed) {
      if (score >= c.fireLevel) {
        armed = false;
        suppressed = 0;
        calm = 0;
      }
      out[i] = score;
      continue;
    }
    if (spatial && c.spatialBypass) {
      suppressed = 0;
      calm = 0;
      out[i] = score;
      continue;
    }
    suppressed++;
    calm = score < c.rearmLevel ? calm + 1 : 0;
    if (calm >= c.rearmPoints || suppressed >= c.maxSuppress) armed = true;
  }
  return out;
}

/**
 * Caches stages 1 and 2 per file and per the knobs they depend on. Memory:
 * 8 bytes per row per channel per distinct stage-1 key, and per stage-2 key
 * (bounded by `maxStage2` entries per file, least recently used dropped first).
 */
export class StagedEnsemble {
  private s1 = new Map<string, Channels>();
  private s2 = new Map<string, Float64Array>();

  constructor(
    private readonly files: readonly Series[],
    private readonly maxStage2 = 32,
  ) {}

  /** Scores of file k under config (defaults applied to a partial config). */
  scores(k: number, config: Partial<EnsembleConfig>): Float64Array {
    const c = ensembleConfigSchema.parse({ ...config, type: "ensemble" });
    const f = this.files[k]!;
    const k1 = `${k}#${keyOf(c, STAGE1_KEYS)}`;
    let ch = this.s1.get(k1);
    if (!ch) {
      ch = channels(f, c);
      this.s1.set(k1, ch);
    }
    const k2 = `${k1}#${keyOf(c, STAGE2_KEYS)}`;
    let p = this.s2.get(k2);
    if (p) {
      this.s2.delete(k2); // re-inserted below: least recently used first out
    } else {
      p = likelihood(ch, c);
      if (this.s2.size >= this.maxStage2 * this.files.length) this.s2.delete(this.s2.keys().next().value!);
    }
    this.s2.set(k2, p);
    return alarms(f, p, c);
  }
}
