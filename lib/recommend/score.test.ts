import { diagnose } from "@/lib/recommend/diagnose";
import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { parsePlaybook } from "@/lib/playbooks/schema";
import { matcherHolds as holds, matches, parseSelector } from "@/lib/monitors/selector";
import {
  betaPosterior,
  candidateFromSpec,
  combine,
  compareRanked,
  factor,
  diagnosisFactor,
  historyFactor,
  incidentOutcome,
  justification,
  labelSets,
  outcomePrior,
  recencyFactor,
  riskPenalty,
  runOutcome,
  sameIncidentFailure,
  selectorMatch,
  severityFit,
  suggestParams,
  textMatch,
  type Candidate,
  type Factor,
} from "@/lib/recommend/score";
import { FACTOR_NAMES, FACTOR_RANGES, WEIGHTS, type Weights } from "@/lib/recommend/weights";

const dir = path.resolve(import.meta.dirname, "../../playbooks");
const catalog = new Map<string, Candidate>(
  readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => {
      const spec = parsePlaybook(readFileSync(path.join(dir, f)));
      return [spec.name, candidateFromSpec(`v-${spec.name}`, spec)] as const;
    }),
);
const pb = (name: string) => catalog.get(name)!;
const readOnly = (name: string) => !(catalog.get(name)?.changesState ?? true);
const changes = (name: string) => catalog.get(name)?.changesState ?? true;

describe("candidateFromSpec", () => {
  it("parses the selector once and tells state-changing playbooks from read-only ones", () => {
    expect(pb("restart-deployment").matchers?.map((m) => m.name)).toEqual(["namespace", "deployment"]);
    expect(pb("notify-slack").matchers).toBeNull();
    const ro = [...catalog.values()].filter((c) => !c.changesState).map((c) => c.name).sort();
    expect(ro).toEqual(["collect-diagnostics", "notify-slack", "page-owner", "verify-recovery"]);
    expect(readOnly("feature-flag-kill-switch")).toBe(false); // an http PUT changes something
  });
});

describe("selector_match", () => {
  const crashLoop = labelSets({ alertname: "KubePodCrashLooping", namespace: "shop", pod: "checkout-7d9f8-x2k4q", container: "app" }, []);
  const alert = new Set(["alert"] as const);

  it("gives a playbook without matchers the neutral 0.5, not the maximum", () => {
    expect(selectorMatch(pb("notify-slack"), crashLoop, alert).value).toBe(0.5);
  });

  it("ranks a specific full match above a generic full match above a partial match", () => {
    const specific = selectorMatch(pb("delete-stuck-pod"), crashLoop, alert);
    const generic = selectorMatch(pb("collect-diagnostics"), crashLoop, alert);
    const partial = selectorMatch(pb("restart-deployment"), crashLoop, alert);
    expect(specific.value).toBeGreaterThan(generic.value);
    expect(generic.value).toBeGreaterThan(0.5);
    expect(partial.value).toBeLessThan(0.5);
    expect(partial.detail).toContain("(deployment not matched)");
    expect(specific.detail).toContain("only for alert signals, which this incident has");
  });

  it("scores a kind restriction the incident does not meet", () => {
    const anomaly = new Set(["anomaly"] as const);
    expect(selectorMatch(pb("delete-stuck-pod"), crashLoop, anomaly).value).toBeLessThan(selectorMatch(pb("delete-stuck-pod"), crashLoop, alert).value - 0.19);
  });

  it("accepts matchers satisfied by a signal's labels, not only the incident's", () => {
    const sets = labelSets({ alertname: "NodeDiskErrors", instance: "10.0.3.17:9100" }, [{ alertname: "NodeDiskErrors", node: "ip-10-0-3-17" }]);
    expect(selectorMatch(pb("cordon-node"), sets, alert).value).toBeGreaterThan(0.7);
  });

  it("evaluates one matcher exactly like lib/monitors/selector", () => {
    const ms = parseSelector('{a="x", b!="y", c=~"p.*", d!~"q|r", e=""}')!;
    const sets: Record<string, string>[] = [{ a: "x", b: "z", c: "pp", d: "s" }, { a: "y", b: "y", c: "", d: "q", e: "v" }, {}];
    for (const m of ms) for (const l of sets) expect(holds(m, l)).toBe(matches([m], l));
  });

  it("merges label sets with the incident's labels winning over signals', earlier signals over later", () => {
    expect(labelSets({ a: "inc" }, [{ a: "s1", b: "s1" }, { b: "s2", c: "s2" }])[0]).toEqual({ a: "inc", b: "s1", c: "s2" });
  });
});

