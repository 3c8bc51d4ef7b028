import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { createDetector } from "@/lib/insight/detectors/config";

import { PROFILE_NAMES, labelRows, loadCorpus, loadProfiles, type CostMatrix } from "./corpus";
import { formatNabTimestamp, parseNabDataCsv, parseNabResultsScores, parseNabTimestamp, parseStrictNumber } from "./csv";
import {
  KIND_PROBATION,
  KIND_WINDOW,
  calcScoreByThreshold,
  computeSweepInfo,
  matchThreshold,
  probationaryLength,
  scaledSigmoid,
  scoreProfile,
  stableOrderDescending,
} from "./scorer";

const STD: CostMatrix = { tpWeight: 1, fpWeight: 0.11, fnWeight: 1 };
const MIN = 60_000;
const MAX_TP = scaledSigmoid(-1);

/** n rows, 1 min apart, windows given as [startRow, endRow] (inclusive). */
function synthetic(n: number, windows: Array<[number, number]>) {
  const ts = Array.from({ length: n }, (_, i) => Date.UTC(2020, 0, 1) + i * MIN);
  return { ts, windows: windows.map(([a, b]) => [ts[a]!, ts[b]!] as [number, number]) };
}

function scoreAt(n: number, windows: Array<[number, number]>, alarms: number[], cost = STD, probation = 0): number {
  const { ts, windows: w } = synthetic(n, windows);
  const info = computeSweepInfo("f", ts, w, probation);
  const scores = new Float64Array(n);
  for (const a of alarms) scores[a] = 1;
  const rows = calcScoreByThreshold([info], [scores], cost);
  return matchThreshold(rows, 1)!.score;
}

describe("csv", () => {
  it("parses CRLF, a missing final newline, scientific notation and a BOM", () => {
    const text = "\ufefftimestamp,value\r\n2014-04-01 00:00:00,-1.03989471325e-05\r\n2014-04-01 00:05:00,10844";
    const s = parseNabDataCsv(text);
    expect(s.values[0]).toBe(-1.03989471325e-5);
    expect(s.values[1]).toBe(10844);
    expect(s.timestamps[1]! - s.timestamps[0]!).toBe(5 * MIN);
    expect(s.timestampText).toEqual(["2014-04-01 00:00:00", "2014-04-01 00:05:00"]);
    expect(s.valueText[0]).toBe("-1.03989471325e-05");
  });

  it("keeps duplicated and backwards timestamps in file order", () => {
    const s = parseNabDataCsv("timestamp,value\n2014-01-07 02:55:00,1\n2014-01-07 02:00:00,2\n2014-01-07 02:00:00,3\n");
    expect(Array.from(s.values)).toEqual([1, 2, 3]);
    expect(s.timestamps[1]).toBe(s.timestamps[2]);
    expect(s.timestamps[1]!).toBeLessThan(s.timestamps[0]!);
  });

  it("parses window timestamps with fractions and round-trips formatting", () => {
    expect(parseNabTimestamp("2014-10-30 15:30:00.000000")).toBe(parseNabTimestamp("2014-10-30 15:30:00"));
    expect(formatNabTimestamp(parseNabTimestamp("2014-03-09 03:00:00"))).toBe("2014-03-09 03:00:00");
  });

  it("rejects malformed numbers and timestamps", () => {
    expect(() => parseStrictNumber("")).toThrow();
    expect(() => parseStrictNumber("1,5")).toThrow();
    expect(() => parseStrictNumber("abc")).toThrow();
    expect(() => parseNabDataCsv("timestamp,value\n2014-01-01,1\n")).toThrow(/timestamp/);
    expect(() => parseNabDataCsv("timestamp,value\n2014-01-01 00:00:00,\n")).toThrow(/number/);
  });

  it("reads the anomaly_score column of a results file by name", () => {
    const s = parseNabResultsScores("timestamp,value,anomaly_score,label\r\n2014-01-01 00:00:00,5,0.30000000000000004,0\r\n2014-01-01 00:05:00,6,1,1");
    expect(Array.from(s)).toEqual([0.30000000000000004, 1]);
  });
});

