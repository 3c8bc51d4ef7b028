import { describe, expect, it } from "vitest";
import { scorePoints, type MonitorLike } from "@/lib/monitors/score-points";

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