describe("attribution and history", () => {
  it("credits the state-changing fix, not the notification that went with it", () => {
    const runs = [
      { playbookName: "notify-slack", status: "succeeded" },
      { playbookName: "restart-deployment", status: "failed" },
      { playbookName: "rollback-deployment", status: "succeeded" },
    ];
    expect(runOutcome(runs[0]!, runs, changes)).toBe("neutral");
    expect(runOutcome(runs[1]!, runs, changes)).toBe("failed");
    expect(runOutcome(runs[2]!, runs, changes)).toBe("fixed");
    // Only humans fixed it after the page: the page gets the credit.
    const paged = [{ playbookName: "page-owner", status: "succeeded" }, { playbookName: "restart-deployment", status: "failed" }];
    expect(runOutcome(paged[0]!, paged, changes)).toBe("fixed");
  });

  it("does not credit a success that another playbook's later success superseded", () => {
    const t = (m: number) => new Date(Date.UTC(2026, 0, 1, 10, m));
    const runs = [
      { playbookName: "cordon-node", status: "succeeded", finishedAt: t(5) },
      { playbookName: "restart-deployment", status: "succeeded", finishedAt: t(30) },
      { playbookName: "verify-recovery", status: "succeeded", finishedAt: t(45) },
    ];
    expect(incidentOutcome("cordon-node", runs, changes)).toBe("neutral");
    expect(incidentOutcome("restart-deployment", runs, changes)).toBe("fixed");
    expect(incidentOutcome("verify-recovery", runs, changes)).toBe("neutral");
    // Order by finish time, not by list position.
    expect(incidentOutcome("cordon-node", [runs[1]!, { ...runs[0]!, finishedAt: t(50) }], changes)).toBe("fixed");
  });

  it("treats rejected, expired and cancelled runs as neutral and a retry that worked as a fix", () => {
    for (const status of ["rejected", "expired", "cancelled", "executing"]) expect(runOutcome({ playbookName: "restart-deployment", status }, [], changes)).toBe("neutral");
    const retry = [{ playbookName: "restart-deployment", status: "failed" }, { playbookName: "restart-deployment", status: "succeeded" }];
    expect(incidentOutcome("restart-deployment", retry, changes)).toBe("fixed");
    expect(incidentOutcome("clear-cache", retry, changes)).toBeNull();
  });

  it("weighs neighbours by similarity²: a close fix outweighs a distant failure", () => {
    const close = { similarity: 0.8, runs: [{ playbookName: "clear-cache", status: "succeeded" }] };
    const far = { similarity: 0.3, runs: [{ playbookName: "clear-cache", status: "failed" }] };
    const h = historyFactor("clear-cache", [close, far], changes);
    expect(h.value).toBeCloseTo((0.64 - 0.09) / (0.64 + 0.09 + 0.25), 6);
    expect(h.detail).toBe("fixed 1 of the 2 similar past incidents with a known outcome, failed on 1 (similarity-weighted +0.56)");
    expect(historyFactor("clear-cache", [{ ...close, similarity: 0.3 }, { ...far, similarity: 0.8 }], changes).value).toBeLessThan(0);
  });

  it("measures against every similar incident with a known outcome: fixing most beats one lucky run", () => {
    const by = (name: string, status = "succeeded") => ({ similarity: 0.8, runs: [{ playbookName: name, status }] });
    const n = [by("restart-deployment"), by("restart-deployment"), by("restart-deployment"), by("restart-deployment", "failed"), by("rollback-deployment")];
    const restart = historyFactor("restart-deployment", n, changes);
    const rollback = historyFactor("rollback-deployment", n, changes);
    expect(restart.value).toBeCloseTo((3 - 1) * 0.64 / (5 * 0.64 + 0.25), 6);
    expect(rollback.value).toBeCloseTo(0.64 / (5 * 0.64 + 0.25), 6);
    expect(restart.detail).toBe("fixed 3 of the 5 similar past incidents with a known outcome, failed on 1 (similarity-weighted +0.37)");
  });

  it("gives a read-only playbook's fix half the credit", () => {
    const n = [{ similarity: 1, runs: [{ playbookName: "page-owner", status: "succeeded" }, { playbookName: "restart-deployment", status: "failed" }] }];
    const page = historyFactor("page-owner", n, changes);
    expect(page.value).toBeCloseTo(0.5 / 1.25, 6);
    expect(page.detail).toContain("read-only so fixes count 0.5");
    expect(historyFactor("restart-deployment", n, changes).value).toBeCloseTo(-1 / 1.25, 6);
  });

  it("is neutral for a playbook never run on the neighbours, and shrinks thin evidence", () => {
    const n = [{ similarity: 0.9, runs: [{ playbookName: "rollback-deployment", status: "succeeded" }] }];
    expect(historyFactor("restart-deployment", n, changes)).toEqual({ value: 0, detail: "neither fixed nor failed any of the 1 similar past incident with a known outcome (neutral)" });
    expect(historyFactor("restart-deployment", [{ similarity: 0.9, runs: [{ playbookName: "rollback-deployment", status: "rejected" }] }], changes).detail).toBe(
      "none of the 1 most similar past incident has a known outcome (neutral)",
    );
    const one = historyFactor("rollback-deployment", n, changes).value;
    const three = historyFactor("rollback-deployment", [n[0]!, n[0]!, n[0]!], changes).value;
    expect(one).toBeGreaterThan(0.7);
    expect(three).toBeGreaterThan(one);
    expect(three).toBeLessThan(1);
  });
});

