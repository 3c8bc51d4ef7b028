/**
 * `bench:nab --protocol cv`: 2-fold cross-validation of the ensemble on NAB by
 * file. For each split seed the 58 files are split in two halves stratified
 * by category (bench/nab-scorer/cv.ts); in each direction every knob of the
 * ensemble is chosen by a search on the training half, the threshold of each
 * profile is optimized on the training half with those knobs, and the
 * held-out half is then scored — by the real detector, with the training
 * threshold — as a corpus of its own. Two seeds × two directions = four
 * out-of-sample scores per profile; the last line is their mean (standard).
 *
 * The same search on all 58 files gives the board-comparable in-sample number
 * (knobs and threshold chosen on the corpus that is scored, like every
 * published NAB entry) and is compared with the detector's defaults.
 */
import { createDetector, parseDetectorConfig, type EnsembleConfig } from "@/lib/insight/detectors/config";
import { PROFILE_NAMES, loadCorpus, loadProfiles, type NabFile } from "@/bench/nab-scorer/corpus";
import { CV_GRID, searchKnobs, stratifiedSplit, type KnobGrid, type Knobs } from "@/bench/nab-scorer/cv";
import {
  bestThresholdFast,
  computeSweepInfo,
  prepareSweep,
  scoreAtThresholdFast,
  scoreProfile,
  type FileSweepInfo,
  type SweepTable,
} from "@/bench/nab-scorer/scorer";
import { StagedEnsemble } from "@/bench/nab-scorer/staged";
import { mulberry32 } from "@/test/random";

export interface CvOptions {
  root: string;
  base: Knobs;
  grid: KnobGrid;
  seeds: number[];
  starts: number;
  /** Also search on all files (the in-sample number). */
  inSample: boolean;
  /**
   * How a configuration is judged during the search: "train" = its score on
   * the training files; "nested" = the mean held-out score of an inner 2-fold
   * cross-validation inside the training files (two inner split seeds).
   */
  objective: "train" | "nested";
  /** "sweep": NAB's optimizer on the training files; "fire": the threshold is the ensemble's fireLevel. */
  threshold: "sweep" | "fire";
  /** The search's minimum gain per move (normalized points). */
  minGain: number;
}

type Triple = [number, number, number];

interface Fold {
  seed: number;
  train: string;
  test: string;
  knobs: Knobs;
  evaluations: number;
  trainScores: Triple;
  thresholds: Triple;
  heldOut: Triple;
  /** Held-out half at its own optimized threshold (what a peek at the threshold would give). */
  heldOutOwnThreshold: Triple;
  seconds: number;
}

const fmt = (xs: readonly number[]) => xs.map((x) => x.toFixed(2)).join(" / ");
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Changes from the detector's defaults, for printing. */
function diffFromDefaults(knobs: Knobs): Knobs {
  const d = parseDetectorConfig({ type: "ensemble" }) as EnsembleConfig;
  return Object.fromEntries(Object.entries(knobs).filter(([k, v]) => d[k as keyof EnsembleConfig] !== v)) as Knobs;
}

function runDetector(files: readonly NabFile[], config: EnsembleConfig): Float64Array[] {
  return files.map((f) => {
    const det = createDetector(config);
    const out = new Float64Array(f.values.length);
    for (let i = 0; i < out.length; i++) out[i] = det.update(f.timestamps[i]!, f.values[i]!);
    return out;
  });
}

