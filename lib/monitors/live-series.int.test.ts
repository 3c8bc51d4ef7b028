// remote_write's live detectors (live-series.ts) against PostgreSQL: checkpoint cadence, what a second process
// sees, capacity, edited monitors, and scores identical to the stateless path whatever the checkpoints did.
import { describe, expect, it } from "vitest";
import { createMonitor, updateMonitor } from "@/lib/monitors/manage-monitors";
import { LiveSeriesStore, noteStep } from "@/lib/monitors/live-series";
import { advanceSeries, loadSeriesStates, scorePoints } from "@/lib/monitors/score-points";
import { seriesKey } from "@/lib/monitors/selector";
import { makeActor, makeOrg } from "@/test/factories";
import { mulberry32 } from "@/test/random";

const STEP = 15_000;

async function monitorOf(name: string, detector: Record<string, unknown> = { type: "zscore", window: 60, minPoints: 30 }) {
  const org = await makeOrg("live");
  const admin = await makeActor(org.id, "admin");
  return createMonitor({ actor: admin, input: { name, query: `m{job="${name}"}`, detector: detector as never, enabled: false } });
}

const labelsOf = (i: number) => ({ __name__: "m", job: "x", instance: `i-${i}` });
const seriesOf = (i: number) => ({ key: seriesKey(labelsOf(i)), labels: labelsOf(i) });

/** Feeds points [from, to) of series i through the store, as one remote_write request would. */
async function feed(store: LiveSeriesStore, monitor: Awaited<ReturnType<typeof monitorOf>>, i: number, values: number[], from: number, to: number) {
  const points = values.slice(from, to).map((v, k) => ({ t: (from + k + 1) * STEP, v }));
  const [entry] = await store.acquire(monitor, [{ ...seriesOf(i), firstTs: points[0]?.t }]);
  const prevTs = entry!.live.lastTs;
  const out = advanceSeries(monitor, labelsOf(i), entry!.live, points, "t");
  noteStep(entry!, prevTs, points);
  await store.checkpoint(store.due([entry!]));
  return out;
}

