import { describe, expect, it } from "vitest";

import {
  createDetector,
  detectorTypes,
  parseDetectorConfig,
  restoreDetector,
  type DetectorConfigInput,
} from "./config";
import { EwmaDetector } from "./ewma";
import { MadDetector } from "./mad";
import { decFloat, decFloatArray, encFloat, encFloatArray, erfc, logErfc, surpriseScore, zToScore, zToScoreFast } from "./math";
import { SortedWindow } from "./sorted-window";
import { SeasonalDetector, detectPeriod } from "./seasonal";
import type { Detector } from "./types";
import { RollingZScoreDetector } from "./zscore";
import { mulberry32 as rng } from "@/test/random";

const DAY = 86_400_000;
const STEP = 300_000; // 5 min

function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/** A daily-seasonal series with noise, a level shift and a few spikes. */
function series(n: number, seed = 1): { ts: number[]; xs: number[] } {
  const r = rng(seed);
  const ts: number[] = [];
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = Date.UTC(2024, 0, 1) + i * STEP;
    let x = 50 + 20 * Math.sin((2 * Math.PI * (t % DAY)) / DAY) + 2 * gauss(r);
    if (i > n * 0.7) x += 15;
    if (i % 997 === 500) x += 60;
    ts.push(t);
    xs.push(x);
  }
  return { ts, xs };
}

const small: Record<(typeof detectorTypes)[number], DetectorConfigInput> = {
  zscore: { type: "zscore", window: 50, minPoints: 10 },
  ewma: { type: "ewma", alpha: 0.1, minPoints: 10 },
  mad: { type: "mad", window: 51, minPoints: 10 },
  seasonal: { type: "seasonal", detectPoints: 700, maxPeriodPoints: 300 },
  ensemble: { type: "ensemble", window: 300, seasonalDetectPoints: 700, historyWindow: 500, shortWindow: 20 },
};

function run(det: Detector, ts: number[], xs: number[], from = 0, to = xs.length): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) out.push(det.update(ts[i]!, xs[i]!));
  return out;
}

function expectBitIdentical(a: number[], b: number[]): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) throw new Error(`score ${i} differs: ${a[i]} vs ${b[i]}`);
  }
}

describe("math", () => {
  it("erfc matches known values", () => {
    expect(erfc(0)).toBeCloseTo(1, 7);
    expect(erfc(1)).toBeCloseTo(0.157299207, 7);
    expect(erfc(-1)).toBeCloseTo(1.842700793, 7);
    expect(erfc(3) / 2.20904970e-5).toBeCloseTo(1, 5);
    expect(Math.exp(logErfc(10)) / 2.08848758e-45).toBeCloseTo(1, 5);
    expect(logErfc(40)).toBeLessThan(-1500); // no underflow to -Infinity
  });

  it("zToScore is monotone, in [0,1], and does not saturate", () => {
    let prev = -1;
    for (const z of [0, 0.5, 1, 2, 3, 4, 6, 8, 10, 20, 40, 100]) {
      const s = zToScore(z);
      expect(s).toBeGreaterThan(prev);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThan(1);
      expect(zToScore(-z)).toBe(s);
      prev = s;
    }
    expect(zToScore(Number.NaN)).toBe(0);
    expect(zToScoreFast(Math.sqrt(2 * Math.log(1e5)))).toBeCloseTo(0.5, 12);
    expect(zToScoreFast(Number.NaN)).toBe(0);
    expect(zToScoreFast(-Infinity)).toBe(1);
    expect(zToScoreFast(1e200)).toBe(1);
    expect(zToScore(Infinity)).toBe(1);
    expect(surpriseScore(Math.log(1e5))).toBeCloseTo(0.5, 12);
  });

  it("encodes non-JSON floats", () => {
    for (const x of [Number.NaN, Infinity, -Infinity, -0, 0, 1.5e-300]) {
      const back = decFloat(JSON.parse(JSON.stringify(encFloat(x))));
      expect(Object.is(back, x)).toBe(true);
    }
  });
});

