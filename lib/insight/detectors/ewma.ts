/**
 * Exponentially weighted mean / variance (West's recursion, the same numbers as
 * pandas' `ewm(alpha, adjust=False).mean()` / `.var(bias=True)`):
 *
 *   d = x − mean;  mean += α·d;  var = (1 − α)·(var + α·d²)
 *
 * A point is scored before it is learned: z = (x − mean) / sqrt(var),
 * score = zToScoreFast(z) = z² / (z² + 2·ln 1e5) (0.5 at |z| ≈ 4.8).
 */
import type { EwmaConfig } from "./config";
import { decFloat, encFloat, isUsable, zToScoreFast } from "./math";
import { expectNumber, type DetectorState, type RestorableDetector } from "./types";
import { zOf } from "./zscore";

export class EwmaMoments {
  mean = 0;
  var = 0;
  count = 0;

  constructor(readonly alpha: number) {}

  std(): number {
    return Math.sqrt(this.var);
  }

  add(x: number): void {
    if (this.count === 0) {
      this.mean = x;
      this.var = 0;
    } else {
      const d = x - this.mean;
      this.mean += this.alpha * d;
      this.var = (1 - this.alpha) * (this.var + this.alpha * d * d);
    }
    this.count++;
  }

  save(): Record<string, unknown> {
    return { mean: encFloat(this.mean), var: encFloat(this.var), count: this.count };
  }

  load(s: Record<string, unknown>): void {
    this.mean = decFloat(s.mean);
    this.var = decFloat(s.var);
    this.count = expectNumber(s, "count");
  }
}

export class EwmaDetector implements RestorableDetector {
  private m: EwmaMoments;

  constructor(readonly config: EwmaConfig) {
    this.m = new EwmaMoments(config.alpha);
  }

  z(x: number): number {
    if (this.m.count < this.config.minPoints) return Number.NaN;
    return zOf(x, this.m.mean, this.m.std());
  }

  update(timestampMs: number, value: number): number {
    if (!isUsable(timestampMs, value)) return 0;
    const z = this.z(value);
    this.m.add(value);
    return zToScoreFast(z);
  }

  checkpoint(): DetectorState {
    return { v: 1, config: this.config, state: this.m.save() };
  }

  restoreState(state: Record<string, unknown>): void {
    this.m.load(state);
  }
}
