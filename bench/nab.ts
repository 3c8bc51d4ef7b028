/**
 * NAB benchmark: run one detector configuration over the whole corpus, write
 * NAB's official results files, then score them with our replica of NAB's
 * scorer (bench/nab-scorer) and print the three profile scores next to the
 * published scoreboard.
 *
 *   npm run bench:nab -- --out DIR --name NAME [--detector <type or JSON config>]
 *                        [--half A|B] [--score-only] [--per-file]
 *   npm run bench:nab -- --protocol cv [--detector <JSON>] [--grid JSON] [--seeds 1,2,3,4] [--starts 3] [--no-in-sample]
 *
 *   --out DIR        results root; files go to DIR/NAME/<category>/NAME_<file>.csv
 *   --name NAME      detector name (alphanumeric only: NAB splits file names on "_")
 *   --detector X     a detector type ("ensemble", "zscore", …) or a JSON config;
 *                    default: the ensemble with its default (NAB-tuned) config
 *   --half A|B       only the even (A) / odd (B) files of the corpus sorted by
 *                    path — the split-half check (scored as a corpus of its own)
 *   --score-only     do not run the detector; score the existing results files
 *   --per-file       print each file's standard-profile score and detections
 *   --protocol P     insample (default): one configuration, threshold optimized
 *                    on the corpus it scores (how every NAB board entry is scored);
 *                    cv: 2-fold cross-validation by file, every knob and the
 *                    threshold chosen on one half and scored on the other
 *                    (bench/nab-cv.ts); ends with `out-of-sample mean: NN.NN`
 *   --grid JSON      cv: the knob grid ({"knob": [values…]}; default CV_GRID)
 *   --seeds LIST     cv: split seeds (default 1,2,3,4)
 *   --starts N       cv: random starting points of the search (default 3)
 *   --no-in-sample   cv: skip the search on all files
 *   NAB_ROOT=…       corpus location (default: bench/nab/corpus, vendored)
 *
 * Each file is streamed row by row, in file order, through a fresh detector
 * (one configuration for the whole corpus; labels are never shown to it).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

import { createDetector, parseDetectorConfig, type DetectorConfig } from "@/lib/insight/detectors/config";
import { DEFAULT_NAB_ROOT, PROFILE_NAMES, labelRows, listCorpusFiles, loadCorpus, loadProfiles } from "@/bench/nab-scorer/corpus";
import { parseNabResultsScores } from "@/bench/nab-scorer/csv";
import { computeSweepInfo, detectionSummary, scoreProfile, type ProfileResult } from "@/bench/nab-scorer/scorer";

import { DEFAULT_CV, runCvProtocol } from "./nab-cv";

/** SCOREBOARD.md section 3, re-optimized columns (standard, low FP, low FN). */
const SCOREBOARD: Array<[string, number, number, number]> = [
  ["Perfect", 100, 100, 100],
  ["ARTime", 74.8538, 65.154, 80.3623],
  ["Numenta HTM (numenta)", 70.1011, 63.2092, 74.3202],
  ["CAD OSE (contextOSE)", 69.8996, 66.9771, 73.1817],
  ["htmjava", 66.0639, 58.7956, 70.7396],
  ["numentaTM", 64.5535, 56.6653, 69.3761],
  ["earthgecko Skyline", 58.2002, 46.1953, 63.8001],
  ["KNN CAD", 57.9943, 43.4085, 64.8123],
  ["Relative Entropy", 54.6427, 47.5984, 58.8423],
  ["Random Cut Forest", 51.7171, 38.3608, 59.7488],
  ["Twitter ADVec", 47.062, 33.6101, 53.5011],
  ["Windowed Gaussian", 39.6495, 20.868, 47.41],
  ["Etsy Skyline", 35.687, 27.0812, 44.481],
  ["Bayesian Changepoint", 17.714, 5.133, 32.2566],
  ["Random (one seed)", 17.6554, 7.48, 27.5749],
  ["EXPoSE", 16.4367, 3.4651, 26.9209],
  ["Null", 0, 0, 0],
];

function usage(msg: string): never {
  console.error(
    `error: ${msg}\nusage: bench/nab.ts --out DIR --name NAME [--detector <type|JSON>] [--half A|B] [--score-only] [--per-file]\n` +
      `       bench/nab.ts --protocol cv [--detector <JSON>] [--grid JSON] [--seeds 1,2,3,4] [--starts 3] [--no-in-sample]`,
  );
  process.exit(2);
}