describe("SortedWindow", () => {
  it("agrees with a sorted array (k-th, rank, median, MAD) under a sliding window, by remove+insert and by replace", () => {
    const r = rng(7);
    const w = 37;
    const byReplace = new SortedWindow(w);
    const byRemove = new SortedWindow(w);
    const win: number[] = [];
    for (let step = 0; step < 3000; step++) {
      // Many duplicates (integers) plus some continuous values.
      const x = step % 3 === 0 ? Math.round(r() * 10) : r() * 10;
      if (win.length === w) {
        const old = win.shift()!;
        expect(byReplace.replace(old, x)).toBe(true);
        expect(byRemove.remove(old)).toBe(true);
      } else byReplace.insert(x);
      byRemove.insert(x);
      win.push(x);
      const sorted = [...win].sort((a, b) => a - b);
      for (const t of [byReplace, byRemove]) {
        expect(t.size).toBe(sorted.length);
        for (let k = 0; k < sorted.length; k++) expect(t.kth(k)).toBe(sorted[k]);
        expect(t.countLess(x)).toBe(sorted.filter((v) => v < x).length);
        const n = sorted.length;
        const med = n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
        expect(t.median()).toBe(med);
        const dev = sorted.map((v) => Math.abs(v - med)).sort((a, b) => a - b);
        const mad = n % 2 ? dev[(n - 1) / 2]! : (dev[n / 2 - 1]! + dev[n / 2]!) / 2;
        expect(t.medianAbsDeviation(med)).toBe(mad);
        const k = Math.floor(r() * n);
        expect(t.kthAbsDeviation(x, k)).toBe(sorted.map((v) => Math.abs(v - x)).sort((a, b) => a - b)[k]);
      }
    }
  });

  it("reports missing values, NaN and capacity", () => {
    const t = new SortedWindow(2);
    t.insert(1);
    expect(t.remove(2)).toBe(false);
    expect(t.replace(2, 5)).toBe(false);
    expect(t.kth(0)).toBe(1);
    t.insert(1);
    expect(() => t.insert(3)).toThrow(/full/);
    expect(() => t.replace(1, Number.NaN)).toThrow(/NaN/);
    expect(t.remove(1)).toBe(true);
    expect(t.size).toBe(1);
  });
});

describe("known answers", () => {
  it("rolling z-score: population std of the previous window", () => {
    const d = new RollingZScoreDetector(parseDetectorConfig({ type: "zscore", window: 4, minPoints: 4 }) as never);
    for (const x of [1, 2, 3, 4]) d.update(0, x);
    // mean 2.5, population variance 1.25
    expect(d.z(10)).toBeCloseTo(7.5 / Math.sqrt(1.25), 12);
    d.update(0, 10); // window now 2,3,4,10
    expect(d.z(4.75)).toBeCloseTo(0, 12);
    expect(d.update(0, 4.75)).toBe(0);
  });

  it("EWMA: West's recursion (= pandas ewm(adjust=False), bias=True)", () => {
    const d = new EwmaDetector(parseDetectorConfig({ type: "ewma", alpha: 0.5, minPoints: 2 }) as never);
    d.update(0, 1); // mean 1, var 0
    d.update(0, 3); // mean 2, var 0.5 * (0 + 0.5 * 4) = 1
    expect(d.z(4)).toBeCloseTo(2, 12);
    d.update(0, 4); // d = 2: mean 3, var 0.5 * (1 + 0.5 * 4) = 1.5
    expect(d.z(3 + Math.sqrt(1.5))).toBeCloseTo(1, 12);
  });

  it("MAD: robust z = (x − median) / (1.4826 · MAD)", () => {
    const d = new MadDetector(parseDetectorConfig({ type: "mad", window: 5, minPoints: 5 }) as never);
    for (const x of [1, 2, 3, 4, 100]) d.update(0, x);
    // median 3, deviations 2,1,0,1,97 → MAD 1
    expect(d.z(6)).toBeCloseTo(3 / 1.4826, 12);
    expect(d.z(3)).toBe(0);
    // score = z² / (z² + 2·ln 1e5)
    const z = 3 / 1.4826;
    expect(d.update(0, 6)).toBeCloseTo((z * z) / (z * z + 2 * Math.log(1e5)), 12);
  });

  it("MAD falls back to the standard deviation when MAD is 0", () => {
    const d = new MadDetector(parseDetectorConfig({ type: "mad", window: 5, minPoints: 5 }) as never);
    for (const x of [5, 5, 5, 5, 10]) d.update(0, x);
    // MAD 0; population std of [5,5,5,5,10] = 2
    expect(d.z(9)).toBeCloseTo(2, 12);
  });

  it("constant series: equal value scores 0, any deviation scores 1", () => {
    for (const type of ["zscore", "ewma", "mad"] as const) {
      const d = createDetector({ type, minPoints: 5 } as DetectorConfigInput);
      for (let i = 0; i < 20; i++) expect(d.update(i, 7)).toBe(0);
      expect(d.update(21, 7.5)).toBe(1);
    }
  });
});

