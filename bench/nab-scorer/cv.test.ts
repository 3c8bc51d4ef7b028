import { describe, expect, it } from "vitest";

import { createDetector } from "@/lib/insight/detectors/config";
import { mulberry32 } from "@/test/random";

import { listCorpusFiles, loadCorpus, loadProfiles } from "./corpus";
import { searchKnobs, stratifiedSplit } from "./cv";
import { bestThresholdFast, computeSweepInfo, prepareSweep, scoreProfile } from "./scorer";
import { StagedEnsemble } from "./staged";

describe("stratifiedSplit", () => {
  const files = listCorpusFiles();
  const category = (i: number) => files[i]!.split("/")[0]!;

  it("halves the corpus within every category, deterministically per seed", () => {
    const [a, b] = stratifiedSplit(files, mulberry32(1));
    expect(a.length).toBe(29);
    expect(b.length).toBe(29);
    expect(new Set([...a, ...b]).size).toBe(58);
    for (const c of new Set(files.map((f) => f.split("/")[0]!))) {
      const na = a.filter((i) => category(i) === c).length;
      const nb = b.filter((i) => category(i) === c).length;
      expect(Math.abs(na - nb)).toBeLessThanOrEqual(1);
    }
    expect(stratifiedSplit(files, mulberry32(1))).toEqual([a, b]);
    expect(stratifiedSplit(files, mulberry32(2))[0]).not.toEqual(a);
  });
});

describe("searchKnobs", () => {
  it("finds the maximum of a separable objective from any start", () => {
    const grid = { shortWindow: [10, 20, 30, 40], fireLevel: [0.3, 0.4, 0.5], spatialBypass: [false, true] };
    const objective = (k: Record<string, unknown>) =>
      -Math.abs((k.shortWindow as number) - 30) - 10 * Math.abs((k.fireLevel as number) - 0.4) + (k.spatialBypass ? 1 : 0);
    const r = searchKnobs(objective, { grid, starts: 2, rng: mulberry32(3) });
    expect(r.knobs).toEqual({ shortWindow: 30, fireLevel: 0.4, spatialBypass: true });
    expect(r.evaluations).toBeLessThanOrEqual(4 * 3 * 2);
  });
});

describe("the search's shortcuts agree with the real thing on the corpus", () => {
  const corpus = loadCorpus();
  const infos = corpus.map((f) => computeSweepInfo(f.relPath, f.timestamps, f.windows));
  const profiles = loadProfiles();
  // A few files of different kinds (seasonal, spiky, flat, with gaps in time).
  const pick = corpus.map((_, i) => i).filter((i) => i % 7 === 3);

  it("the staged ensemble is bit-identical to the detector", () => {
    const staged = new StagedEnsemble(corpus);
    for (const config of [{}, { window: 1000, shortWindow: 30, seasonalWeight: 10, spatialBypass: false, maxSuppress: 100, spatialTolerance: 0, volatilityWindow: 50, volatilityWeight: 3 }]) {
      for (const k of pick) {
        const f = corpus[k]!;
        const det = createDetector({ type: "ensemble", ...config });
        const expected = Float64Array.from(f.values, (v, i) => det.update(f.timestamps[i]!, v));
        expect(staged.scores(k, config)).toEqual(expected);
      }
    }
  }, 60_000);

  it("bestThresholdFast finds the optimizer's threshold and score", () => {
    const staged = new StagedEnsemble(corpus);
    const r = mulberry32(5);
    const coarse = pick.map((k) => Float64Array.from({ length: corpus[k]!.values.length }, () => (r() < 0.3 ? 0 : Math.round(r() * 200) / 200)));
    const ensemble = pick.map((k) => staged.scores(k, { fireLevel: 0.5 }));
    for (const scores of [coarse, ensemble]) {
      for (const p of ["standard", "reward_low_FP_rate", "reward_low_FN_rate"]) {
        const sub = pick.map((k) => infos[k]!);
        const exact = scoreProfile(sub, scores, p, profiles[p]!, { perFile: false });
        const fast = bestThresholdFast(prepareSweep(sub, profiles[p]!), scores);
        expect(fast.threshold).toBe(exact.threshold);
        expect(fast.score).toBeCloseTo(exact.optimizedRaw, 9);
        expect(fast.normalized).toBeCloseTo(exact.normalized, 9);
      }
    }
  }, 60_000);
});
