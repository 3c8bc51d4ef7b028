import { describe, expect, it } from "vitest";
import { scorePoints, type MonitorLike } from "@/lib/monitors/score-points";
import { RESOLVE_AFTER_STEPS } from "@/lib/monitors/schemas";
import { createDetector } from "@/lib/insight/detectors/config";

const monitor: MonitorLike = {
  id: "00000000-0000-4000-8000-000000000001",
  name: "latency",
  detector: { type: "zscore", window: 50, minPoints: 20 },
  sensitivity: 0.99,
  severity: "critical",
  stepSeconds: 60,
  labels: { service: "checkout" },
};
const labels = { __name__: "latency_seconds", instance: "a" };
const t0 = Date.UTC(2026, 0, 1);

// Deterministic noise around 1.0 with a spike at index `spikeAt`.
function series(n: number, spikeAt = -1, from = 0) {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return { t: t0 + i * 60_000, v: i === spikeAt ? 50 : 1 + 0.01 * Math.sin(i * 1.7) };
  });
}

describe("scorePoints", () => {
  it("turns a spike into one firing signal, then resolves it after quiet steps", () => {
    const r = scorePoints(monitor, labels, series(100, 60), null, "test");
    expect(r.scored).toBe(100);
    expect(r.anomalies.map((a) => a.t)).toContain(t0 + 60 * 60_000);
    const statuses = r.signals.map((s) => s.status);
    expect(statuses).toEqual(["firing", "resolved"]);
    const [firing, resolved] = r.signals;
    expect(firing!.startsAt.getTime()).toBe(t0 + 60 * 60_000);
    expect(resolved!.fingerprint).toBe(firing!.fingerprint);
    expect(resolved!.startsAt).toEqual(firing!.startsAt);
    expect(firing!.labels).toMatchObject({ service: "checkout", monitor: "latency", instance: "a" });
    expect(r.save.checkpoint.episode).toBeNull();
  });

  it("continues from a checkpoint exactly like an uninterrupted run, and never rescores old points", () => {
    const all = series(120, 90);
    const whole = scorePoints(monitor, labels, all, null, "test");
    const first = scorePoints(monitor, labels, all.slice(0, 70), null, "test");
    // The second batch overlaps the first by 10 points, as consecutive scans may.
    const second = scorePoints(monitor, labels, all.slice(60), { checkpoint: JSON.parse(JSON.stringify(first.save.checkpoint)), lastTs: first.save.lastTs }, "test");
    expect(first.scored + second.scored).toBe(120);
    expect([...first.anomalies, ...second.anomalies]).toEqual(whole.anomalies);
    expect([...first.signals, ...second.signals]).toEqual(whole.signals);
  });

  it("keeps an episode open across batches and reports it once it ends", () => {
    const first = scorePoints(monitor, labels, series(62, 60), null, "test");
    expect(first.signals.map((s) => s.status)).toEqual(["firing"]);
    expect(first.save.checkpoint.episode).not.toBeNull();
    const second = scorePoints(monitor, labels, series(40, -1, 62), { checkpoint: first.save.checkpoint, lastTs: first.save.lastTs }, "test");
    expect(second.signals.map((s) => s.status)).toEqual(["resolved"]);
    expect(second.signals[0]!.startsAt).toEqual(first.signals[0]!.startsAt);
  });

  it("a quiet series emits nothing", () => {
    expect(scorePoints(monitor, labels, series(200), null, "test").signals).toEqual([]);
  });
});

