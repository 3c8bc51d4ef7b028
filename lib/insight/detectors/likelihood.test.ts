import { describe, expect, it } from "vitest";
import { AnomalyLikelihood, LIKELIHOOD_DEFAULTS } from "./likelihood";

const base = { shortWindow: 10, historyWindow: 2000, learningPoints: 0, minHistory: 100, minMean: 0.03, minStd: Math.sqrt(0.0003) };

/** Quiet noise, a long burst of surprise, quiet again, then a second burst: min p during the second burst. */
function secondBurstP(opts: ConstructorParameters<typeof AnomalyLikelihood>[0]): number {
  const lik = new AnomalyLikelihood(opts);
  let seed = 7;
  const noise = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 0.1;
  for (let i = 0; i < 600; i++) lik.update(noise());
  for (let i = 0; i < 60; i++) lik.update(5 + noise());
  for (let i = 0; i < 400; i++) lik.update(noise());
  let minP = 1;
  for (let i = 0; i < 20; i++) minP = Math.min(minP, lik.update(2 + noise()));
  return minP;
}

describe("AnomalyLikelihood", () => {
  it("a long first anomaly does not hide the next one when the history is clipped", () => {
    const unclipped = secondBurstP(base);
    const clipped = secondBurstP({ ...base, clipSigmas: LIKELIHOOD_DEFAULTS.clipSigmas });
    // Without the clip the first burst inflates the history's std and the second burst looks ordinary.
    expect(unclipped).toBeGreaterThan(0.01);
    expect(clipped).toBeLessThan(1e-10);
  });

  it("the clip changes nothing on a series without outliers", () => {
    const a = new AnomalyLikelihood(base);
    const b = new AnomalyLikelihood({ ...base, clipSigmas: 7 });
    for (let i = 0; i < 1000; i++) {
      const x = 0.05 + 0.01 * Math.sin(i / 5);
      expect(b.update(x)).toBe(a.update(x));
    }
  });
});
