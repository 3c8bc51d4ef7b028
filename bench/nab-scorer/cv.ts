/**
 * Cross-validation on NAB: split the corpus by file, choose every knob of the
 * ensemble (and the threshold) on one half, score the other half with them.
 *
 * - `stratifiedSplit`: files grouped by category, shuffled with a seeded PRNG,
 *   dealt alternately to the two halves (the turn carries over between
 *   categories, so the halves differ by at most one file).
 * - `searchKnobs`: coordinate descent over a fixed grid per knob (one knob at
 *   a time, every value tried, the best kept; passes until nothing changes),
 *   from several seeded random starting points; the objective is the
 *   standard-profile NAB score of the training files, scored as a corpus of
 *   their own with their own optimized threshold — exactly NAB's
 *   optimize step. The best of the starts wins.
 */
import type { EnsembleConfig } from "@/lib/insight/detectors/config";

import type { CostMatrix } from "./corpus";
import { scoreProfile, type FileSweepInfo } from "./scorer";

export type Rng = () => number;

/** Two halves of file indices, stratified by category (the part of relPath before "/"). */
export function stratifiedSplit(relPaths: readonly string[], rng: Rng): [number[], number[]] {
  const byCategory = new Map<string, number[]>();
  relPaths.forEach((p, i) => {
    const c = p.split("/")[0]!;
    byCategory.set(c, [...(byCategory.get(c) ?? []), i]);
  });
  const halves: [number[], number[]] = [[], []];
  let turn = 0;
  for (const c of [...byCategory.keys()].sort()) {
    const idx = byCategory.get(c)!;
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [idx[i], idx[j]] = [idx[j]!, idx[i]!];
    }
    for (const i of idx) {
      halves[turn]!.push(i);
      turn = 1 - turn;
    }
  }
  halves[0].sort((a, b) => a - b);
  halves[1].sort((a, b) => a - b);
  return halves;
}

export type Knobs = Partial<Omit<EnsembleConfig, "type">>;
export type KnobGrid = Partial<Record<keyof Knobs, ReadonlyArray<number | boolean>>>;

/**
 * The search space of `bench:nab --protocol cv`: every knob of the ensemble
 * except the seasonal period detection (its own unit-tested logic, fixed).
 */
export const CV_GRID: KnobGrid = {
  window: [1000, 2000, 3000],
  shortWindow: [20, 30, 40, 50, 60, 80],
  historyWindow: [2000, 4000, 8000],
  learningPoints: [0, 50, 150, 300],
  seasonalWeight: [1, 10, 100],
  volatilityWindow: [0, 50, 100, 200, 400],
  volatilityWeight: [1, 10, 100],
  spatialTolerance: [0, 0.025, 0.05, 0.1, 0.2],
  spatialWarmup: [50, 150, 300],
  spatialSkip: [0, 50, 100],
  spatialBypass: [false, true],
  fireLevel: [0.3, 0.35, 0.4, 0.45, 0.5, 0.55],
  rearmLevel: [0.1, 0.15, 0.2, 0.3],
  rearmPoints: [10, 20, 40, 80],
  maxSuppress: [100, 200, 400, 800],
};

export interface SearchOptions {
  grid: KnobGrid;
  /** Number of seeded random starting points. */
  starts: number;
  rng: Rng;
  /** Hard cap on the descent passes per start. */
  maxPasses?: number;
  /** A move must gain more than this (normalized points) on the training files. */
  minGain?: number;
  onProgress?: (msg: string) => void;
}

export interface SearchResult {
  knobs: Knobs;
  score: number;
  evaluations: number;
}

/** Standard-profile score of `config` on the given files (own optimized threshold). */
export function makeObjective(
  infos: readonly FileSweepInfo[],
  cost: CostMatrix,
  scoresOf: (k: number, knobs: Knobs) => Float64Array,
): (idx: readonly number[], knobs: Knobs) => number {
  return (idx, knobs) =>
    scoreProfile(
      idx.map((k) => infos[k]!),
      idx.map((k) => scoresOf(k, knobs)),
      "standard",
      cost,
      { perFile: false },
    ).normalized;
}

export function searchKnobs(objective: (knobs: Knobs) => number, opts: SearchOptions): SearchResult {
  const keys = Object.keys(opts.grid) as Array<keyof Knobs>;
  const memo = new Map<string, number>();
  const canon = (k: Knobs) => JSON.stringify(keys.map((key) => k[key]));
  const evaluate = (k: Knobs): number => {
    const id = canon(k);
    let v = memo.get(id);
    if (v === undefined) {
      v = objective(k);
      memo.set(id, v);
    }
    return v;
  };
  let best: SearchResult | null = null;
  for (let s = 0; s < opts.starts; s++) {
    const cur: Knobs = {};
    for (const key of keys) {
      const vs = opts.grid[key]!;
      (cur as Record<string, unknown>)[key] = vs[Math.floor(opts.rng() * vs.length)];
    }
    let curScore = evaluate(cur);
    for (let pass = 0; pass < (opts.maxPasses ?? 6); pass++) {
      let changed = false;
      for (const key of keys) {
        for (const v of opts.grid[key]!) {
          if (cur[key] === v) continue;
          const cand = { ...cur, [key]: v };
          const sc = evaluate(cand);
          if (sc > curScore + (opts.minGain ?? 0)) {
            curScore = sc;
            (cur as Record<string, unknown>)[key] = v;
            changed = true;
          }
        }
      }
      opts.onProgress?.(`start ${s + 1}/${opts.starts} pass ${pass + 1}: ${curScore.toFixed(2)} (${memo.size} configs evaluated)`);
      if (!changed) break;
    }
    if (!best || curScore > best.score) best = { knobs: { ...cur }, score: curScore, evaluations: memo.size };
  }
  return { ...best!, evaluations: memo.size };
}