describe("NAB scoring rules", () => {
  it("scaledSigmoid matches NAB's documented values", () => {
    expect(scaledSigmoid(-1)).toBeCloseTo(0.98661, 5);
    expect(scaledSigmoid(-0.5)).toBeCloseTo(0.84828, 5);
    expect(scaledSigmoid(0)).toBe(0);
    expect(scaledSigmoid(1)).toBeCloseTo(-0.98661, 5);
    expect(scaledSigmoid(3.0001)).toBe(-1);
  });

  it("probationary period is min(floor(0.15·n), 750)", () => {
    expect(probationaryLength(4032)).toBe(604);
    expect(probationaryLength(1127)).toBe(169);
    expect(probationaryLength(22695)).toBe(750);
  });

  it("a detection at a window's first row earns exactly the TP weight", () => {
    expect(scoreAt(100, [[40, 49]], [40])).toBe(1);
  });

  it("a detection in the middle of a window earns the sigmoid of its position", () => {
    // width 10 (rows 40..49); row 45: position −(49 − 45 + 1)/10 = −0.5
    expect(scoreAt(100, [[40, 49]], [45])).toBeCloseTo(scaledSigmoid(-0.5) / MAX_TP, 12);
    // only the earliest detection counts; later ones in the window are free
    expect(scoreAt(100, [[40, 49]], [45, 47, 49])).toBeCloseTo(scaledSigmoid(-0.5) / MAX_TP, 12);
    expect(scoreAt(100, [[40, 49]], [49])).toBeCloseTo(scaledSigmoid(-0.1) / MAX_TP, 12);
  });

  it("a false positive before the first window costs the full FP weight", () => {
    expect(scoreAt(100, [[40, 49]], [10])).toBeCloseTo(-0.11 - 1, 12);
    expect(scoreAt(100, [[40, 49]], [10, 11])).toBeCloseTo(-0.22 - 1, 12);
  });

  it("a false positive after a window is weighted by the sigmoid of its distance", () => {
    // window rows 40..49 (width 10): row 52 is 3 rows past the end → 3/9
    expect(scoreAt(100, [[40, 49]], [52])).toBeCloseTo(scaledSigmoid(3 / 9) * 0.11 - 1, 12);
    // just after the window it costs almost nothing; far away the full weight
    expect(scoreAt(100, [[40, 49]], [50])).toBeCloseTo(scaledSigmoid(1 / 9) * 0.11 - 1, 12);
    expect(scoreAt(100, [[40, 49]], [90])).toBeCloseTo(-0.11 - 1, 12);
  });

  it("ignores probationary rows (and counts a missed window as −FN weight)", () => {
    // 100 rows: probation = floor(15) = 15 rows
    expect(scoreAt(100, [[40, 49]], [3, 14], STD, 0.15)).toBe(-1);
    expect(scoreAt(100, [[40, 49]], [15], STD, 0.15)).toBeCloseTo(-1.11, 12);
    const { ts, windows } = synthetic(100, [[40, 49]]);
    const info = computeSweepInfo("f", ts, windows);
    expect(info.kind[14]).toBe(KIND_PROBATION);
    expect(info.kind[40]).toBe(KIND_WINDOW);
  });

  it("uses the profile weights", () => {
    const lowFN: CostMatrix = { tpWeight: 1, fpWeight: 0.11, fnWeight: 2 };
    expect(scoreAt(100, [[40, 49]], [])).toBe(-1);
    expect(scoreAt(100, [[40, 49]], [], lowFN)).toBe(-2);
    expect(scoreAt(100, [[40, 49], [70, 79]], [70], lowFN)).toBe(1 - 2);
  });

  it("windows are located by timestamp, with first occurrences for duplicated timestamps", () => {
    const { ts } = synthetic(20, []);
    ts[11] = ts[10]!; // a repeated timestamp inside the window
    const info = computeSweepInfo("f", ts, [[ts[8]!, ts[12]!]], 0);
    expect(Array.from(info.kind.slice(7, 14))).toEqual([0, 1, 1, 1, 1, 1, 0]);
    expect(() => computeSweepInfo("f", ts, [[ts[8]! + 1, ts[12]!]], 0)).not.toThrow(); // never entered
    expect(() => computeSweepInfo("f", ts, [[ts[8]!, ts[12]! + 1]], 0)).toThrow(/not a row timestamp/);
  });

  it("orders scores like Python's stable sorted(reverse=True)", () => {
    const s = Float64Array.from([0.5, 1, 0.5, 0, 1, 0.25]);
    expect(Array.from(stableOrderDescending(s))).toEqual([1, 4, 0, 2, 5, 3]);
  });

  it("the threshold sweep agrees with a direct application of the rules", () => {
    let seed = 12345;
    const r = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
    const files = [
      { n: 300, w: [[60, 79], [150, 189], [250, 259]] as Array<[number, number]> },
      { n: 200, w: [] as Array<[number, number]> },
      { n: 120, w: [[100, 119]] as Array<[number, number]> },
    ];
    const infos = files.map((f, k) => {
      const { ts, windows } = synthetic(f.n, f.w);
      return computeSweepInfo(`f${k}`, ts, windows);
    });
    const scores = files.map((f) => Float64Array.from({ length: f.n }, () => Math.round(r() * 40) / 40));
    const rows = calcScoreByThreshold(infos, scores, STD);
    expect(rows[0]!.threshold).toBe(1.1);
    expect(rows[0]!.score).toBeCloseTo(-4, 12); // 4 windows, all missed
    for (const row of rows.slice(1)) {
      // Direct: per file, earliest detection per window, FPs by the rules.
      let total = 0;
      files.forEach((f, k) => {
        const prob = probationaryLength(f.n);
        for (const [a, b] of f.w) {
          let first = -1;
          for (let i = Math.max(a, prob); i <= b; i++) if (scores[k]![i]! >= row.threshold) { first = i; break; }
          total += first < 0 ? -1 : scaledSigmoid(-(b - first + 1) / (b - a + 1)) / MAX_TP;
        }
        for (let i = prob; i < f.n; i++) {
          if (!(scores[k]![i]! >= row.threshold) || f.w.some(([a, b]) => i >= a && i <= b)) continue;
          const prev = f.w.filter(([, b]) => b < i).pop();
          total += prev ? scaledSigmoid((i - prev[1]) / (prev[1] - prev[0])) * 0.11 : -0.11;
        }
      });
      expect(row.score).toBeCloseTo(total, 10);
    }
  });

  it("picks the first of the best thresholds and reports per-file scores that add up", () => {
    const { ts, windows } = synthetic(100, [[40, 49]]);
    const info = computeSweepInfo("f", ts, windows, 0);
    const s = new Float64Array(100);
    s[40] = 0.9;
    s[41] = 0.8; // same score at 0.8 and 0.9: the higher threshold wins
    s[10] = 0.5; // an FP below
    const res = scoreProfile([info], [s], "standard", STD);
    expect(res.threshold).toBe(0.9);
    expect(res.raw).toBe(1);
    expect(res.normalized).toBe(100);
  });
});