describe("outcome_prior and recency", () => {
  it("is the Beta(1,1) posterior mean with the counts in the detail", () => {
    expect(betaPosterior(0, 0).mean).toBe(0.5);
    expect(betaPosterior(7, 2)).toEqual({ alpha: 8, beta: 3, mean: 8 / 11 });
    const p = outcomePrior({ successes: 7, failures: 2, decayedSuccesses: 0, decayedFailures: 0 }, "alert");
    expect(p.value).toBeCloseTo(8 / 11);
    expect(p.detail).toBe("7 successes, 2 failures on alert incidents: Beta(8, 3) mean 0.73");
    expect(outcomePrior({ successes: 0, failures: 0, decayedSuccesses: 0, decayedFailures: 0 }, "alert").value).toBe(0.5);
    expect(outcomePrior({ successes: 1.5, failures: 1, decayedSuccesses: 0, decayedFailures: 0 }, "alert or anomaly").detail).toBe("1.5 successes, 1 failure on alert or anomaly incidents: Beta(2.5, 2) mean 0.56");
  });

  it("moves with every finished run", () => {
    const base = outcomePrior({ successes: 3, failures: 3, decayedSuccesses: 0, decayedFailures: 0 }, "alert").value;
    expect(outcomePrior({ successes: 4, failures: 3, decayedSuccesses: 0, decayedFailures: 0 }, "alert").value).toBeGreaterThan(base);
    expect(outcomePrior({ successes: 3, failures: 4, decayedSuccesses: 0, decayedFailures: 0 }, "alert").value).toBeLessThan(base);
  });

  it("recency favours recent successes, is neutral without recent outcomes", () => {
    expect(recencyFactor({ successes: 9, failures: 0, decayedSuccesses: 0.001, decayedFailures: 0 }).value).toBe(0);
    expect(recencyFactor({ successes: 2, failures: 0, decayedSuccesses: 1.8, decayedFailures: 0 }).value).toBeCloseTo(1.8 / 2.8);
    expect(recencyFactor({ successes: 2, failures: 2, decayedSuccesses: 0.1, decayedFailures: 1.9 }).value).toBeLessThan(-0.5);
  });
});

describe("severity_fit, risk_penalty, same_incident_failure, text_match", () => {
  it("rewards a narrow severity list that includes the incident's, penalises one that excludes it", () => {
    expect(severityFit({ severities: ["critical"] }, "critical").value).toBeCloseTo(2 / 3);
    expect(severityFit(pb("notify-slack"), "critical").value).toBeCloseTo(1 / 3);
    expect(severityFit(pb("page-owner"), "info").value).toBe(-1);
    expect(severityFit(pb("restart-deployment"), "info").value).toBe(0);
  });

  it("penalises high risk and large blast radius more when severity is low", () => {
    const cordonInfo = riskPenalty(pb("cordon-node"), "info").value;
    const cordonCrit = riskPenalty(pb("cordon-node"), "critical").value;
    const deleteInfo = riskPenalty(pb("delete-stuck-pod"), "info").value;
    expect(cordonInfo).toBeLessThan(cordonCrit);
    expect(cordonInfo).toBeLessThan(deleteInfo);
    expect(riskPenalty(pb("notify-slack"), "info").value).toBe(0);
    expect(riskPenalty({ risk: "high", blastRadius: "cluster" }, "info").value).toBe(-1);
  });

  it("penalises a playbook that already failed on this incident, not one that was rejected", () => {
    const runs = [{ playbookName: "restart-deployment", status: "failed" }, { playbookName: "rollback-deployment", status: "rejected" }];
    expect(sameIncidentFailure("restart-deployment", runs).value).toBe(-1);
    expect(sameIncidentFailure("rollback-deployment", runs).value).toBe(0);
  });

  it("scales description similarity between the median (0) and the best candidate (1), never below 0", () => {
    expect(textMatch(0.2, 0.05, 0.2).value).toBe(1);
    expect(textMatch(0.125, 0.05, 0.2).value).toBeCloseTo(0.5, 9);
    expect(textMatch(0.05, 0.05, 0.2).value).toBe(0);
    expect(textMatch(-0.5, 0.05, 0.2).value).toBe(0);
    expect(textMatch(null, 0, 0).value).toBe(0);
    expect(textMatch(0.1, 0.1, 0.1).value).toBe(0);
  });
});

