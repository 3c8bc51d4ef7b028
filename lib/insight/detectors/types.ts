/**
 * The common streaming-detector interface.
 *
 * A detector sees each point once, in arrival order, and never looks ahead.
 * `update()` returns an anomaly score in [0, 1] for that point (computed before
 * the point is learned). The single-statistic detectors (zscore, ewma, mad,
 * seasonal) map their z-score with zToScoreFast: 0.5 at |z| ≈ 4.8 (a Gaussian
 * surprise of p ≈ 1e-5), monotone, never saturating; the ensemble outputs a
 * log-scaled anomaly likelihood (0.5 ≈ p 1e-5, 1 ≈ p 1e-10, or a new extreme). Non-finite values or timestamps (Prometheus stale
 * markers are NaN) score 0 and leave the state untouched.
 *
 * `isNormal()` says whether the last point was back to normal: for the single-statistic detectors,
 * a score below the threshold (the value is back within the band); for the ensemble, its event is over
 * (its unsuppressed score stayed below `rearmLevel` for `rearmPoints` points).
 *
 * `checkpoint()` returns a JSON-serializable snapshot: config + state. A
 * detector restored from it (`restoreDetector`, or `createDetector` for a fresh
 * one) produces bit-identical scores to one that never stopped.
 */
import type { DetectorConfig } from "./config";

export interface DetectorState {
  /** Checkpoint format version. */
  v: 1;
  /** The fully-resolved config (defaults applied) the detector runs with. */
  config: DetectorConfig;
  /** Detector-specific state; JSON-safe (no NaN/Infinity/−0 as bare numbers). */
  state: Record<string, unknown>;
}

export interface Detector {
  readonly config: DetectorConfig;
  /** Scores (timestampMs, value) in [0, 1], then learns it. */
  update(timestampMs: number, value: number): number;
  /**
   * Right after update(): whether the metric is back to normal by this detector's own criterion, given
   * the score update() returned and the caller's alarm threshold. Ends anomaly episodes: a score below
   * the threshold is not always "normal" (the ensemble suppresses its scores while an event lasts).
   */
  isNormal(score: number, threshold: number): boolean;
  /** JSON-serializable snapshot; restoring it continues bit-identically. */
  checkpoint(): DetectorState;
}

/** Internal: detectors are built by the registry in config.ts and restored with `restoreState`. */
export interface RestorableDetector extends Detector {
  restoreState(state: Record<string, unknown>): void;
}

export function expectNumber(state: Record<string, unknown>, key: string): number {
  const v = state[key];
  if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`checkpoint: ${key} must be a finite number`);
  return v;
}

export function expectArray(state: Record<string, unknown>, key: string): unknown[] {
  const v = state[key];
  if (!Array.isArray(v)) throw new Error(`checkpoint: ${key} must be an array`);
  return v;
}

export function expectObject(state: Record<string, unknown>, key: string): Record<string, unknown> {
  const v = state[key];
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error(`checkpoint: ${key} must be an object`);
  return v as Record<string, unknown>;
}
