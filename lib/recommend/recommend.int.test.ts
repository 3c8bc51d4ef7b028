// The learning loop against the real database: the catalog, incidents from signals, runs with outcomes,
// and rankPlaybooks noticing each finished run.
import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import { systemActor, type Actor } from "@/lib/context";
import { ingestSignals } from "@/lib/incidents/ingest-signals";
import { embedObjects } from "@/lib/vectors/embed-objects";
import { seedCatalog } from "@/lib/orgs/seed-demo";
import { rankPlaybooks } from "@/lib/recommend/rank-playbooks";
import { KIND_BIT, clearOutcomeStatsCache, outcomeStats } from "@/lib/recommend/stats";

const get2 = (st: Awaited<ReturnType<typeof outcomeStats>>, name: string, mask: number) => {
  const s = st.get(name, mask);
  return [s.successes, s.failures];
};
import { FACTOR_NAMES } from "@/lib/recommend/weights";
import { combine } from "@/lib/recommend/score";
import { makeActor, makeOrg } from "@/test/factories";

const DAY = 24 * 3600_000;

async function incident(actor: Actor, at: Date, summary: string, kind: "alert" | "anomaly" = "alert") {
  const r = await ingestSignals({
    actor,
    signals: [
      {
        kind,
        fingerprint: randomUUID(),
        startsAt: at,
        status: "firing",
        title: "CheckoutLatencyHigh",
        labels: { alertname: "CheckoutLatencyHigh", namespace: "shop", deployment: "checkout", service: "checkout", severity: "warning" },
        annotations: { summary, description: "p99 latency of checkout above 2s for 10 minutes" },
        severity: "warning",
        source: "alertmanager",
      },
    ],
  });
  return r.openedIncidents[0]!;
}

async function run(orgId: string, incidentId: string, playbook: string, status: "succeeded" | "failed" | "rejected", finishedAt = new Date()) {
  const version = await db.playbookVersion.findFirstOrThrow({ where: { orgId, playbook: { name: playbook } }, orderBy: { version: "desc" } });
  await db.run.create({
    data: { orgId, playbookVersionId: version.id, playbookName: playbook, incidentId, status, risk: "medium", requiredApprovals: 1, params: {}, requestedById: "user:sre", requestedByType: "user", requestedByLabel: "sre", startedAt: finishedAt, finishedAt },
  });
}

const rankOf = (res: Awaited<ReturnType<typeof rankPlaybooks>>, name: string) => res.items.findIndex((i) => i.playbook.name === name) + 1;
const item = (res: Awaited<ReturnType<typeof rankPlaybooks>>, name: string) => res.items.find((i) => i.playbook.name === name)!;