describe("seasonal period detection", () => {
  it("finds a daily period on a synthetic 5-minute series", () => {
    const { ts, xs } = series(3000, 3);
    const d = new SeasonalDetector(parseDetectorConfig({ type: "seasonal", detectPoints: 1000, maxPeriodPoints: 400 }) as never);
    run(d, ts, xs);
    expect(d.model.periodPoints).toBe(288);
    expect(d.periodMs).toBe(DAY);
  });

  it("finds no period in white noise", () => {
    const r = rng(5);
    const xs = Array.from({ length: 1000 }, () => gauss(r));
    expect(detectPeriod(xs, 4, 400, 0.3).periodPoints).toBe(0);
  });

  it("scores a break of the daily pattern higher than normal points", () => {
    const r = rng(11);
    const d = new SeasonalDetector(parseDetectorConfig({ type: "seasonal", detectPoints: 700, maxPeriodPoints: 300 }) as never);
    const scores: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const t = i * STEP;
      let x = 50 + 20 * Math.sin((2 * Math.PI * (t % DAY)) / DAY) + gauss(r);
      if (i >= 1500 && i < 1510) x = 50; // the pattern flattens
      scores.push(d.update(t, x));
    }
    const normal = Math.max(...scores.slice(1000, 1490));
    const broken = Math.max(...scores.slice(1500, 1510));
    expect(broken).toBeGreaterThan(normal);
    expect(broken).toBeGreaterThan(0.6);
  });
});

const cases: Array<[string, DetectorConfigInput]> = [
  ...detectorTypes.map((t) => [t, small[t]] as [string, DetectorConfigInput]),
  // The optional channels and weights of the ensemble.
  ["ensemble with volatility channel", { ...small.ensemble, volatilityWindow: 30, volatilityWeight: 10, seasonalWeight: 10 } as DetectorConfigInput],
  ["ensemble without seasonal channel", { ...small.ensemble, seasonal: false, volatilityWindow: 30 } as DetectorConfigInput],
];

