/**
 * Ensemble detector: the combination tuned on NAB (see bench/NAB_RESULTS.md).
 *
 *  1. Surprise channels, each a z-score turned into a raw surprise in [0,1)
 *     (zToScore):
 *       - robust: (x − median) / (1.4826·MAD) over the last `window` points,
 *         before x is learned;
 *       - seasonal: the robust Holt-Winters forecast error over its error scale,
 *         with the period found from the data (SeasonalModel);
 *       - volatility (`volatilityWindow` > 0): the log standard deviation of
 *         the last `volatilityWindow` points (x included) against its own
 *         history over `window` points — a change of spread (a flat line where
 *         the series used to move, noise where it was quiet) that the level
 *         channels do not see.
 *  2. Per channel, an anomaly likelihood (after Numenta's HTM): the mean raw
 *     surprise of the last `shortWindow` points against the distribution of
 *     that mean over the last `historyWindow` points → upper-tail probability.
 *     This calibrates each series (and channel) against its own normal
 *     level of surprise, which is what lets one global threshold work.
 *  3. The smallest tail probability of the channels (the seasonal and
 *     volatility ones multiplied by `seasonalWeight` / `volatilityWeight`) is
 *     log-scaled (0.3 ≈ p = 1e-3, 0.5 ≈ p = 1e-5, 1 ≈ p = 1e-10).
 *  4. Spatial rule (after HTM's NAB detector): a value beyond the range seen so
 *     far (ignoring the first `spatialSkip` points), widened by
 *     `spatialTolerance` of that range, scores 1 — with `spatialBypass`, even
 *     while alarms are suppressed (a new extreme is a new event).
 *  5. Alarm suppression: once a score reaches `fireLevel`, later points score 0
 *     until the underlying score has stayed below `rearmLevel` for
 *     `rearmPoints` consecutive points (the event is over) or `maxSuppress`
 *     points have passed. One event → one alarm, and a new event can still
 *     alarm soon after the previous one ended.
 *
 * State is bounded (rings of `window` (twice with the volatility channel),
 * `volatilityWindow`, and per channel `shortWindow` + `historyWindow` doubles,
 * plus the seasonal slots). Per point: O(log window) for the median,
 * O(log² window) worst case for the MAD (a few rank queries in practice), O(1)
 * for the rest, plus the seasonal model's one-off period detection.
 *
 * Scores: an alarm is a point scoring ≥ fireLevel (0.3 by default; NAB's
 * optimizer lands on it too). A consumer threshold above fireLevel misses the
 * events whose first alarm scored between the two, because the points after
 * it are suppressed. Points of an ongoing event after its first alarm score
 * 0, so a consumer that groups alarms into episodes should treat
 * "score < threshold" as "no new alarm", not as "the anomaly is over":
 * `isNormal()` says when it is over.
 */
import { seasonalConfigSchema, type EnsembleConfig } from "./config";
import { AnomalyLikelihood, LIKELIHOOD_DEFAULTS } from "./likelihood";
import { decFloat, encFloat, isUsable, logTailScore, zToScore } from "./math";
import { RollingRobust } from "./mad";
import { zOf } from "./moments-detector";
import { SeasonalModel } from "./seasonal";
import { expectNumber, expectObject, type DetectorState, type RestorableDetector } from "./types";
import { RollingMoments } from "./zscore";

/** Points a channel must have seen before its raw surprise counts. */
const CHANNEL_MIN_POINTS = 30;

export class EnsembleDetector implements RestorableDetector {
  private robust: RollingRobust;
  private seasonal: SeasonalModel | null;
  private likRobust: AnomalyLikelihood;
  private likSeasonal: AnomalyLikelihood | null;
  /** Volatility channel (optional): short-window moments, history of the log std, likelihood. */
  private volShort: RollingMoments | null;
  private volHist: RollingMoments | null;
  private likVol: AnomalyLikelihood | null;
  private min = Infinity;
  private max = -Infinity;
  private n = 0;
  private armed = true;
  private suppressed = 0;
  private calm = 0;
  /** Points in a row whose unsuppressed score was below rearmLevel, armed or not (the event is over). */
  private calmRun = 0;

  constructor(readonly config: EnsembleConfig) {
    this.robust = new RollingRobust(config.window);
    this.seasonal = config.seasonal
      ? new SeasonalModel(
          seasonalConfigSchema.parse({
            type: "seasonal",
            detectPoints: config.seasonalDetectPoints,
            maxPeriodPoints: config.seasonalMaxPeriodPoints,
          }),
        )
      : null;
    const lik = {
      shortWindow: config.shortWindow,
      historyWindow: config.historyWindow,
      learningPoints: config.learningPoints,
      ...LIKELIHOOD_DEFAULTS,
    };
    this.likRobust = new AnomalyLikelihood(lik);
    this.likSeasonal = config.seasonal ? new AnomalyLikelihood(lik) : null;
    const vol = config.volatilityWindow > 0;
    this.volShort = vol ? new RollingMoments(config.volatilityWindow) : null;
    this.volHist = vol ? new RollingMoments(config.window) : null;
    this.likVol = vol ? new AnomalyLikelihood(lik) : null;
  }

