/**
 * Detector configs (zod) and the factory / restore entry points.
 *
 * The product stores a detector config per Monitor and checkpoints in the
 * database; the anomaly-scan worker calls `createDetector(config)` for a new
 * series and `restoreDetector(checkpoint)` to continue one.
 */
import { z } from "zod";

import { EnsembleDetector } from "./ensemble";
import { EwmaDetector } from "./ewma";
import { MadDetector } from "./mad";
import { SeasonalDetector } from "./seasonal";
import type { Detector, DetectorState, RestorableDetector } from "./types";
import { RollingZScoreDetector } from "./zscore";

const posInt = (max: number) => z.number().int().min(1).max(max);
const unit = z.number().gt(0).lte(1);

export const zscoreConfigSchema = z.strictObject({
  type: z.literal("zscore"),
  /** Number of past points the mean / std are taken over. */
  window: posInt(1_000_000).default(288),
  /** Points needed before scoring (score 0 before). */
  minPoints: posInt(1_000_000).default(30),
});

export const ewmaConfigSchema = z.strictObject({
  type: z.literal("ewma"),
  /** Smoothing factor α of the mean and variance (≈ 2/(span+1)). */
  alpha: unit.default(0.02),
  minPoints: posInt(1_000_000).default(30),
});

export const madConfigSchema = z.strictObject({
  type: z.literal("mad"),
  window: posInt(1_000_000).default(288),
  minPoints: posInt(1_000_000).default(30),
});

export const seasonalConfigSchema = z.strictObject({
  type: z.literal("seasonal"),
  /** Points buffered before the period is detected (once per series). */
  detectPoints: posInt(100_000).default(2016),
  /** Shortest / longest period considered, in samples. */
  minPeriodPoints: z.number().int().min(2).max(100_000).default(4),
  maxPeriodPoints: posInt(100_000).default(1008),
  /** Minimum autocorrelation of the chosen period (else: no seasonality). */
  acfThreshold: z.number().min(0).max(1).default(0.3),
  /** Holt-Winters smoothing of the level and of the seasonal slots. */
  alpha: unit.default(0.05),
  gamma: unit.default(0.1),
  /** Smoothing of the squared forecast error (the score's scale). */
  errorAlpha: unit.default(0.02),
  /** Smoothing of the per-phase squared error (0 = one error scale for all phases). */
  phaseErrorAlpha: z.number().min(0).max(1).default(0.1),
  /** Learn from errors clipped at ±huberK·σ (robust Holt-Winters; 0 = off). */
  huberK: z.number().min(0).max(100).default(3),
  minPoints: posInt(1_000_000).default(30),
});

/**
 * The ensemble's defaults are what `npm run bench:nab -- --protocol cv` picks
 * when its knob search runs on all 58 NAB files (bench/NAB_RESULTS.md): the
 * same search, run on one half of the files and scored on the other, is the
 * out-of-sample figure.
 */
export const ensembleConfigSchema = z.strictObject({
  type: z.literal("ensemble"),
  /** Window (points) of the robust median/MAD channel. */
  window: posInt(100_000).default(2000),
  /** Seasonal channel (period found from the data, robust Holt-Winters residual). */
  seasonal: z.boolean().default(true),
  seasonalDetectPoints: posInt(100_000).default(600),
  seasonalMaxPeriodPoints: posInt(100_000).default(300),
  /** Anomaly likelihood: mean surprise of the last `shortWindow` points vs the last `historyWindow`. */
  shortWindow: posInt(10_000).default(80),
  historyWindow: posInt(100_000).default(8000),
  /** Points before the likelihood history starts (cold models are noisy). */
  learningPoints: z.number().int().min(0).max(100_000).default(150),
  /** The seasonal channel's tail probability is multiplied by this before the min of the channels (> 1 trusts it less). */
  seasonalWeight: z.number().min(1e-6).max(1e6).default(1),
  /** Volatility channel (0 = off): log std of the last `volatilityWindow` points vs its history. */
  volatilityWindow: z.number().int().min(0).max(10_000).default(400),
  volatilityWeight: z.number().min(1e-6).max(1e6).default(1),
  /** Spatial rule: a value beyond the range seen so far, widened by this fraction of it, scores 1. */
  spatialTolerance: z.number().min(0).max(100).default(0.05),
  /** Points before the spatial rule applies, and initial points left out of its range. */
  spatialWarmup: z.number().int().min(0).max(1_000_000).default(150),
  spatialSkip: z.number().int().min(0).max(1_000_000).default(50),
  /** Spatial hits alarm even while suppressed (a new extreme is a new event). */
  spatialBypass: z.boolean().default(true),
  /** Suppression: after a score ≥ fireLevel, score 0 until the score stayed < rearmLevel for rearmPoints points (at most maxSuppress points). */
  fireLevel: z.number().min(0).max(1).default(0.3),
  rearmLevel: z.number().min(0).max(1).default(0.15),
  rearmPoints: z.number().int().min(1).max(1_000_000).default(40),
  maxSuppress: z.number().int().min(0).max(1_000_000).default(200),
});

export const detectorConfigSchema = z.discriminatedUnion("type", [
  zscoreConfigSchema,
  ewmaConfigSchema,
  madConfigSchema,
  seasonalConfigSchema,
  ensembleConfigSchema,
]);

export type ZScoreConfig = z.output<typeof zscoreConfigSchema>;
export type EwmaConfig = z.output<typeof ewmaConfigSchema>;
export type MadConfig = z.output<typeof madConfigSchema>;
export type SeasonalConfig = z.output<typeof seasonalConfigSchema>;
export type EnsembleConfig = z.output<typeof ensembleConfigSchema>;
export type DetectorConfig = z.output<typeof detectorConfigSchema>;
/** What a caller may pass: defaults are filled in by the schema. */
export type DetectorConfigInput = z.input<typeof detectorConfigSchema>;

export const detectorTypes = ["zscore", "ewma", "mad", "seasonal", "ensemble"] as const;

export const detectorStateSchema = z.object({
  v: z.literal(1),
  config: detectorConfigSchema,
  state: z.record(z.string(), z.unknown()),
});

function build(config: DetectorConfig): RestorableDetector {
  switch (config.type) {
    case "zscore":
      return new RollingZScoreDetector(config);
    case "ewma":
      return new EwmaDetector(config);
    case "mad":
      return new MadDetector(config);
    case "seasonal":
      if (config.maxPeriodPoints < config.minPeriodPoints) throw new Error("seasonal: maxPeriodPoints < minPeriodPoints");
      return new SeasonalDetector(config);
    case "ensemble":
      return new EnsembleDetector(config);
  }
}

/** Parses (applying defaults) and validates a detector config. */
export function parseDetectorConfig(config: unknown): DetectorConfig {
  return detectorConfigSchema.parse(config);
}

/** A fresh detector for a config (validated; defaults applied). */
export function createDetector(config: DetectorConfigInput | DetectorConfig): Detector {
  return build(parseDetectorConfig(config));
}

/** A detector continuing exactly where `checkpoint()` left off. */
export function restoreDetector(state: DetectorState | unknown): Detector {
  const parsed = detectorStateSchema.parse(state);
  const det = build(parsed.config);
  det.restoreState(parsed.state);
  return det;
}
