/**
 * Shared shape of the two moment-based detectors (rolling z-score and EWMA): score a point by its
 * z against the moments learned so far, then learn it. Only the moments differ.
 */
import type { DetectorConfig } from "./config";
import { isUsable, zToScoreFast } from "./math";
import type { DetectorState, RestorableDetector } from "./types";

export interface Moments {
  readonly count: number;
  readonly mean: number;
  std(): number;
  add(x: number): void;
  save(): Record<string, unknown>;
  load(state: Record<string, unknown>): void;
}

/** z of x against (mean, std); ±Infinity when std is 0 and x differs, 0 when equal. */
export function zOf(x: number, mean: number, std: number): number {
  const d = x - mean;
  if (std > 1e-12 * (1 + Math.abs(mean))) return d / std;
  if (d === 0 || Math.abs(d) <= 1e-12 * (1 + Math.abs(mean))) return 0;
  return d > 0 ? Infinity : -Infinity;
}

export class MomentsDetector<C extends DetectorConfig & { minPoints: number }, M extends Moments> implements RestorableDetector {
  constructor(
    readonly config: C,
    protected readonly m: M,
  ) {}

  /** The z-score of x against the learned moments (NaN while warming up). */
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
