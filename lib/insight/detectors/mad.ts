/**
 * Robust rolling z-score: median and MAD (median absolute deviation) of the
 * last `window` usable values, from a sorted window (sorted-window.ts) — O(1)
 * for the median and O(log w) for the MAD per point, no per-point allocation.
 *
 * z = (x − median) / (1.4826 · MAD); when MAD is 0 (more than half the window
 * shares one value) the window's standard deviation is used instead, and if
 * that is 0 too any deviation is infinitely surprising.
 */
import type { MadConfig } from "./config";
import { isUsable, zToScoreFast } from "./math";
import { SortedWindow } from "./sorted-window";
import { type DetectorState, type RestorableDetector } from "./types";
import { zOf } from "./moments-detector";
import { RollingMoments } from "./zscore";

export const MAD_TO_SIGMA = 1.4826;

/** Sliding-window median / MAD / moments of the last `capacity` values. */
export class RollingRobust {
  readonly tree: SortedWindow;
  readonly moments: RollingMoments;

  constructor(readonly capacity: number) {
    this.tree = new SortedWindow(capacity);
    this.moments = new RollingMoments(capacity);
  }

  get count(): number {
    return this.moments.count;
  }

  add(x: number): void {
    const ring = this.moments.ring;
    if (ring.full) this.tree.replace(ring.oldest(), x);
    else this.tree.insert(x);
    this.moments.add(x);
  }

  median(): number {
    return this.tree.median();
  }

  mad(median = this.median()): number {
    return this.tree.medianAbsDeviation(median);
  }

  /** Robust scale: 1.4826·MAD, else the standard deviation. */
  scale(median = this.median()): number {
    const mad = this.mad(median);
    return mad > 0 ? MAD_TO_SIGMA * mad : this.moments.std();
  }

  /** Robust z of x (NaN when empty). */
  z(x: number): number {
    if (this.count === 0) return Number.NaN;
    const med = this.median();
    return zOf(x, med, this.scale(med));
  }

  save(): Record<string, unknown> {
    return this.moments.save();
  }

  load(s: Record<string, unknown>): void {
    this.moments.load(s);
    this.tree.clear();
    const ring = this.moments.ring;
    for (let i = 0; i < ring.length; i++) this.tree.insert(ring.get(i));
  }
}

export class MadDetector implements RestorableDetector {
  private r: RollingRobust;

  constructor(readonly config: MadConfig) {
    this.r = new RollingRobust(config.window);
  }

  z(x: number): number {
    if (this.r.count < this.config.minPoints) return Number.NaN;
    return this.r.z(x);
  }

  update(timestampMs: number, value: number): number {
    if (!isUsable(timestampMs, value)) return 0;
    const z = this.z(value);
    this.r.add(value);
    return zToScoreFast(z);
  }

  /** Back within the band: no suppression here, so the score itself says it. */
  isNormal(score: number, threshold: number): boolean {
    return score < threshold;
  }

  checkpoint(): DetectorState {
    return { v: 1, config: this.config, state: this.r.save() };
  }

  restoreState(state: Record<string, unknown>): void {
    this.r.load(state);
  }
}
