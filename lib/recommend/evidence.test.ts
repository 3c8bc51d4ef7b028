import { describe, expect, it } from "vitest";
import { clauses, extractEvidence, noteVerdict } from "@/lib/recommend/evidence";
import { diagnose } from "@/lib/recommend/diagnose";
import type { Hypothesis } from "@/lib/recommend/hypotheses";

/** The summed weight the text gives each hypothesis. */
function weights(text: string): Partial<Record<Hypothesis, number>> {
  const out: Partial<Record<Hypothesis, number>> = {};
  for (const c of extractEvidence(text).cues) out[c.hypothesis] = (out[c.hypothesis] ?? 0) + c.weight;
  return out;
}
const top = (texts: string[], alertnames: string[] = [], extra: Partial<Parameters<typeof diagnose>[0]> = {}) => diagnose({ alertnames, texts, ...extra }).items[0]!.hypothesis;

describe("clauses", () => {
  it("reads sentences and contrasts separately, keeping versions whole", () => {
    expect(clauses("Deployed v2.4.1 at 14:02. Errors since 14:03; but the DB is fine")).toEqual(["deployed v2.4.1 at 14:02.", "errors since 14:03", "the db is fine"]);
  });
});

describe("negation", () => {
  it.each([
    ["no deploy in the last 3 days", "bad_release"],
    ["the release is not the cause", "bad_release"],
    ["nothing was deployed today", "bad_release"],
    ["kubelet is healthy and the node is not under disk pressure", "node_fault"],
    ["GC pauses normal, heap flat", "resource_leak"],
  ] as [string, Hypothesis][])("%s → evidence against %s", (text, h) => {
    expect(weights(text)[h] ?? 0).toBeLessThanOrEqual(0);
  });

  it("keeps a negation that is itself the symptom: a cache that was not invalidated is stale", () => {
    expect(weights("the cache was not invalidated after the price update").cache_poisoning).toBeGreaterThan(0);
  });
});

describe("time", () => {
  it("a change minutes before the errors weighs more than one without a time, one days before counts against", () => {
    const fresh = weights("checkout v2.4.1 was deployed 6 minutes ago").bad_release!;
    const plain = weights("checkout v2.4.1 was deployed").bad_release!;
    const stale = weights("the last deploy was 3 days ago").bad_release!;
    expect(fresh).toBeGreaterThan(plain);
    expect(stale).toBeLessThan(0);
    expect(weights("flag new-pricing was enabled right before the errors started").bad_flag).toBeGreaterThan(weights("flag new-pricing was enabled").bad_flag!);
  });

  it("a certificate that expires in days is for the owners to know, one that expires within hours is theirs to fix now", () => {
    expect(top(["Certificate api.example.com expires in 12 days"], ["CertificateExpiringSoon"])).toBe("awareness");
    expect(top(["Certificate api.example.com expires in 3 hours; renewal failed"], ["CertificateExpiringSoon"])).toBe("owner_action");
  });
});

describe("tense and completion", () => {
  it("a fix that is already out is a recovery to confirm, and its deploy is not the cause", () => {
    const w = weights("The hotfix v3.2.2 was deployed 10 minutes ago; please confirm the error rate stays under 1%");
    expect(w.recovered).toBeGreaterThan(2);
    expect(w.bad_release ?? 0).toBeLessThan(1);
    expect(top(["we already rolled back to v1.8.0, watching the error rate come down"], ["HighErrorRate"])).toBe("recovered");
  });
});

describe("remedies named in the text", () => {
  it.each([
    ["do not roll back: migration 0042 is not reversible", "rollback-deployment", -1],
    ["Do NOT restart before capturing events and logs", "restart-deployment", -1],
    ["restarting the pods did not help", "restart-deployment", -1],
    ["the cache flush only helped for 5 minutes", "clear-cache", -1],
    ["flushing the cache fixed it last time", "clear-cache", 1],
  ] as const)("%s → %s %d", (text, playbook, sign) => {
    const r = extractEvidence(text).remedies.filter((x) => x.playbook === playbook);
    expect(r.length).toBeGreaterThan(0);
    expect(Math.sign(r.reduce((s, x) => s + x.weight, 0))).toBe(sign);
  });
});

describe("noteVerdict (a run's outcome note)", () => {
  it.each([
    ["rollback made it worse: schema migration", -1],
    ["replacement pods landed on the same sick node", -1],
    ["owners asked for evidence before restarting", -1],
    ["only helped for 5 minutes, then the leak came back", -1],
    ["fixed it, errors dropped to zero within a minute", 1],
    ["", 0],
    [null, 0],
  ] as const)("%s → %d", (note, v) => {
    expect(noteVerdict(note)).toBe(v);
  });
});

describe("diagnose", () => {
  it("reads the alert's words over its name: an upstream provider's outage is not ours to roll back", () => {
    const dx = diagnose({ alertnames: ["PaymentsHighErrorRate"], texts: ["payments 5xx at 12%", "The PSP's status page reports a major outage of card authorisations since 10:02. No deploy today."], severity: "critical" });
    expect(["dependency_outage", "owner_action"]).toContain(dx.items[0]!.hypothesis);
    expect(dx.probability.bad_release).toBeLessThan(0.1);
  });

  it("node-level faults reported by node-exporter point at the node", () => {
    expect(top(["Network interface eth0 reports 2,400 transmit errors in 2 minutes"], ["NodeNetworkTransmitErrs"], { subjectKind: "node" })).toBe("node_fault");
  });

  it("a change event to the same service just before the first signal is evidence of a bad release", () => {
    const dx = diagnose({ alertnames: ["HighErrorRate"], texts: ["checkout 5xx ratio above 5%"], changes: [{ kind: "deploy", title: "checkout 1.14.2", minutesBefore: 4, sameService: true }] });
    expect(dx.items[0]!.hypothesis).toBe("bad_release");
    expect(dx.items[0]!.evidence.join(" ")).toContain('deploy "checkout 1.14.2" 4 min before the first signal');
  });

  it("with no evidence at all, the cause is unclear", () => {
    expect(top(["billing: anomalous invoices_processed_total"])).toBe("unclear");
  });

  it("past fixes inform but saturate: five old restarts do not outweigh today's fresh deploy", () => {
    const past = Array.from({ length: 5 }, () => ({ similarity: 0.9, runs: [{ playbookName: "restart-deployment", status: "succeeded", addresses: ["resource_leak"] as Hypothesis[] }] }));
    expect(top(["orders-api 5xx since 14:03", "orders-api v6.1.0 rolled out at 14:01, two minutes before the errors"], ["OrdersApiHighErrorRate"], { past })).toBe("bad_release");
  });
});
