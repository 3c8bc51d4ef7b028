/**
 * Split-half check / small grid search for a detector on NAB, in memory (no
 * results files). For the out-of-sample figure use `bench:nab --protocol cv`
 * (bench/nab-cv.ts), which chooses every knob on one half and scores the other. The corpus files sorted by path are split into A (even
 * positions) and B (odd positions); every grid point is run once over all files
 * and scored on A, on B and on the full corpus (standard profile; each scored
 * as NAB does, i.e. with its own optimized threshold). The config chosen on
 * the tuning half is then reported on the other half.
 *
 *   npx tsx bench/nab-tune.ts [--base JSON] [--grid JSON] [--tune-on A|B] [--jsonl FILE]
 *
 *   --base   base config (default {"type":"ensemble"})
 *   --grid   {"param": [values…], …}; the cartesian product is evaluated
 *            (default: the ensemble's main NAB-tuned knobs)
 *   --jsonl  append one JSON line per evaluated config (for bench/NAB_RESULTS.md)
 */
import { appendFileSync } from "node:fs";
import { parseArgs } from "node:util";

import { createDetector, parseDetectorConfig } from "@/lib/insight/detectors/config";
import { DEFAULT_NAB_ROOT, PROFILE_NAMES, loadCorpus, loadProfiles } from "@/bench/nab-scorer/corpus";
import { computeSweepInfo, scoreProfile } from "@/bench/nab-scorer/scorer";

const DEFAULT_GRID: Record<string, unknown[]> = {
  shortWindow: [20, 30, 40, 50],
  learningPoints: [50, 150],
  spatialSkip: [0, 50],
  fireLevel: [0.45, 0.5, 0.55],
};

function product(grid: Record<string, unknown[]>): Array<Record<string, unknown>> {
  let out: Array<Record<string, unknown>> = [{}];
  for (const [k, vs] of Object.entries(grid)) out = out.flatMap((o) => vs.map((v) => ({ ...o, [k]: v })));
  return out;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      base: { type: "string", default: '{"type":"ensemble"}' },
      grid: { type: "string" },
      "tune-on": { type: "string", default: "A" },
      jsonl: { type: "string" },
    },
  });
  const base = JSON.parse(values.base) as Record<string, unknown>;
  const grid = values.grid ? (JSON.parse(values.grid) as Record<string, unknown[]>) : DEFAULT_GRID;
  const tuneOn = values["tune-on"].toUpperCase();
  if (tuneOn !== "A" && tuneOn !== "B") throw new Error("--tune-on must be A or B");

  const corpus = loadCorpus(DEFAULT_NAB_ROOT);
  const profiles = loadProfiles(DEFAULT_NAB_ROOT);
  const infos = corpus.map((f) => computeSweepInfo(f.relPath, f.timestamps, f.windows));
  const idxA = corpus.map((_, i) => i).filter((i) => i % 2 === 0);
  const idxB = corpus.map((_, i) => i).filter((i) => i % 2 === 1);
  const sub = (idx: number[], scores: Float64Array[]) =>
    scoreProfile(idx.map((i) => infos[i]!), idx.map((i) => scores[i]!), "standard", profiles.standard!, { perFile: false }).normalized;

  const rows: Array<{ params: Record<string, unknown>; A: number; B: number; full: number[] }> = [];
  for (const params of product(grid)) {
    const config = parseDetectorConfig({ ...base, ...params });
    const scores = corpus.map((f) => {
      const det = createDetector(config);
      const out = new Float64Array(f.values.length);
      for (let i = 0; i < out.length; i++) out[i] = det.update(f.timestamps[i]!, f.values[i]!);
      return out;
    });
    const full = PROFILE_NAMES.map((p) => scoreProfile(infos, scores, p, profiles[p]!, { perFile: false }).normalized);
    const row = { params, A: sub(idxA, scores), B: sub(idxB, scores), full };
    rows.push(row);
    console.log(`${JSON.stringify(params).padEnd(70)} A ${row.A.toFixed(2)}  B ${row.B.toFixed(2)}  full ${full.map((x) => x.toFixed(2)).join(" / ")}`);
    if (values.jsonl) appendFileSync(values.jsonl, JSON.stringify({ name: `grid ${JSON.stringify(params)}`, params: { ...base, ...params }, scores: full, A: row.A, B: row.B }) + "\n");
  }
  const key = tuneOn === "A" ? "A" : "B";
  const other = tuneOn === "A" ? "B" : "A";
  const best = rows.reduce((a, b) => (b[key] > a[key] ? b : a));
  const bestOther = rows.reduce((a, b) => (b[other] > a[other] ? b : a));
  const bestFull = rows.reduce((a, b) => (b.full[0]! > a.full[0]! ? b : a));
  console.log(`\nchosen on ${key}: ${JSON.stringify(best.params)}  ${key} ${best[key].toFixed(2)} → held-out ${other} ${best[other].toFixed(2)} (best possible on ${other}: ${bestOther[other].toFixed(2)}; full corpus ${best.full[0]!.toFixed(2)})`);
  console.log(`chosen on the full corpus: ${JSON.stringify(bestFull.params)}  full ${bestFull.full[0]!.toFixed(2)}  A ${bestFull.A.toFixed(2)}  B ${bestFull.B.toFixed(2)}`);
}

main();