describe("an anomaly episode ends when the metric is back to normal", () => {
  const STEP = 60_000;
  const wiggle = (i: number) => 0.3 * Math.sin(i * 1.3) + 0.2 * Math.sin(i * 0.37);
  // Baseline around 10 with a burst from index 300 to 360: a spike to 40, then spikes up to 35 every
  // few points (never a new extreme, so the ensemble's suppression holds them all at 0).
  const burst = (n: number) => Array.from({ length: n }, (_, i) => ({ t: t0 + i * STEP, v: 10 + wiggle(i) + (i === 300 ? 30 : i > 300 && i < 360 && i % 4 === 0 ? 15 + (i % 20) : 0) }));
  // Every setting spelled out: the boundaries below must not move when the defaults are retuned.
  const ensemble: MonitorLike = {
    ...monitor,
    detector: { type: "ensemble", window: 200, seasonal: false, historyWindow: 300, shortWindow: 20, learningPoints: 50, spatialTolerance: 0.05, spatialWarmup: 150, spatialSkip: 50, spatialBypass: true, fireLevel: 0.45, rearmLevel: 0.3, rearmPoints: 20, maxSuppress: 200 },
    sensitivity: 0.5,
  };

  /** Index of the last point after `from` the detector did not call normal, before an episode could end. */
  function lastAbnormalAfter(points: { t: number; v: number }[], m: MonitorLike, from: number) {
    const d = createDetector(m.detector as never);
    let last = -1;
    for (const [i, p] of points.entries()) {
      const score = d.update(p.t, p.v);
      if (i < from) continue;
      if (score >= m.sensitivity || !d.isNormal(score, m.sensitivity)) last = i;
      else if (i - last >= RESOLVE_AFTER_STEPS) break;
    }
    return last;
  }

  it("ensemble: a burst whose later spikes score 0 (suppressed) is one episode, not ended 10 steps after its alarm", () => {
    const points = burst(600);
    const r = scorePoints(ensemble, labels, points, null, "test");
    // One alarm at the onset; the rest of the burst is muted by the detector, which is not "normal".
    expect(r.anomalies.map((a) => a.t)).toEqual([t0 + 300 * STEP]);
    expect(r.signals.map((s) => s.status)).toEqual(["firing", "resolved"]);
    expect(r.signals[0]!.startsAt.getTime()).toBe(t0 + 300 * STEP);
    // The old rule (10 steps without a score above the threshold) ended it at 310, mid-burst.
    expect(r.signals[1]!.endsAt!.getTime()).toBeGreaterThan(t0 + 340 * STEP);
  });

  it("ensemble: it ends exactly RESOLVE_AFTER_STEPS steps after the detector's event is over (its unsuppressed score back below rearmLevel)", () => {
    const points = burst(600);
    const r = scorePoints(ensemble, labels, points, null, "test");
    const last = lastAbnormalAfter(points, ensemble, 300);
    expect(last).toBeGreaterThan(300 + RESOLVE_AFTER_STEPS);
    expect(r.signals[1]!.endsAt!.getTime()).toBe(t0 + (last + RESOLVE_AFTER_STEPS) * STEP);
    // One step earlier it is still firing.
    const cut = scorePoints(ensemble, labels, points.slice(0, last + RESOLVE_AFTER_STEPS), null, "test");
    expect(cut.signals.map((s) => s.status)).toEqual(["firing"]);
  });

  it("zscore: back within the band for RESOLVE_AFTER_STEPS steps ends it, not one step earlier; a new excursion meanwhile extends it", () => {
    const spike = series(120, 60);
    const one = scorePoints(monitor, labels, spike, null, "test");
    expect(one.signals[1]!.endsAt!.getTime()).toBe(t0 + (60 + RESOLVE_AFTER_STEPS) * STEP);
    // The same, cut right before the boundary: still firing.
    const cut = scorePoints(monitor, labels, spike.slice(0, 60 + RESOLVE_AFTER_STEPS), null, "test");
    expect(cut.signals.map((s) => s.status)).toEqual(["firing"]);
    const again = spike.map((p, i) => (i === 65 ? { ...p, v: 500 } : p));
    const two = scorePoints(monitor, labels, again, null, "test");
    expect(two.signals.map((s) => s.status)).toEqual(["firing", "resolved"]);
    expect(two.signals[1]!.endsAt!.getTime()).toBe(t0 + (65 + RESOLVE_AFTER_STEPS) * STEP);
  });

  it("an episode checkpointed before episodes tracked normality continues and ends", () => {
    const first = scorePoints(monitor, labels, series(62, 60), null, "test");
    const { lastAbnormal: _dropped, ...legacy } = first.save.checkpoint.episode as Record<string, unknown>;
    const second = scorePoints(monitor, labels, series(40, -1, 62), { checkpoint: { ...first.save.checkpoint, episode: legacy }, lastTs: first.save.lastTs }, "test");
    expect(second.signals.map((s) => [s.status, s.endsAt?.getTime()])).toEqual([["resolved", t0 + (60 + RESOLVE_AFTER_STEPS) * 60_000]]);
  });
});
