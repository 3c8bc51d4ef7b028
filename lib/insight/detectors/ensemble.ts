/**
 * Ensemble detector (v0, experimental).
 */
import type { EnsembleConfig } from "./config";
import { AnomalyLikelihood } from "./likelihood";
import { decFloat, encFloat, isUsable, logTailScore, zToScore } from "./math";
import { RollingRobust } from "./mad";
import { SeasonalModel } from "./seasonal";
import { expectNumber, expectObject, type DetectorState, type RestorableDetector } from "./types";

export class EnsembleDetector implements RestorableDetector {
  private robust: RollingRobust;
  private seasonal: SeasonalModel | null;
  private lik: AnomalyLikelihood;
  private min = Infinity;
  private max = -Infinity;
  private n = 0;
  private sinceFire = Number.MAX_SAFE_INTEGER;

  constructor(readonly config: EnsembleConfig) {
    this.robust = new RollingRobust(config.window);
    this.seasonal = config.seasonal
      ? new SeasonalModel({
          type: "seasonal",
          detectPoints: config.detectPoints,
          minPeriodPoints: 4,
          maxPeriodPoints: config.maxPeriodPoints,
          acfThreshold: 0.3,
          alpha: 0.05,
          gamma: 0.1,
          errorAlpha: 0.02,
          minPoints: 30,
        })
      : null;
    this.lik = new AnomalyLikelihood({
      shortWindow: config.shortWindow,
      historyWindow: config.historyWindow,
      learningPoints: config.learningPoints,
      minHistory: 100,
      minMean: 0.03,
      minStd: Math.sqrt(0.0003),
    });
  }

  update(timestampMs: number, value: number): number {
    if (!isUsable(timestampMs, value)) return 0;
    const c = this.config;
    let raw = 0;
    if (this.robust.count >= 30) raw = Math.max(raw, zToScore(this.robust.z(value)));
    if (this.seasonal && this.seasonal.isSeasonal) raw = Math.max(raw, zToScore(this.seasonal.residualZ(timestampMs, value)));
    let spatial = false;
    if (this.n >= c.learningPoints && this.max > this.min) {
      const tol = (this.max - this.min) * c.spatialTolerance;
      spatial = value > this.max + tol || value < this.min - tol;
    }
    const p = this.lik.update(raw);
    let score = logTailScore(p);
    if (spatial) score = 1;
    // learn
    this.robust.add(value);
    this.seasonal?.add(timestampMs, value);
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    this.n++;
    // suppression
    if (this.sinceFire < c.suppress) {
      this.sinceFire++;
      return 0;
    }
    if (score >= c.fireLevel) this.sinceFire = 0;
    return score;
  }

  checkpoint(): DetectorState {
    return {
      v: 1,
      config: this.config,
      state: {
        robust: this.robust.save(),
        seasonal: this.seasonal ? this.seasonal.save() : null,
        lik: this.lik.save(),
        min: encFloat(this.min),
        max: encFloat(this.max),
        n: this.n,
        sinceFire: this.sinceFire,
      },
    };
  }

  restoreState(s: Record<string, unknown>): void {
    this.robust.load(expectObject(s, "robust"));
    if (this.seasonal) this.seasonal.load(expectObject(s, "seasonal"));
    this.lik.load(expectObject(s, "lik"));
    this.min = decFloat(s.min);
    this.max = decFloat(s.max);
    this.n = expectNumber(s, "n");
    this.sinceFire = expectNumber(s, "sinceFire");
  }
}