describe.each(cases)("%s detector", (_name, cfg) => {
  const { ts, xs } = series(4000, 42);

  it("is deterministic and scores in [0,1]", () => {
    const a = run(createDetector(cfg), ts, xs);
    const b = run(createDetector(cfg), ts, xs);
    expectBitIdentical(a, b);
    for (const s of a) {
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(1);
    }
    // It reacts to the injected spikes.
    expect(Math.max(...a.slice(1400, 1600))).toBeGreaterThan(0.4);
  });

  it("restores from a JSON checkpoint bit-identically, at any cut", () => {
    const reference = run(createDetector(cfg), ts, xs);
    for (const cut of [1, 5, 333, 699, 700, 701, 1497, 2999]) {
      const first = createDetector(cfg);
      const head = run(first, ts, xs, 0, cut);
      const saved = JSON.parse(JSON.stringify(first.checkpoint()));
      const second = restoreDetector(saved);
      const tail = run(second, ts, xs, cut);
      expectBitIdentical([...head, ...tail], reference);
      // A checkpoint of a restored detector is the same checkpoint.
      if (cut === 1497) {
        const again = restoreDetector(saved);
        expect(JSON.stringify(again.checkpoint())).toBe(JSON.stringify(saved));
      }
    }
  });

  it("says when the metric is normal again, the same after a restore from a JSON checkpoint", () => {
    const normals = (d: Detector, from: number, to: number) => {
      const out: boolean[] = [];
      for (let i = from; i < to; i++) out.push(d.isNormal(d.update(ts[i]!, xs[i]!), 0.5));
      return out;
    };
    const reference = normals(createDetector(cfg), 0, xs.length);
    expect(reference.filter((n) => !n).length).toBeGreaterThan(0);
    expect(reference.filter(Boolean).length).toBeGreaterThan(xs.length / 2);
    for (const cut of [5, 701, 1497, 2999]) {
      const first = createDetector(cfg);
      const head = normals(first, 0, cut);
      const second = restoreDetector(JSON.parse(JSON.stringify(first.checkpoint())));
      expect([...head, ...normals(second, cut, xs.length)]).toEqual(reference);
    }
  });

  it("keeps its state bounded", () => {
    const d = createDetector(cfg);
    const long = series(30_000, 9);
    run(d, long.ts.slice(0, 10_000), long.xs.slice(0, 10_000));
    const at10k = JSON.stringify(d.checkpoint()).length;
    run(d, long.ts.slice(10_000), long.xs.slice(10_000));
    const at30k = JSON.stringify(d.checkpoint()).length;
    expect(at30k).toBeLessThan(at10k * 1.1 + 200);
    expect(at30k).toBeLessThan(300_000);
  });

  it("ignores NaN / ±Infinity (stale markers) without corrupting state", () => {
    const clean = run(createDetector(cfg), ts, xs);
    const d = createDetector(cfg);
    const dirty: number[] = [];
    for (let i = 0; i < xs.length; i++) {
      if (i % 250 === 17) {
        expect(d.update(ts[i]!, Number.NaN)).toBe(0);
        expect(d.update(ts[i]!, Infinity)).toBe(0);
        expect(d.update(Number.NaN, 1)).toBe(0);
      }
      dirty.push(d.update(ts[i]!, xs[i]!));
    }
    expectBitIdentical(dirty, clean);
    // A checkpoint taken right after a stale marker restores fine too.
    const e = createDetector(cfg);
    run(e, ts, xs, 0, 100);
    e.update(ts[100]!, Number.NaN);
    const back = restoreDetector(JSON.parse(JSON.stringify(e.checkpoint())));
    expectBitIdentical(run(back, ts, xs, 100), clean.slice(100));
  });

  it("copes with repeated and backwards timestamps", () => {
    const d = createDetector(cfg);
    const ts2 = ts.slice(0, 1500);
    ts2[700] = ts2[699]!;
    ts2[900] = ts2[850]!;
    const out = run(d, ts2, xs.slice(0, 1500));
    for (const s of out) expect(Number.isFinite(s)).toBe(true);
  });
});

describe("ensemble: when the event is over", () => {
  const cfg = { type: "ensemble", window: 200, seasonal: false, historyWindow: 300, shortWindow: 20, learningPoints: 50, volatilityWindow: 0, fireLevel: 0.45, rearmLevel: 0.3, rearmPoints: 20 } as const;
  const step = 60_000;
  const at = (i: number) => Date.UTC(2024, 0, 1) + i * step;
  const base = (i: number) => 10 + 0.3 * Math.sin(i * 1.3) + 0.2 * Math.sin(i * 0.37);

  it("is not normal while its alarm is suppressed by an ongoing event, and normal once the unsuppressed score stayed below rearmLevel for rearmPoints points", () => {
    const d = createDetector(cfg);
    for (let i = 0; i < 300; i++) d.update(at(i), base(i));
    expect(d.isNormal(0, 0.5)).toBe(true);
    // The spike alarms; the next points score 0 (suppressed) yet the event is not over.
    expect(d.update(at(300), 40)).toBe(1);
    expect(d.isNormal(1, 0.5)).toBe(false);
    let i = 301;
    const afterAlarm: { score: number; normal: boolean }[] = [];
    for (; i < 600; i++) {
      const score = d.update(at(i), base(i));
      afterAlarm.push({ score, normal: d.isNormal(score, 0.5) });
    }
    const firstNormal = afterAlarm.findIndex((p) => p.normal);
    expect(firstNormal).toBeGreaterThanOrEqual(cfg.rearmPoints - 1);
    expect(afterAlarm.slice(0, firstNormal).every((p) => p.score === 0)).toBe(true);
    expect(afterAlarm.slice(firstNormal).every((p) => p.normal)).toBe(true);
  });

  it("restores a checkpoint written before it kept that count", () => {
    const d = createDetector(cfg);
    for (let i = 0; i < 300; i++) d.update(at(i), base(i));
    const { calmRun: _dropped, ...state } = d.checkpoint().state;
    const restored = restoreDetector({ ...d.checkpoint(), state });
    expect(restored.isNormal(0, 0.5)).toBe(true);
    expect(restored.update(at(300), base(300))).toBe(d.update(at(300), base(300)));
  });
});