export function runCvProtocol(options: CvOptions): void {
  // A knob held fixed is not searched.
  const opts = { ...options, grid: Object.fromEntries(Object.entries(options.grid).filter(([k]) => !(k in options.base))) as KnobGrid };
  const t0 = performance.now();
  const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(0)} s`;
  const corpus = loadCorpus(opts.root);
  const profiles = loadProfiles(opts.root);
  const infos = corpus.map((f) => computeSweepInfo(f.relPath, f.timestamps, f.windows));
  const staged = new StagedEnsemble(corpus);
  const configOf = (knobs: Knobs) => parseDetectorConfig({ type: "ensemble", ...opts.base, ...knobs }) as EnsembleConfig;
  const sub = <T>(xs: readonly T[], idx: readonly number[]) => idx.map((i) => xs[i]!);

  /** Standard-profile score on `test` with the threshold the rule picks on `train` (fast path). */
  const transferScore = (train: number[], test: number[]) => {
    const trainTable = prepareSweep(sub(infos, train), profiles.standard!);
    const testTable = prepareSweep(sub(infos, test), profiles.standard!);
    return (k: Knobs): number => {
      const config = configOf(k);
      const t = opts.threshold === "fire" ? config.fireLevel : bestThresholdFast(trainTable, train.map((i) => staged.scores(i, config))).threshold;
      return scoreAtThresholdFast(testTable, test.map((i) => staged.scores(i, config)), t).normalized;
    };
  };

  const objectiveOn = (train: number[]): ((k: Knobs) => number) => {
    if (opts.objective === "nested") {
      const paths = train.map((i) => corpus[i]!.relPath);
      const inner: Array<(k: Knobs) => number> = [];
      for (const seed of [101, 102]) {
        const [a, b] = stratifiedSplit(paths, mulberry32(seed)).map((h) => h.map((j) => train[j]!));
        inner.push(transferScore(a!, b!), transferScore(b!, a!));
      }
      return (k) => mean(inner.map((f) => f(k)));
    }
    const table: SweepTable = prepareSweep(sub(infos, train), profiles.standard!);
    return (k) => {
      const config = configOf(k);
      const scores = train.map((i) => staged.scores(i, config));
      return opts.threshold === "fire" ? scoreAtThresholdFast(table, scores, config.fireLevel).normalized : bestThresholdFast(table, scores).normalized;
    };
  };

  /** Knobs and per-profile thresholds chosen on `train`. */
  const fit = (train: number[], rngSeed: number, label: string) => {
    const result = searchKnobs(objectiveOn(train), {
      grid: opts.grid,
      starts: opts.starts,
      minGain: opts.minGain,
      rng: mulberry32(rngSeed),
      onProgress: (m) => console.log(`  [${elapsed()}] ${label}: ${m}`),
    });
    const config = configOf(result.knobs);
    // Reported numbers come from the exact scorer.
    const trainScores = train.map((i) => staged.scores(i, config));
    const fits = PROFILE_NAMES.map((p) =>
      scoreProfile(sub(infos, train), trainScores, p, profiles[p]!, opts.threshold === "fire" ? { threshold: config.fireLevel } : { perFile: false }),
    );
    return { result, config, thresholds: fits.map((r) => r.threshold) as Triple, trainScores: fits.map((r) => r.normalized) as Triple };
  };

  const scoreHeldOut = (test: number[], config: EnsembleConfig, thresholds: Triple) => {
    const scores = runDetector(sub(corpus, test), config);
    const testInfos: FileSweepInfo[] = sub(infos, test);
    const heldOut = PROFILE_NAMES.map((p, j) => scoreProfile(testInfos, scores, p, profiles[p]!, { threshold: thresholds[j]! }).normalized) as Triple;
    const own = PROFILE_NAMES.map((p) => scoreProfile(testInfos, scores, p, profiles[p]!, { perFile: false }).normalized) as Triple;
    return { heldOut, own };
  };

  const gridSize = Object.values(opts.grid).reduce((s, v) => s * v!.length, 1);
  console.log(`NAB 2-fold cross-validation by file: ${corpus.length} files, split seeds ${opts.seeds.join(", ")}, both directions`);
  console.log(`search: coordinate descent from ${opts.starts} seeded random starts over ${Object.keys(opts.grid).length} knobs (${gridSize.toLocaleString("en-US")} grid points); objective ${opts.objective}; minimum gain per move ${opts.minGain}; threshold ${opts.threshold === "fire" ? "= fireLevel" : "swept on the training files"}:`);
  for (const [k, v] of Object.entries(opts.grid)) console.log(`  ${k}: ${JSON.stringify(v)}`);
  if (Object.keys(opts.base).length) console.log(`fixed: ${JSON.stringify(opts.base)}`);

  const folds: Fold[] = [];
  for (const seed of opts.seeds) {
    const [a, b] = stratifiedSplit(corpus.map((f) => f.relPath), mulberry32(seed));
    const halves: Array<[string, number[]]> = [
      [`A${seed}`, a],
      [`B${seed}`, b],
    ];
    for (const [dir, [trainName, train], [testName, test]] of [
      [0, halves[0]!, halves[1]!],
      [1, halves[1]!, halves[0]!],
    ] as const) {
      const tf = performance.now();
      const windows = (idx: number[]) => idx.reduce((s, i) => s + infos[i]!.numWindows, 0);
      console.log(`\nfold ${trainName}→${testName}: train ${train.length} files (${windows(train)} windows), test ${test.length} files (${windows(test)} windows)`);
      const f = fit(train, 1000 * seed + dir, `${trainName}→${testName}`);
      const { heldOut, own } = scoreHeldOut(test, f.config, f.thresholds);
      const fold: Fold = {
        seed,
        train: trainName,
        test: testName,
        knobs: f.result.knobs,
        evaluations: f.result.evaluations,
        trainScores: f.trainScores,
        thresholds: f.thresholds,
        heldOut,
        heldOutOwnThreshold: own,
        seconds: (performance.now() - tf) / 1000,
      };
      folds.push(fold);
      console.log(`  chosen (changes from defaults): ${JSON.stringify(diffFromDefaults(fold.knobs))}`);
      console.log(`  training thresholds ${fold.thresholds.map((x) => x.toFixed(4)).join(" / ")}`);
      console.log(`  training ${trainName} ${fmt(fold.trainScores)} → held-out ${testName} ${fmt(fold.heldOut)} (at its own threshold: ${fmt(own)}) [${fold.seconds.toFixed(0)} s]`);
    }
  }

  let inSample: { knobs: Knobs; atRule: Triple; swept: Triple; defaults: Triple } | null = null;
  if (opts.inSample) {
    const all = corpus.map((_, i) => i);
    console.log(`\nin-sample: the same search on all ${corpus.length} files`);
    const f = fit(all, 99, "all");
    // Board-comparable: NAB's optimizer picks each profile's threshold on the scored corpus.
    const swept = (scores: Float64Array[]) => PROFILE_NAMES.map((p) => scoreProfile(infos, scores, p, profiles[p]!, { perFile: false }).normalized) as Triple;
    inSample = { knobs: f.result.knobs, atRule: f.trainScores, swept: swept(runDetector(corpus, f.config)), defaults: swept(runDetector(corpus, configOf({}))) };
  }

  console.log("\n| fold | chosen knobs (changes from defaults) | training | held-out (training threshold) |");
  console.log("|---|---|---|---|");
  for (const f of folds) console.log(`| ${f.train}→${f.test} | \`${JSON.stringify(diffFromDefaults(f.knobs))}\` | ${fmt(f.trainScores)} | **${fmt(f.heldOut)}** |`);
  const oos = PROFILE_NAMES.map((_, j) => mean(folds.map((f) => f.heldOut[j]!)));
  console.log(`\nout-of-sample (standard / reward_low_FP_rate / reward_low_FN_rate): ${fmt(oos)}`);
  console.log(`  per fold, standard: ${folds.map((f) => f.heldOut[0]!.toFixed(2)).join(", ")}; held-out at its own threshold: ${fmt(PROFILE_NAMES.map((_, j) => mean(folds.map((f) => f.heldOutOwnThreshold[j]!))))}`);
  if (inSample) {
    console.log(`in-sample, search on all files: ${fmt(inSample.swept)} (NAB's threshold optimizer${opts.threshold === "fire" ? `; ${fmt(inSample.atRule)} at fireLevel` : ""}) with ${JSON.stringify(diffFromDefaults(inSample.knobs))}`);
    console.log(`in-sample, detector defaults:   ${fmt(inSample.defaults)} (NAB's threshold optimizer)`);
  }
  console.log(`total ${elapsed()}`);
  console.log(`out-of-sample mean: ${oos[0]!.toFixed(2)}`);
}

export const DEFAULT_CV = { grid: CV_GRID, seeds: [1, 2, 3, 4], starts: 3, objective: "train", threshold: "fire", minGain: 0.5 } as const;
