/**
 * Detector throughput: points/s of each detector (single core) on a
 * deterministic 10-million-point series, and the same rolling z-score and EWMA
 * computations in pandas on the same data, in the same run.
 *
 *   npm run bench:detectors -- [--points N] [--reps R (5)] [--detectors zscore,ewma,…]
 *
 * The series (seeded PRNG noise + daily sine + a few spikes, 1-minute steps) is
 * written as raw float64 to a temp file that bench/pandas_baseline.py reads
 * (Debian's python3-pandas: `apt-get install -y python3-pandas`, run with
 * /usr/bin/python3; override with $PANDAS_PYTHON). Medians over R repetitions
 * are printed. The z-values of both sides are compared at a few probe points.
 * Each detector is timed in its own child process (fresh V8 state).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

import { createDetector, detectorTypes, parseDetectorConfig } from "@/lib/insight/detectors/config";
import { EwmaDetector } from "@/lib/insight/detectors/ewma";
import type { EwmaConfig, ZScoreConfig } from "@/lib/insight/detectors/config";
import { RollingZScoreDetector } from "@/lib/insight/detectors/zscore";
import { mulberry32 } from "../test/random";

const DAY = 86_400_000;
const STEP = 60_000;

/** Timestamps are t0 + i·STEP (1 minute), rebuilt on the fly by the timing loop. */
function makeSeries(n: number): { ts: Float64Array; xs: Float64Array } {
  const r = mulberry32(20240601);
  const ts = new Float64Array(n);
  const xs = new Float64Array(n);
  const t0 = Date.UTC(2024, 0, 1);
  for (let i = 0; i < n; i++) {
    const t = t0 + i * STEP;
    const noise = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
    let x = 100 + 10 * Math.sin((2 * Math.PI * (t % DAY)) / DAY) + 2 * noise;
    if (i % 100_003 === 50_000) x += 60; // a spike every ~70 days
    ts[i] = t;
    xs[i] = x;
  }
  return { ts, xs };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

function fmtRate(pps: number): string {
  return Math.round(pps).toLocaleString("en-US");
}

interface PandasOut {
  pandas: string;
  numpy: string;
  python: string;
  points: number;
  results: Record<string, { seconds: number[]; probes: Record<string, number | null> }>;
}

/**
 * Child mode: time one detector on the series file and print JSON. Each
 * detector runs in its own process so V8's inline caches and heap only ever
 * see that detector (one shared timing loop turns megamorphic and slows the
 * detectors measured later).
 */
function child(type: string, file: string, reps: number): void {
  const buf = readFileSync(file);
  const xs = new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
  const n = xs.length;
  const t0 = Date.UTC(2024, 0, 1);
  const config = parseDetectorConfig({ type });
  const times: number[] = [];
  let checksum = 0;
  // Warm-up (JIT tiering) on a throw-away detector, not timed.
  const warm = createDetector(config);
  for (let i = 0, m = Math.min(n, 1_000_000); i < m; i++) checksum += warm.update(t0 + i * STEP, xs[i]!);
  for (let r = 0; r < reps; r++) {
    const det = createDetector(config);
    let sum = 0;
    const t = performance.now();
    for (let i = 0; i < n; i++) sum += det.update(t0 + i * STEP, xs[i]!);
    times.push((performance.now() - t) / 1000);
    checksum = sum;
  }
  process.stdout.write(JSON.stringify({ times, checksum }));
}

function main(): void {
  const { values } = parseArgs({
    options: {
      points: { type: "string", default: "10000000" },
      reps: { type: "string", default: "5" },
      detectors: { type: "string", default: detectorTypes.join(",") },
      child: { type: "string" },
      file: { type: "string" },
    },
  });
  if (values.child) {
    child(values.child, values.file!, Number(values.reps));
    return;
  }
  const n = Number(values.points);
  const reps = Number(values.reps);
  if (!(n > 1000) || !(reps >= 1)) throw new Error("--points must be > 1000 and --reps >= 1");
  const types = values.detectors.split(",").map((s) => s.trim());

  const tGen = performance.now();
  const { ts, xs } = makeSeries(n);
  const dir = mkdtempSync(path.join(os.tmpdir(), "neuralops-bench-"));
  const file = path.join(dir, "series.f64");
  writeFileSync(file, new Uint8Array(xs.buffer, xs.byteOffset, xs.byteLength));
  console.log(`series: ${n.toLocaleString("en-US")} points (generated + written in ${((performance.now() - tGen) / 1000).toFixed(1)} s), ${reps} repetitions, node ${process.version}`);

  try {
    // --- Timing: repetitions interleaved (ours, then pandas, per round), so a
    // busy machine slows both sides alike; each detector in its own process. ---
    const py = process.env.PANDAS_PYTHON ?? "/usr/bin/python3";
    const script = path.join(import.meta.dirname, "pandas_baseline.py");
    const zConf = parseDetectorConfig({ type: "zscore" }) as ZScoreConfig;
    const eConf = parseDetectorConfig({ type: "ewma" }) as EwmaConfig;
    const probes = [1000, Math.floor(n / 3), Math.floor(n / 2) + 7, 50_000, n - 1].filter((p) => p < n);
    // Without pandas (python3-pandas not installed) our figures are still measured and printed.
    let pandasOk = true;
    const runPandas = (r: number): PandasOut | null => {
      if (!pandasOk) return null;
      const res = spawnSync(py, [script, file, "--window", String(zConf.window), "--alpha", String(eConf.alpha), "--reps", String(r), "--probes", probes.join(",")], {
        encoding: "utf8",
        maxBuffer: 1 << 24,
      });
      if (res.status !== 0) {
        console.error(res.stderr || res.error?.message);
        console.error(`pandas baseline failed (is python3-pandas installed for ${py}?): printing our figures only`);
        pandasOk = false;
        return null;
      }
      return JSON.parse(res.stdout) as PandasOut;
    };
    const oursTimes: Record<string, number[]> = Object.fromEntries(types.map((t) => [t, []]));
    const pandasTimes: Record<string, number[]> = { zscore: [], ewma: [] };
    const checksums: Record<string, number> = {};
    let pd: PandasOut | null = null;
    for (let r = 0; r < reps; r++) {
      for (const type of types) {
        const res = spawnSync(process.execPath, [...process.execArgv, import.meta.filename, "--child", type, "--file", file, "--reps", "1"], {
          encoding: "utf8",
          maxBuffer: 1 << 20,
          stdio: ["ignore", "pipe", "inherit"],
        });
        if (res.status !== 0) throw new Error(`benchmark of ${type} failed (exit ${res.status})`);
        const out = JSON.parse(res.stdout) as { times: number[]; checksum: number };
        oursTimes[type]!.push(...out.times);
        checksums[type] = out.checksum;
      }
      const round = runPandas(1);
      if (round) {
        pd = round;
        for (const k of ["zscore", "ewma"]) pandasTimes[k]!.push(...round.results[k]!.seconds);
      }
      console.log(
        `  round ${r + 1}/${reps}: ` +
          types.map((t) => `${t} ${oursTimes[t]!.at(-1)!.toFixed(2)}s`).join(", ") +
          (round ? `; pandas zscore ${pandasTimes.zscore!.at(-1)!.toFixed(2)}s, ewma ${pandasTimes.ewma!.at(-1)!.toFixed(2)}s` : ""),
      );
    }
    const ours: Record<string, number> = {};
    for (const type of types) {
      ours[type] = median(oursTimes[type]!);
      console.log(`  ${type.padEnd(9)} median ${ours[type]!.toFixed(3)} s → ${fmtRate(n / ours[type]!)} points/s  (score sum ${checksums[type]!.toFixed(4)})`);
    }

    // --- Probe values of our z-scores ------------------------------------------
    const ourProbes: Record<string, Record<number, number>> = { zscore: {}, ewma: {} };
    {
      const zd = new RollingZScoreDetector(zConf);
      const ed = new EwmaDetector(eConf);
      const want = new Set(probes);
      for (let i = 0; i < n; i++) {
        if (want.has(i)) {
          ourProbes.zscore![i] = zd.z(xs[i]!);
          ourProbes.ewma![i] = ed.z(xs[i]!);
        }
        zd.update(ts[i]!, xs[i]!);
        ed.update(ts[i]!, xs[i]!);
      }
    }

    if (pd) {
      console.log(`pandas ${pd.pandas} / numpy ${pd.numpy} / python ${pd.python}`);
      let maxRel = 0;
      for (const name of ["zscore", "ewma"] as const) {
        for (const p of probes) {
          const a = ourProbes[name]![p]!;
          const b = pd.results[name]!.probes[String(p)];
          if (b === null || b === undefined || !Number.isFinite(a)) continue;
          maxRel = Math.max(maxRel, Math.abs(a - b) / Math.max(1e-12, Math.abs(b)));
        }
      }
      console.log(`z-values agree with pandas at ${probes.length} probe points per computation (max relative difference ${maxRel.toExponential(2)})`);
    } else console.log("pandas: not run (no python3-pandas)");

    console.log("");
    console.log("| detector | median s | points/s | pandas median s | pandas points/s | ours / pandas |");
    console.log("|---|---|---|---|---|---|");
    for (const type of types) {
      const sec = ours[type]!;
      const p = pandasTimes[type];
      if (p?.length) {
        const psec = median(p);
        const paired = median(p.map((ps, i) => ps / oursTimes[type]![i]!));
        console.log(`| ${type} | ${sec.toFixed(3)} | ${fmtRate(n / sec)} | ${psec.toFixed(3)} | ${fmtRate(n / psec)} | **${(psec / sec).toFixed(2)}×** (per-round median ${paired.toFixed(2)}×) |`);
      } else {
        console.log(`| ${type} | ${sec.toFixed(3)} | ${fmtRate(n / sec)} | – | – | – |`);
      }
    }
    console.log("\nours: score per point (z-score → [0,1]) incl. the score transform; pandas: the z-score series only (vectorized).");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
