// Detector checkpoints per series, saved in batches with the same compare-and-set rule as one by one: a new
// series is not overwritten by a second creator, a known one only advances from the state it was read at.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createMonitor } from "@/lib/monitors/manage-monitors";
import { loadSeriesStates, saveSeriesState, saveSeriesStates } from "@/lib/monitors/score-points";
import { makeActor, makeOrg } from "@/test/factories";

const save = (monitorId: string, key: string, lastTs: number, priorLastTs: number | null, n = 0) => ({
  monitorId,
  seriesKey: key,
  labels: { __name__: "up", instance: key },
  checkpoint: { detector: { v: 1, n }, episode: null } as never,
  lastTs,
  priorLastTs,
});

describe("saveSeriesStates", () => {
  it("inserts new series, advances known ones only from the state read, and never overwrites a concurrent writer", async () => {
    const org = await makeOrg("series-state");
    const admin = await makeActor(org.id, "admin");
    const m = await createMonitor({ actor: admin, input: { name: "up", query: "up", enabled: false } });
    expect(await saveSeriesStates([save(m.id, "a", 1000, null, 1), save(m.id, "b", 1000, null, 1)])).toBe(2);
    // A second creator of "a" loses; "c" is new.
    expect(await saveSeriesStates([save(m.id, "a", 2000, null, 99), save(m.id, "c", 2000, null, 1)])).toBe(1);
    // "a" advances from 1000; "b" was read at a state that is no longer there (stale prior): dropped.
    expect(await saveSeriesStates([save(m.id, "a", 3000, 1000, 2), save(m.id, "b", 3000, 500, 99)])).toBe(1);
    const states = await loadSeriesStates(m.id, ["a", "b", "c"]);
    expect(Object.fromEntries([...states].map(([k, v]) => [k, [v.lastTs, (v.checkpoint as { detector: { n: number } }).detector.n]]))).toEqual({ a: [3000, 2], b: [1000, 1], c: [2000, 1] });
    const row = await db.monitorSeries.findFirstOrThrow({ where: { monitorId: m.id, seriesKey: "a" } });
    expect(row.labels).toEqual({ __name__: "up", instance: "a" });
    // One by one follows the same rule.
    expect(await saveSeriesState(save(m.id, "c", 4000, 1000))).toBe(false);
    expect(await saveSeriesState(save(m.id, "c", 4000, 2000))).toBe(true);
    expect(await saveSeriesStates([])).toBe(0);
  });
});