// The corpus is vendored (bench/nab/corpus): a missing file fails here, it is never skipped.
describe("on the NAB corpus", () => {
  const corpus = loadCorpus();
  const profiles = loadProfiles();
  const infos = corpus.map((f) => computeSweepInfo(f.relPath, f.timestamps, f.windows));

  it("has the documented shape", () => {
    expect(corpus.length).toBe(58);
    expect(corpus.reduce((s, f) => s + f.values.length, 0)).toBe(365_558);
    expect(infos.reduce((s, i) => s + i.numWindows, 0)).toBe(116);
    const inWindow = corpus.reduce((s, f) => s + labelRows(f.timestamps, f.windows).reduce((a, b) => a + b, 0), 0);
    expect(inWindow).toBe(33_495);
  });

  it("the null detector scores 0 on every profile", () => {
    const zeros = corpus.map((f) => new Float64Array(f.values.length));
    for (const p of PROFILE_NAMES) expect(scoreProfile(infos, zeros, p, profiles[p]!).normalized).toBe(0);
  });

  it("a detector firing exactly at each window's first row scores 100", () => {
    const perfect = corpus.map((f, k) => {
      const s = new Float64Array(f.values.length);
      const info = infos[k]!;
      for (let i = 0; i < info.n; i++) if (info.kind[i] === KIND_WINDOW && (i === 0 || info.windowIdx[i - 1] !== info.windowIdx[i])) s[i] = 1;
      return s;
    });
    for (const p of PROFILE_NAMES) expect(scoreProfile(infos, perfect, p, profiles[p]!).normalized).toBeCloseTo(100, 9);
  });

  it("a random detector lands near NAB's published random scores", () => {
    // Published (README): 7.95 to 16.83 standard over seeds, 17.66 for the shipped seed re-optimized.
    let seed = 7;
    const r = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
    const random = corpus.map((f) => Float64Array.from({ length: f.values.length }, r));
    const std = scoreProfile(infos, random, "standard", profiles.standard!).normalized;
    expect(std).toBeGreaterThan(5);
    expect(std).toBeLessThan(25);
  });

  it("the default ensemble scores in-sample what bench/NAB_RESULTS.md reports (standard, ±0.5)", () => {
    const doc = readFileSync(path.resolve(import.meta.dirname, "../NAB_RESULTS.md"), "utf8");
    const line = /^\| in-sample, board-comparable[^|]*\| \**([0-9]+\.[0-9]+)\**/m.exec(doc);
    expect(line, "NAB_RESULTS.md has no '| in-sample, board-comparable … | NN.NN' row").not.toBeNull();
    const scores = corpus.map((f) => {
      const det = createDetector({ type: "ensemble" });
      return Float64Array.from(f.values, (v, i) => det.update(f.timestamps[i]!, v));
    });
    const std = scoreProfile(infos, scores, "standard", profiles.standard!, { perFile: false }).normalized;
    expect(Math.abs(std - Number(line![1]))).toBeLessThanOrEqual(0.5);
  }, 120_000);
});
