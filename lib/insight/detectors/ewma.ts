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
import { decFloat, encFloat } from "./math";
import { MomentsDetector } from "./moments-detector";
import { expectNumber } from "./types";

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

export class EwmaDetector extends MomentsDetector<EwmaConfig, EwmaMoments> {
  constructor(config: EwmaConfig) {
    super(config, new EwmaMoments(config.alpha));
  }
}