describe("config", () => {
  it("applies defaults and rejects invalid configs", () => {
    expect(parseDetectorConfig({ type: "zscore" })).toEqual({ type: "zscore", window: 288, minPoints: 30 });
    expect(parseDetectorConfig({ type: "ensemble" })).toMatchObject({ type: "ensemble", window: 2000, shortWindow: 80, fireLevel: 0.3 });
    expect(() => parseDetectorConfig({ type: "zscore", window: 0 })).toThrow();
    expect(() => parseDetectorConfig({ type: "ewma", alpha: 1.5 })).toThrow();
    expect(() => parseDetectorConfig({ type: "nope" })).toThrow();
    expect(() => parseDetectorConfig({ type: "mad", extra: 1 })).toThrow();
  });

  it("rejects malformed checkpoints", () => {
    expect(() => restoreDetector({ v: 2, config: { type: "zscore" }, state: {} })).toThrow();
    expect(() => restoreDetector({ v: 1, config: { type: "zscore" }, state: {} })).toThrow();
    const d = createDetector({ type: "zscore", window: 3 });
    for (let i = 0; i < 5; i++) d.update(i, i);
    const cp = d.checkpoint();
    const tooBig = { ...cp, config: { ...cp.config, window: 2 } };
    expect(() => restoreDetector(tooBig)).toThrow(/larger than window/);
  });
});

describe("checkpoint float arrays", () => {
  it("round-trip bit-exactly, NaN, ±0 and ±∞ included", () => {
    const xs = [1.5, -0, 0, Number.NaN, Infinity, -Infinity, Number.MIN_VALUE, Number.MAX_VALUE, 0.1 + 0.2];
    const back = decFloatArray({ a: encFloatArray(xs) }, "a");
    expect(back.map((x) => (Object.is(x, -0) ? "-0" : String(x)))).toEqual(xs.map((x) => (Object.is(x, -0) ? "-0" : String(x))));
    expect(() => decFloatArray({ a: "f64:AAAA" }, "a")).toThrow(/whole number of doubles/);
    expect(() => decFloatArray({ a: "1,2" }, "a")).toThrow(/float array/);
  });

  it("a checkpoint written with JSON number lists (before f64 strings) restores to the same scores", () => {
    const r = rng(11);
    const points = Array.from({ length: 1200 }, (_, i) => 50 + 10 * Math.sin(i / 30) + r() * 3 + (i === 1000 ? 80 : 0));
    const a = createDetector({ type: "ensemble" });
    for (let i = 0; i < 900; i++) a.update(i * 60_000, points[i]!);
    // The older format: every f64 string as a list of encFloat values.
    const legacy = JSON.parse(JSON.stringify(a.checkpoint()), (_k, v: unknown) =>
      typeof v === "string" && v.startsWith("f64:") ? decFloatArray({ v }, "v").map(encFloat) : v,
    );
    expect(JSON.stringify(legacy)).not.toContain("f64:");
    const b = restoreDetector(legacy);
    for (let i = 900; i < points.length; i++) expect(b.update(i * 60_000, points[i]!)).toBe(a.update(i * 60_000, points[i]!));
  });
});