describe("rankPlaybooks", () => {
  it("learns from finished runs: a success on a similar incident lifts a playbook, a failure on this incident pushes it down", async () => {
    const org = await makeOrg("recommend");
    const system = systemActor("test", org.id);
    await seedCatalog(system);
    const viewer = await makeActor(org.id, "viewer");
    const now = Date.now();
    const past = await incident(system, new Date(now - 5 * DAY), "Checkout p99 latency above 2s");
    const first = await incident(system, new Date(now - 2 * DAY), "Checkout p99 latency above 2s again");
    await embedObjects("incident", [past, first]); // what the vectors.embed job does after ingestion

    // restart-deployment and scale-up-deployment have the same selector; neither has history yet.
    const before = await rankPlaybooks({ actor: viewer, incidentId: first, limit: 20 });
    expect(before.items.length).toBe(11);
    expect(before.incident).toMatchObject({ id: first, severity: "warning", signalKinds: ["alert"], labels: { deployment: "checkout" } });
    expect(before.considered.similarIncidents).toBe(1); // `past`
    const [low, high] = [["restart-deployment", rankOf(before, "restart-deployment")], ["scale-up-deployment", rankOf(before, "scale-up-deployment")]]
      .sort((a, b) => (b[1] as number) - (a[1] as number))
      .map((x) => x[0] as string) as [string, string];
    expect(rankOf(before, low)).toBeGreaterThan(rankOf(before, high));
    // Every factor is there, with contribution = weight × value and a sentence.
    for (const i of before.items) {
      expect(i.factors.map((f) => f.name)).toEqual([...FACTOR_NAMES]);
      for (const f of i.factors) {
        expect(f.contribution).toBeCloseTo(f.weight * f.value, 3);
        expect(f.detail.length).toBeGreaterThan(10);
      }
      expect(combine(i.factors)).toBeCloseTo(i.score, 3);
      expect(i.score).toBeGreaterThanOrEqual(0);
      expect(i.score).toBeLessThanOrEqual(1);
      expect(i.justification).toMatch(new RegExp(`${i.playbook.name} (is a remedy for|does not address)`));
      expect(i.justification).not.toMatch(/Beta\(|score \d|→/);
    }
    expect(item(before, low).factors.find((f) => f.name === "outcome_prior")).toMatchObject({ value: 0.5 });
    expect(item(before, "restart-deployment").suggestedParams).toEqual({ namespace: "shop", deployment: "checkout", service: "checkout", max_error_ratio: 0.01 });
    // Deterministic.
    expect((await rankPlaybooks({ actor: viewer, incidentId: first, limit: 20 })).items.map((i) => [i.playbook.name, i.score])).toEqual(before.items.map((i) => [i.playbook.name, i.score]));

    // The lower-ranked one is run on that incident and works.
    await run(org.id, first, low, "succeeded");
    const next = await incident(system, new Date(now - 1 * DAY), "Checkout p99 latency above 2s, third time");
    await embedObjects("incident", [next]);
    const after = await rankPlaybooks({ actor: viewer, incidentId: next, limit: 20 });
    expect(rankOf(after, low)).toBeLessThan(rankOf(after, high));
    const history = item(after, low).factors.find((f) => f.name === "history")!;
    expect(history.value).toBeGreaterThan(0.5);
    expect(history.detail).toMatch(/^fixed 1 of the 1 similar past incident with a known outcome/);
    expect(item(after, low).factors.find((f) => f.name === "outcome_prior")).toMatchObject({ value: 0.6667, detail: "1 success, 0 failures on alert incidents: Beta(2, 1) mean 0.67" });
    expect(item(after, low).justification).toMatch(/On similar incidents it fixed 1 of the 1 similar past incident/);
    expect(item(after, low).score).toBeGreaterThan(item(before, low).score);

    // On this incident it fails: it drops below the other one, for this incident.
    await run(org.id, next, low, "failed");
    const failed = await rankPlaybooks({ actor: viewer, incidentId: next, limit: 20 });
    expect(rankOf(failed, low)).toBeGreaterThan(rankOf(failed, high));
    expect(item(failed, low).factors.find((f) => f.name === "same_incident_failure")).toMatchObject({ value: -1, detail: "already failed on this incident (1 time)" });
    expect(item(failed, low).factors.find((f) => f.name === "outcome_prior")!.value).toBe(0.5); // Beta(2, 2)
    expect(item(failed, low).justification).toContain("Against it: already failed on this incident (1 time)");
  });

  it("aggregates outcomes per playbook and signal kind with the same attribution as history", async () => {
    const org = await makeOrg("recommend-stats");
    const system = systemActor("test", org.id);
    await seedCatalog(system);
    const t = (d: number, m: number) => new Date(Date.now() - d * DAY + m * 60_000);
    // Notified, cordoned (did not help), restarted (fixed it), cache flush failed.
    const x = await incident(system, t(10, 0), "Checkout latency");
    await run(org.id, x, "notify-slack", "succeeded", t(10, 1));
    await run(org.id, x, "cordon-node", "succeeded", t(10, 5));
    await run(org.id, x, "restart-deployment", "succeeded", t(10, 20));
    await run(org.id, x, "clear-cache", "failed", t(10, 30));
    // Scale-up failed, the owner was paged and fixed it by hand; a rejected rollback is neutral.
    const y = await incident(system, t(5, 0), "Checkout latency again");
    await run(org.id, y, "scale-up-deployment", "failed", t(5, 5));
    await run(org.id, y, "rollback-deployment", "rejected", t(5, 6));
    await run(org.id, y, "page-owner", "succeeded", t(5, 10));
    // An anomaly incident: only visible to anomaly incidents.
    const z = await incident(system, t(2, 0), "Checkout latency anomaly", "anomaly");
    await run(org.id, z, "restart-deployment", "failed", t(2, 5));

    const readOnly = ["collect-diagnostics", "notify-slack", "page-owner", "verify-recovery"];
    const stats = await outcomeStats(org.id, readOnly);
    const get = (name: string, mask: number) => {
      const s = stats.get(name, mask);
      return [s.successes, s.failures];
    };
    expect(get("restart-deployment", KIND_BIT.alert)).toEqual([1, 0]);
    expect(get("restart-deployment", KIND_BIT.anomaly)).toEqual([0, 1]);
    expect(get("restart-deployment", KIND_BIT.alert | KIND_BIT.anomaly)).toEqual([1, 1]);
    expect(get("cordon-node", KIND_BIT.alert)).toEqual([0, 0]); // superseded
    expect(get("notify-slack", KIND_BIT.alert)).toEqual([0, 0]); // went along with the fix
    expect(get("clear-cache", KIND_BIT.alert)).toEqual([0, 1]);
    expect(get("scale-up-deployment", KIND_BIT.alert)).toEqual([0, 1]);
    expect(get("rollback-deployment", KIND_BIT.alert)).toEqual([0, 0]);
    expect(get("page-owner", KIND_BIT.alert)).toEqual([0.5, 0]); // read-only: half credit
    const r = stats.get("restart-deployment", KIND_BIT.alert);
    expect(r.decayedSuccesses).toBeCloseTo(2 ** (-10 / 14), 2);
    // Cached until something changes; a new finished run is seen at once, by an incremental update.
    expect((await outcomeStats(org.id, readOnly)).refresh).toBe("none");
    await run(org.id, z, "scale-up-deployment", "succeeded", t(2, 30));
    const fresh = await outcomeStats(org.id, readOnly);
    expect(fresh.refresh).toBe("incremental");
    expect(fresh.get("scale-up-deployment", KIND_BIT.anomaly).successes).toBe(1);
    expect(fresh.get("restart-deployment", KIND_BIT.anomaly).failures).toBe(1);

    // A run that finishes later (unfinished → succeeded) changes the attribution on its incident: the cache
    // flush after the restart on x becomes x's fix, the restart is superseded.
    const version = await db.playbookVersion.findFirstOrThrow({ where: { orgId: org.id, playbook: { name: "clear-cache" } } });
    const pending = await db.run.create({
      data: { orgId: org.id, playbookVersionId: version.id, playbookName: "clear-cache", incidentId: x, status: "executing", risk: "medium", requiredApprovals: 1, params: {}, requestedById: "user:sre", requestedByType: "user", requestedByLabel: "sre" },
    });
    expect((await outcomeStats(org.id, readOnly)).refresh).toBe("incremental");
    await db.run.update({ where: { id: pending.id }, data: { status: "succeeded", finishedAt: t(10, 40) } });
    const later = await outcomeStats(org.id, readOnly);
    expect(later.refresh).toBe("incremental");
    expect(get2(later, "clear-cache", KIND_BIT.alert)).toEqual([1, 1]);
    expect(get2(later, "restart-deployment", KIND_BIT.alert)).toEqual([0, 0]);

    // Concurrent callers after a change: one incremental update, not one per caller.
    await run(org.id, y, "rollback-deployment", "succeeded", t(5, 40));
    const concurrent = await Promise.all(Array.from({ length: 5 }, () => outcomeStats(org.id, readOnly)));
    expect(concurrent.map((c) => c.refresh).filter((r) => r === "incremental").length).toBeGreaterThanOrEqual(1);
    for (const c of concurrent) expect(get2(c, "rollback-deployment", KIND_BIT.alert)).toEqual([1, 0]);
    expect(get2(concurrent[0]!, "page-owner", KIND_BIT.alert)).toEqual([0, 0]); // y now has a state-changing fix

    // The incremental totals equal a full recomputation.
    const names = ["restart-deployment", "cordon-node", "notify-slack", "clear-cache", "scale-up-deployment", "rollback-deployment", "page-owner"];
    const snapshot = (st: typeof later) => names.flatMap((n) => [1, 2, 3].map((m) => st.get(n, m)));
    const incremental = snapshot(await outcomeStats(org.id, readOnly));
    clearOutcomeStatsCache();
    const recomputed = await outcomeStats(org.id, readOnly);
    expect(recomputed.refresh).toBe("full");
    const fullSnap = snapshot(recomputed);
    incremental.forEach((s, i) => {
      expect(s.successes).toBeCloseTo(fullSnap[i]!.successes, 6);
      expect(s.failures).toBeCloseTo(fullSnap[i]!.failures, 6);
      expect(s.decayedSuccesses).toBeCloseTo(fullSnap[i]!.decayedSuccesses, 4);
      expect(s.decayedFailures).toBeCloseTo(fullSnap[i]!.decayedFailures, 4);
    });
  });

  it("checks the actor and the org", async () => {
    const org = await makeOrg("recommend-authz");
    const other = await makeOrg("recommend-other");
    const system = systemActor("test", org.id);
    const id = await incident(system, new Date(), "Checkout slow");
    await expect(rankPlaybooks({ actor: await makeActor(other.id, "admin"), incidentId: id })).rejects.toMatchObject({ code: "not_found" });
    await expect(rankPlaybooks({ actor: system, incidentId: "not-a-uuid" })).rejects.toMatchObject({ code: "not_found" });
    await expect(rankPlaybooks({ actor: { type: "token", id: "t", orgId: org.id, role: "viewer", scopes: ["signals.ingest"] }, incidentId: id })).rejects.toMatchObject({ code: "forbidden" });
    // No playbooks yet: an empty list, not an error.
    expect((await rankPlaybooks({ actor: system, incidentId: id })).items).toEqual([]);
  });
});