describe("live remote_write series", () => {
  it("checkpoints a new series at once, then once per interval of its data, and flushAll stores the rest", async () => {
    const m = await monitorOf("cadence");
    const store = new LiveSeriesStore({ maxSeries: 100, checkpointMs: 10 * STEP });
    const values = Array.from({ length: 40 }, (_, k) => 10 + Math.sin(k));
    const stored = async () => (await loadSeriesStates(m.id, [seriesOf(0).key])).get(seriesOf(0).key)?.lastTs ?? null;
    await feed(store, m, 0, values, 0, 1);
    expect(await stored()).toBe(STEP);
    for (let k = 1; k < 10; k++) await feed(store, m, 0, values, k, k + 1);
    expect(await stored()).toBe(STEP); // 9 steps of data since: not yet
    await feed(store, m, 0, values, 10, 11);
    expect(await stored()).toBe(11 * STEP);
    await feed(store, m, 0, values, 11, 15);
    expect(await stored()).toBe(11 * STEP);
    expect(await store.flushAll()).toBe(1);
    expect(await stored()).toBe(15 * STEP);
    expect(await store.flushAll()).toBe(0); // nothing left to store
  });

  it("scores exactly like the stateless path, across checkpoints, evictions and reloads in another process", async () => {
    const m = await monitorOf("same", { type: "ensemble" });
    const rnd = mulberry32(7);
    const values = Array.from({ length: 600 }, (_, k) => 100 + 5 * Math.sin(k / 20) + rnd() * 2 + (k === 400 ? 90 : 0));
    const oneShot = scorePoints(m, labelsOf(0), values.map((v, k) => ({ t: (k + 1) * STEP, v })), null, "t");
    // Two "processes" take turns at random chunk boundaries; each flushes before handing over, as a
    // process that stops getting the series does on its idle timer.
    const stores = [new LiveSeriesStore({ maxSeries: 10, checkpointMs: 37 * STEP }), new LiveSeriesStore({ maxSeries: 10, checkpointMs: 50 * STEP })];
    const anomalies: number[] = [];
    let at = 0;
    let turn = 0;
    while (at < values.length) {
      const to = Math.min(values.length, at + 1 + Math.floor(rnd() * 90));
      const s = stores[turn % 2]!;
      const out = await feed(s, m, 0, values, at, to);
      anomalies.push(...out.anomalies.map((a) => a.t));
      await s.flushAll();
      // The other process's copy is now stale: its checkpoint is refused and it reloads.
      turn += 1;
      at = to;
    }
    expect(anomalies).toEqual(oneShot.anomalies.map((a) => a.t));
    expect(anomalies.length).toBeGreaterThan(0);
  });

  it("a process gets a series back after another stored newer state: it continues from that state, not its own", async () => {
    const m = await monitorOf("two");
    const a = new LiveSeriesStore({ maxSeries: 10, checkpointMs: 1 });
    const b = new LiveSeriesStore({ maxSeries: 10, checkpointMs: 1 });
    const values = Array.from({ length: 20 }, (_, k) => k);
    await feed(a, m, 0, values, 0, 5);
    await feed(b, m, 0, values, 5, 6); // b loads a's state (lastTs 5 steps) and stores 6
    // a's next sample comes after a gap (step 6 went to b): a checks the stored state and reloads it.
    const [stale] = await a.acquire(m, [{ ...seriesOf(0), firstTs: 7 * STEP }]);
    expect(stale!.live.lastTs).toBe(6 * STEP);
    expect(stale!.persistedLastTs).toBe(6 * STEP);
    const out = await feed(a, m, 0, values, 6, 8);
    expect(out.scored).toBe(2);
    expect((await loadSeriesStates(m.id, [seriesOf(0).key])).get(seriesOf(0).key)?.lastTs).toBe(8 * STEP);
    // b's copy is now stale and its checkpoint is refused: it drops it rather than overwrite a's.
    const [bs] = await b.acquire(m, [seriesOf(0)]);
    advanceSeries(m, labelsOf(0), bs!.live, [{ t: 9 * STEP, v: 1 }], "t");
    expect(await b.flushAll()).toBe(0);
    expect(b.size).toBe(0);
    expect((await loadSeriesStates(m.id, [seriesOf(0).key])).get(seriesOf(0).key)?.lastTs).toBe(8 * STEP);
  });

  it("keeps at most maxSeries live, checkpointing the least recently used before they leave", async () => {
    const m = await monitorOf("capacity");
    const store = new LiveSeriesStore({ maxSeries: 2, checkpointMs: 1000 * STEP });
    const values = Array.from({ length: 10 }, (_, k) => k);
    for (const i of [0, 1, 2]) {
      await feed(store, m, i, values, 0, 1); // new series: stored at once
      const [e] = await store.acquire(m, [seriesOf(i)]);
      advanceSeries(m, labelsOf(i), e!.live, [{ t: 5 * STEP, v: 1 }], "t"); // unsaved progress
    }
    await store.trim();
    expect(store.size).toBe(2);
    const states = await loadSeriesStates(m.id, [0, 1, 2].map((i) => seriesOf(i).key));
    expect(states.get(seriesOf(0).key)?.lastTs).toBe(5 * STEP); // evicted, progress kept
    expect(states.get(seriesOf(1).key)?.lastTs).toBe(STEP);
    expect(states.get(seriesOf(2).key)?.lastTs).toBe(STEP);
  });

  it("an edit of name or sensitivity keeps the live detectors; a new detector starts over", async () => {
    const m = await monitorOf("edited");
    const admin = await makeActor(m.orgId, "admin");
    const store = new LiveSeriesStore({ maxSeries: 10, checkpointMs: 1000 * STEP });
    const values = Array.from({ length: 10 }, (_, k) => k);
    await feed(store, m, 0, values, 0, 1);
    await feed(store, m, 0, values, 1, 4); // live lastTs 4 steps, stored 1
    const input = { name: "edited", query: m.query, detector: m.detector as never, enabled: false };
    const renamed = await updateMonitor({ actor: admin, id: m.id, input: { ...input, name: "renamed", sensitivity: 0.9 } });
    expect((await store.acquire(renamed, [seriesOf(0)]))[0]!.live.lastTs).toBe(4 * STEP);
    const redetected = await updateMonitor({ actor: admin, id: m.id, input: { ...input, detector: { type: "mad", window: 50, minPoints: 10 } } });
    const [e] = await store.acquire(redetected, [seriesOf(0)]);
    expect(e!.live.lastTs).toBe(Number.NEGATIVE_INFINITY);
    expect(e!.live.detector.config.type).toBe("mad");
  });
});