describe("combining", () => {
  const all = (pick: 0 | 1): Factor[] => FACTOR_NAMES.map((n) => factor(n, { value: FACTOR_RANGES[n][pick], detail: "" }));

  it("maps the weighted sum onto 0..1 with contribution = weight × value", () => {
    expect(combine(all(0))).toBe(0);
    expect(combine(all(1))).toBe(1);
    const f = factor("history", { value: -0.5, detail: "x" });
    expect(f).toEqual({ name: "history", value: -0.5, weight: WEIGHTS.history, contribution: -0.5 * WEIGHTS.history, detail: "x" });
    const mid = all(1).map((x) => (x.name === "history" ? factor("history", { value: 0, detail: "" }) : x));
    expect(combine(mid)).toBeLessThan(1);
  });

  it("takes weights as data", () => {
    const w: Weights = { ...WEIGHTS, history: 0 };
    const f = FACTOR_NAMES.map((n) => factor(n, { value: n === "history" ? 1 : FACTOR_RANGES[n][0], detail: "" }, w));
    expect(f.find((x) => x.name === "history")!.contribution).toBe(0);
    expect(combine(f, w)).toBe(0);
  });

  it("breaks ties by name", () => {
    const xs = [{ name: "b", score: 0.5 }, { name: "a", score: 0.5 }, { name: "c", score: 0.7 }].sort(compareRanked);
    expect(xs.map((x) => x.name)).toEqual(["c", "a", "b"]);
  });

  it("leads with the diagnosis and its evidence, then what the playbook does about it, then what speaks against it", () => {
    const dx = diagnose({ alertnames: ["CheckoutHighErrorRate"], texts: ["checkout v2.4.1 was deployed 6 minutes before the first 5xx"] });
    const fs = [
      factor("diagnosis", diagnosisFactor(pb("rollback-deployment"), dx)),
      factor("history", { value: 0.8, detail: "fixed 3 of the 4 similar past incidents with a known outcome" }),
      factor("same_incident_failure", { value: -1, detail: "already failed on this incident (1 time)" }),
      factor("risk_penalty", { value: -0.3, detail: "high risk on a warning incident (-0.30)" }),
    ];
    const j = justification("rollback-deployment", 1, 0.71, fs, dx);
    expect(j).toMatch(/^Most likely a bad release \(\d+%\): a deploy just before: "checkout v2\.4\.1 was deployed 6 minutes before the first 5xx"/);
    expect(j).toContain("rollback-deployment is a remedy for a bad release");
    expect(j).toContain("On similar incidents it fixed 3 of the 4 similar past incidents with a known outcome.");
    expect(j).toContain("Against it: already failed on this incident (1 time).");
    expect(j).not.toContain("prior Beta"); // factor jargon stays behind "why this score"
    expect(j).not.toMatch(/score|-0\.30/);
  });

  it("says what counts against a playbook without the factor arithmetic", () => {
    const fs = [
      factor("outcome_prior", { value: -1, detail: "0 successes, 3 failures on alert incidents: Beta(1, 4) mean 0.20" }),
      factor("severity_fit", { value: -1, detail: "made for critical incidents, this one is info (-1.00)" }),
      factor("history", { value: 0.5, detail: "fixed 1 of the 2 similar past incidents (similarity-weighted +0.50)" }),
    ];
    const j = justification("scale-up", 2, 0.3, fs);
    expect(j).toContain("On similar incidents it fixed 1 of the 2 similar past incidents.");
    expect(j).toContain("made for critical incidents, this one is info");
    expect(j).toContain("its past runs failed more often than they worked");
    expect(j).not.toMatch(/Beta|-1\.00|similarity-weighted|score/);
  });
});

describe("suggestParams", () => {
  it("prefills from labels when valid, else defaults, and leaves the rest to the operator", () => {
    const labels = { namespace: "shop", deployment: "checkout", service: "Checkout API", max_error_ratio: "0.05" };
    expect(suggestParams(pb("restart-deployment"), labels)).toEqual({ namespace: "shop", deployment: "checkout", max_error_ratio: 0.05 });
    expect(suggestParams(pb("verify-recovery"), { namespace: "shop", max_p99_seconds: "fast" })).toEqual({ namespace: "shop", max_error_ratio: 0.01, max_p99_seconds: 0, deadline: "15m" });
    expect(suggestParams(pb("feature-flag-kill-switch"), { environment: "qa", notify: "false" })).toEqual({ environment: "production", notify: false });
  });
});