  /** The seasonal model (null when disabled), e.g. to read the detected period. */
  get seasonalModel(): SeasonalModel | null {
    return this.seasonal;
  }

  update(timestampMs: number, value: number): number {
    if (!isUsable(timestampMs, value)) return 0;
    const c = this.config;

    // 1–3: per-channel likelihoods of the recent surprise.
    let rawVol = 0;
    if (this.volShort && this.volHist) {
      // The short window includes the new point: its spread is what is observed.
      this.volShort.add(value);
      if (this.volShort.ring.full) {
        const v = Math.log(this.volShort.std() + 0.05 * this.robust.moments.std() + 1e-12);
        rawVol = this.volHist.count >= CHANNEL_MIN_POINTS ? zToScore(zOf(v, this.volHist.mean, this.volHist.std())) : 0;
        this.volHist.add(v);
      }
    }
    const rawRobust = this.robust.count >= CHANNEL_MIN_POINTS ? zToScore(this.robust.z(value)) : 0;
    let p = this.likRobust.update(rawRobust);
    if (this.seasonal && this.likSeasonal) {
      const rawSeasonal = this.seasonal.count >= CHANNEL_MIN_POINTS ? zToScore(this.seasonal.residualZ(timestampMs, value)) : 0;
      const ps = c.seasonalWeight * this.likSeasonal.update(rawSeasonal);
      if (ps < p) p = ps;
    }
    if (this.likVol) {
      const pv = c.volatilityWeight * this.likVol.update(rawVol);
      if (pv < p) p = pv;
    }
    let score = logTailScore(p);

    // 4: spatial rule.
    let spatial = false;
    if (this.n >= c.spatialWarmup && this.max > this.min) {
      const tol = (this.max - this.min) * c.spatialTolerance;
      if (value > this.max + tol || value < this.min - tol) {
        score = 1;
        spatial = true;
      }
    }

    // Learn the point.
    this.robust.add(value);
    this.seasonal?.add(timestampMs, value);
    if (this.n >= c.spatialSkip) {
      if (value < this.min) this.min = value;
      if (value > this.max) this.max = value;
    }
    this.n++;
    this.calmRun = score < c.rearmLevel ? this.calmRun + 1 : 0;

    // 5: suppression.
    if (this.armed) {
      if (score >= c.fireLevel) {
        this.armed = false;
        this.suppressed = 0;
        this.calm = 0;
      }
      return score;
    }
    if (spatial && c.spatialBypass) {
      // A new extreme is a new event: alarm even while suppressed.
      this.suppressed = 0;
      this.calm = 0;
      return score;
    }
    this.suppressed++;
    this.calm = score < c.rearmLevel ? this.calm + 1 : 0;
    if (this.calm >= c.rearmPoints || this.suppressed >= c.maxSuppress) this.armed = true;
    return 0;
  }

  /**
   * The event is over by the same rule that re-arms the alarm: the unsuppressed score stayed below
   * rearmLevel for rearmPoints points. A suppressed 0 while the event goes on is not normal.
   */
  isNormal(): boolean {
    return this.calmRun >= this.config.rearmPoints;
  }

  checkpoint(): DetectorState {
    return {
      v: 1,
      config: this.config,
      state: {
        robust: this.robust.save(),
        seasonal: this.seasonal ? this.seasonal.save() : null,
        likRobust: this.likRobust.save(),
        likSeasonal: this.likSeasonal ? this.likSeasonal.save() : null,
        ...(this.volShort && this.volHist && this.likVol
          ? { volShort: this.volShort.save(), volHist: this.volHist.save(), likVol: this.likVol.save() }
          : {}),
        min: encFloat(this.min),
        max: encFloat(this.max),
        n: this.n,
        armed: this.armed,
        suppressed: this.suppressed,
        calm: this.calm,
        calmRun: this.calmRun,
      },
    };
  }

  restoreState(s: Record<string, unknown>): void {
    this.robust.load(expectObject(s, "robust"));
    if (this.seasonal) this.seasonal.load(expectObject(s, "seasonal"));
    this.likRobust.load(expectObject(s, "likRobust"));
    if (this.likSeasonal) this.likSeasonal.load(expectObject(s, "likSeasonal"));
    if (this.volShort && this.volHist && this.likVol) {
      this.volShort.load(expectObject(s, "volShort"));
      this.volHist.load(expectObject(s, "volHist"));
      this.likVol.load(expectObject(s, "likVol"));
    }
    this.min = decFloat(s.min);
    this.max = decFloat(s.max);
    this.n = expectNumber(s, "n");
    if (typeof s.armed !== "boolean") throw new Error("checkpoint: armed must be a boolean");
    this.armed = s.armed;
    this.suppressed = expectNumber(s, "suppressed");
    this.calm = expectNumber(s, "calm");
    // Checkpoints from before calmRun existed: while suppressed it equals calm; armed, call it over.
    this.calmRun = s.calmRun === undefined ? (this.armed ? this.config.rearmPoints : this.calm) : expectNumber(s, "calmRun");
  }
}
