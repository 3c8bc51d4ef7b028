import { loadCorpus, loadProfiles } from "@/lib/insight/nab/corpus";
import { bestThresholdFast, computeSweepInfo, prepareSweep, scoreProfile } from "@/lib/insight/nab/scorer";
import { StagedEnsemble } from "@/lib/insight/nab/staged";
const corpus = loadCorpus();
const st = new StagedEnsemble(corpus);
const infos = corpus.map((f) => computeSweepInfo(f.relPath, f.timestamps, f.windows));
const prof = loadProfiles();
for (const p of ["standard", "reward_low_FP_rate", "reward_low_FN_rate"]) {
  const table = prepareSweep(infos, prof[p]!);
  for (const cfg of [{}, { fireLevel: 0.6, shortWindow: 20 }, { spatialTolerance: 0.2, maxSuppress: 100 }]) {
    const a = corpus.map((_, k) => st.scores(k, cfg));
    let t = performance.now();
    const e = scoreProfile(infos, a, p, prof[p]!, { perFile: false });
    const te = performance.now() - t;
    t = performance.now();
    const f = bestThresholdFast(table, a);
    const tf = performance.now() - t;
    console.log(p, JSON.stringify(cfg), e.threshold, e.optimizedRaw, f.threshold, f.score, te.toFixed(0), tf.toFixed(0));
  }
}
// random scores too
let seed = 7;
const r = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
const rnd = corpus.map((f) => Float64Array.from({ length: f.values.length }, () => Math.round(r() * 1000) / 1000));
const e = scoreProfile(infos, rnd, "standard", prof.standard!, { perFile: false });
const f = bestThresholdFast(prepareSweep(infos, prof.standard!), rnd);
console.log("random", e.threshold, e.optimizedRaw, f.threshold, f.score);