function parseDetectorArg(arg: string | undefined): DetectorConfig {
  if (!arg) return parseDetectorConfig({ type: "ensemble" });
  const text = arg.trim();
  return parseDetectorConfig(text.startsWith("{") ? JSON.parse(text) : { type: text });
}

function main(): void {
  const { values } = parseArgs({
    options: {
      out: { type: "string" },
      name: { type: "string" },
      detector: { type: "string" },
      half: { type: "string" },
      "score-only": { type: "boolean", default: false },
      "per-file": { type: "boolean", default: false },
      protocol: { type: "string", default: "insample" },
      grid: { type: "string" },
      seeds: { type: "string" },
      starts: { type: "string" },
      "no-in-sample": { type: "boolean", default: false },
      objective: { type: "string" },
      threshold: { type: "string" },
      "min-gain": { type: "string" },
    },
    allowPositionals: false,
  });
  if (values.protocol === "cv") {
    const { type, ...base } = parseDetectorArg(values.detector);
    if (type !== "ensemble") usage("--protocol cv tunes the ensemble");
    const explicit = values.detector ? (JSON.parse(values.detector) as Record<string, unknown>) : {};
    const seeds = values.seeds ? values.seeds.split(",").map(Number) : [...DEFAULT_CV.seeds];
    const starts = values.starts ? Number(values.starts) : DEFAULT_CV.starts;
    if (seeds.some((s) => !Number.isInteger(s))) usage("--seeds must be integers");
    if (!(Number.isInteger(starts) && starts >= 1)) usage("--starts must be a positive integer");
    if (values.objective && !["train", "nested"].includes(values.objective)) usage("--objective must be train or nested");
    if (values.threshold && !["sweep", "fire"].includes(values.threshold)) usage("--threshold must be sweep or fire");
    runCvProtocol({
      root: DEFAULT_NAB_ROOT,
      // Only the knobs given explicitly are held fixed; the rest are searched.
      base: Object.fromEntries(Object.entries(base).filter(([k]) => k in explicit)),
      grid: values.grid ? JSON.parse(values.grid) : DEFAULT_CV.grid,
      seeds,
      starts,
      inSample: !values["no-in-sample"],
      objective: (values.objective ?? DEFAULT_CV.objective) as "train" | "nested",
      threshold: (values.threshold ?? DEFAULT_CV.threshold) as "sweep" | "fire",
      minGain: values["min-gain"] ? Number(values["min-gain"]) : DEFAULT_CV.minGain,
    });
    return;
  }
  if (values.protocol !== "insample") usage("--protocol must be insample or cv");
  if (!values.out) usage("--out is required");
  if (!values.name) usage("--name is required");
  const name = values.name;
  if (!/^[A-Za-z0-9]+$/.test(name)) usage("--name must be alphanumeric (NAB splits file names on '_')");
  const half = values.half?.toUpperCase();
  if (half !== undefined && half !== "A" && half !== "B") usage("--half must be A or B");

  const root = DEFAULT_NAB_ROOT;
  let files = listCorpusFiles(root);
  if (half) files = files.filter((_, i) => i % 2 === (half === "A" ? 0 : 1));
  const outDir = path.join(values.out, name);
  const config = parseDetectorArg(values.detector);

  const t0 = performance.now();
  const corpus = loadCorpus(root, files);
  const tLoad = performance.now() - t0;

  // 1. Detection: stream each file through a fresh detector, write results.
  let tDetect = 0;
  let rows = 0;
  if (!values["score-only"]) {
    for (const f of corpus) {
      const t = performance.now();
      const det = createDetector(config);
      const n = f.values.length;
      const scores = new Float64Array(n);
      for (let i = 0; i < n; i++) scores[i] = det.update(f.timestamps[i]!, f.values[i]!);
      tDetect += performance.now() - t;
      rows += n;
      const labels = labelRows(f.timestamps, f.windows);
      const lines = new Array<string>(n + 1);
      lines[0] = "timestamp,value,anomaly_score,label";
      for (let i = 0; i < n; i++) {
        // String(x) is the shortest round-tripping repr, like Python's repr.
        lines[i + 1] = `${f.timestampText[i]},${f.valueText[i]},${String(scores[i])},${labels[i]}`;
      }
      const dir = path.join(outDir, f.category);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, `${name}_${f.fileName}`), lines.join("\n") + "\n");
    }
  }

  // 2. Scoring: read the results files back (what NAB's scorer would see).
  const t2 = performance.now();
  const infos = corpus.map((f) => computeSweepInfo(f.relPath, f.timestamps, f.windows));
  const scoresPerFile = corpus.map((f) => {
    const p = path.join(outDir, f.category, `${name}_${f.fileName}`);
    const s = parseNabResultsScores(readFileSync(p, "utf8"), p);
    if (s.length !== f.values.length) throw new Error(`${p}: ${s.length} rows, data has ${f.values.length}`);
    return s;
  });
  const profiles = loadProfiles(root);
  const results: ProfileResult[] = PROFILE_NAMES.map((p) => scoreProfile(infos, scoresPerFile, p, profiles[p]!));
  const tScore = performance.now() - t2;

  // 3. Report.
  const std = results[0]!;
  let hits = 0;
  let fpRows = 0;
  const perFile: string[] = [];
  infos.forEach((info, k) => {
    const d = detectionSummary(info, scoresPerFile[k]!, std.threshold);
    hits += d.windowsHit;
    fpRows += d.fpRows;
    if (values["per-file"]) {
      const fs = std.perFile[k]!;
      perFile.push(
        `  ${info.name.padEnd(58)} ${fs.score.toFixed(3).padStart(7)}  windows ${d.windowsHit}/${info.numWindows}  FP rows ${d.fpRows}` +
          (d.firstHitPositions.length ? `  TP credit ${d.firstHitPositions.map((x) => x.toFixed(2)).join(",")}` : ""),
      );
    }
  });
  const numWindows = infos.reduce((s, i) => s + i.numWindows, 0);
  console.log(`NAB corpus: ${corpus.length} files${half ? ` (half ${half})` : ""}, ${corpus.reduce((s, f) => s + f.values.length, 0)} rows, ${numWindows} windows — ${root}`);
  console.log(`detector ${name}: ${JSON.stringify(config)}`);
  if (!values["score-only"]) {
    console.log(`detection: ${(tDetect / 1000).toFixed(2)} s for ${rows} rows (${Math.round(rows / (tDetect / 1000)).toLocaleString("en-US")} rows/s); load ${(tLoad / 1000).toFixed(2)} s; scoring ${(tScore / 1000).toFixed(2)} s`);
  }
  console.log(`results: ${outDir}`);
  if (perFile.length) console.log(perFile.join("\n"));
  console.log("");
  console.log("| profile | threshold | raw | normalized | TP rows | FP rows | FN rows |");
  console.log("|---|---|---|---|---|---|---|");
  for (const r of results) {
    console.log(`| ${r.profile} | ${r.threshold} | ${r.raw.toFixed(4)} | **${r.normalized.toFixed(2)}** | ${r.tp} | ${r.fp} | ${r.fn} |`);
  }
  console.log(`\nstandard profile at its threshold: ${hits}/${numWindows} windows detected, ${fpRows} false-positive rows\n`);
  const rowsOut: Array<[string, number, number, number]> = [[`**${name} (this run)**`, results[0]!.normalized, results[1]!.normalized, results[2]!.normalized], ...SCOREBOARD];
  rowsOut.sort((a, b) => b[1] - a[1]);
  console.log("| detector | standard | reward_low_FP | reward_low_FN |");
  console.log("|---|---|---|---|");
  for (const [d, a, b, c] of rowsOut) console.log(`| ${d} | ${a.toFixed(2)} | ${b.toFixed(2)} | ${c.toFixed(2)} |`);
  if (half) console.log("\n(scoreboard numbers are for the full corpus; a half is not directly comparable)");

  writeFileSync(
    path.join(outDir, `${name}_summary.json`),
    JSON.stringify(
      {
        name,
        config,
        half: half ?? null,
        files: corpus.length,
        windows: numWindows,
        profiles: Object.fromEntries(results.map((r) => [r.profile, { threshold: r.threshold, raw: r.raw, normalized: r.normalized, tp: r.tp, fp: r.fp, fn: r.fn, tn: r.tn }])),
        windowsDetected: hits,
        falsePositiveRows: fpRows,
      },
      null,
      2,
    ) + "\n",
  );
}

main();
