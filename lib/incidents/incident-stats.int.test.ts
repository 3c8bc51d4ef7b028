// The overview's figures count what happened when it happened: signals a new monitor's first scan
// loads from history fall in their own hours, and incidents that were over before they arrived do not
// count the delay as time to resolve.
import { describe, expect, it } from "vitest";
import { ingestSignals } from "@/lib/incidents/ingest-signals";
import { incidentStats } from "@/lib/incidents/incident-stats";
import type { SignalInput } from "@/lib/incidents/schemas";
import { makeActor, makeOrg } from "@/test/factories";

const HOUR = 3_600_000;
const hourOf = (t: number) => new Date(Math.floor(t / HOUR) * HOUR).toISOString();

function episode(fp: string, startsAt: number, minutes: number): SignalInput[] {
  const base = { kind: "anomaly" as const, fingerprint: fp, startsAt: new Date(startsAt), title: "checkout errors", labels: { service: "checkout" }, severity: "critical" as const, source: "monitor:x" };
  return [{ ...base, status: "firing" }, { ...base, status: "resolved", endsAt: new Date(startsAt + minutes * 60_000) }];
}

describe("overview figures with backfilled signals", () => {
  it("signals per hour counts each signal in the hour it started, not the hour it arrived; MTTR is the episodes' length", async () => {
    const org = await makeOrg("stats");
    const actor = await makeActor(org.id, "operator");
    const now = Date.now();
    // A live alert, then a first scan delivering two episodes from 6 h and 13 h ago (and one older than the chart).
    await ingestSignals({ actor, signals: [{ kind: "alert", fingerprint: "live", startsAt: new Date(now - 60_000), status: "firing", title: "live", labels: { service: "checkout" }, severity: "critical", source: "test" }] });
    await ingestSignals({ actor, signals: [...episode("a", now - 6 * HOUR, 10), ...episode("b", now - 13 * HOUR, 20), ...episode("c", now - 30 * HOUR, 30)] });

    const stats = await incidentStats({ actor, now: new Date(now) });
    const counts = Object.fromEntries(stats.signalsPerHour.filter((h) => h.count).map((h) => [h.hour, h.count]));
    expect(counts).toEqual({ [hourOf(now - 60_000)]: 1, [hourOf(now - 6 * HOUR)]: 1, [hourOf(now - 13 * HOUR)]: 1 });
    // Three resolved incidents of 10, 20 and 30 minutes (not hours: they were over when they arrived).
    expect(stats.mttrSeconds).toBeCloseTo(20 * 60, 0);
    expect(stats.openBySeverity.critical).toBe(1);
  });
});
