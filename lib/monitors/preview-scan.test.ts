// Property tests: a saved monitor's scans flag exactly what its preview flags, for every detector type.
// Random series (seeded), random chunk splits and scan times, and the checkpoint goes through JSON
// between chunks, as it does through the database.
import { describe, expect, it } from "vitest";
import { detectorTypes, type DetectorConfigInput } from "@/lib/insight/detectors/config";
import { previewScores } from "@/lib/monitors/preview-monitor";
import { scorePoints, type MonitorLike } from "@/lib/monitors/score-points";
import { previewWindow, scanWindow } from "@/lib/monitors/history";
import type { SignalInput } from "@/lib/incidents/schemas";
import { mulberry32 } from "@/test/random";

const STEP = 60_000;
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);

// Small windows so every detector warms up (and the seasonal one finds its period) within a trial;
// plus each type's defaults, which is what a new monitor runs with.
const CONFIGS: Record<(typeof detectorTypes)[number], DetectorConfigInput[]> = {
  zscore: [{ type: "zscore", window: 60, minPoints: 20 }, { type: "zscore" }],
  ewma: [{ type: "ewma", alpha: 0.1, minPoints: 20 }, { type: "ewma" }],
  mad: [{ type: "mad", window: 61, minPoints: 20 }, { type: "mad" }],
  seasonal: [{ type: "seasonal", detectPoints: 300, maxPeriodPoints: 120 }, { type: "seasonal" }],
  ensemble: [{ type: "ensemble", window: 300, seasonalDetectPoints: 300, seasonalMaxPeriodPoints: 120, historyWindow: 400, shortWindow: 20, rearmPoints: 10 }, { type: "ensemble" }],
};

type Point = { t: number; v: number };

function gauss(r: () => number) {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/**
 * A minute series from T0 − 30 h to T0 + 8 h: hourly wave + noise, with spikes, dips, level shifts
 * that last a while, NaN values (0/0 gauges) and gaps (no sample: Prometheus returns no point).
 */
function randomSeries(r: () => number): Point[] {
  const base = 1 + 100 * r();
  const noise = base * (0.002 + 0.05 * r());
  const wave = base * 0.2 * r();
  const events: { at: number; len: number; by: number }[] = [];
  const n = 38 * 60;
  for (let k = 0; k < 4 + Math.floor(8 * r()); k++) {
    events.push({ at: Math.floor(r() * n), len: r() < 0.6 ? 1 : 1 + Math.floor(r() * 120), by: (r() < 0.8 ? 1 : -1) * noise * (5 + 60 * r()) });
  }
  const out: Point[] = [];
  for (let i = 0; i < n; i++) {
    const t = T0 - 30 * HOUR + i * STEP;
    if (r() < 0.01) continue;
    let v = base + wave * Math.sin((2 * Math.PI * i) / 60) + noise * gauss(r);
    for (const e of events) if (i >= e.at && i < e.at + e.len) v += e.by;
    out.push({ t, v: r() < 0.003 ? Number.NaN : v });
  }
  return out;
}

/** What query_range answers for the series: its points on [start, end]. */
const promRange = (series: Point[], start: number, end: number) => series.filter((p) => p.t >= start && p.t <= end);

const labels = { __name__: "m", instance: "a" };
function monitorWith(detector: DetectorConfigInput, sensitivity: number): MonitorLike {
  return { id: "00000000-0000-4000-8000-00000000000a", name: "m", detector, sensitivity, severity: "warning", stepSeconds: STEP / 1000, labels: { service: "s" } };
}

/** Signals as ingestSignals stores them: one row per (fingerprint, startsAt), later deliveries win. */
function stored(signals: SignalInput[]) {
  const rows = new Map<number, { status: string; endsAt: number | null; score: number; value: number | null }>();
  for (const s of signals) {
    const prior = rows.get(s.startsAt.getTime());
    rows.set(s.startsAt.getTime(), { status: s.status, endsAt: s.endsAt ? s.endsAt.getTime() : null, score: Math.max(prior?.score ?? 0, s.score ?? 0), value: s.value ?? null });
  }
  return [...rows.entries()].sort((a, b) => a[0] - b[0]);
}

const flagged = (points: { t: number; score: number }[], sensitivity: number) => points.filter((p) => p.score >= sensitivity).map((p) => [p.t, p.score]);

describe("preview and chunked scans flag the same points, for every detector type", () => {
  for (const type of detectorTypes) {
    it(`${type}: scorePoints over random chunks, checkpoint through JSON between them, equals the one-shot preview`, () => {
      const r = mulberry32(1000 + detectorTypes.indexOf(type));
      let total = 0;
      for (const detector of CONFIGS[type]) {
        for (let trial = 0; trial < 4; trial++) {
          const series = randomSeries(r);
          const sensitivity = [0.3, 0.5, 0.9, 0.99][trial]!;
          const monitor = monitorWith(detector, sensitivity);
          const preview = previewScores(detector, series);
          const oneShot = scorePoints(monitor, labels, series, null, "t");
          // Random cuts; consecutive chunks may overlap (a scan re-reads its boundary point) or not.
          let prior: { checkpoint: unknown; lastTs: number } | null = null;
          const anomalies: { t: number; score: number }[] = [];
          const signals: SignalInput[] = [];
          let i = 0;
          while (i < series.length) {
            const from = Math.max(0, i - (r() < 0.5 ? Math.floor(r() * 5) : 0));
            const to = Math.min(series.length, i + 1 + Math.floor(r() * (r() < 0.2 ? 5 : 400)));
            const out = scorePoints(monitor, labels, series.slice(from, to), prior, "t");
            anomalies.push(...out.anomalies);
            signals.push(...out.signals);
            prior = JSON.parse(JSON.stringify({ checkpoint: out.save.checkpoint, lastTs: out.save.lastTs }));
            i = to;
          }
          const what = `${JSON.stringify(detector)} trial ${trial}`;
          expect(anomalies.map((a) => [a.t, a.score]), what).toEqual(flagged(preview, sensitivity));
          expect(oneShot.anomalies.map((a) => [a.t, a.score]), what).toEqual(flagged(preview, sensitivity));
          expect(stored(signals), what).toEqual(stored(oneShot.signals));
          total += anomalies.length;
        }
      }
      // Not vacuous: the random series do contain flagged points.
      expect(total).toBeGreaterThan(10);
    }, 60_000);

    it(`${type}: a monitor saved after its preview, scanned at random times, flags what one longer preview flags`, () => {
      const r = mulberry32(2000 + detectorTypes.indexOf(type));
      let total = 0;
      for (const detector of CONFIGS[type]) {
        for (let trial = 0; trial < 4; trial++) {
          const series = randomSeries(r);
          const sensitivity = [0.5, 0.99, 0.7, 0.9][trial]!;
          const monitor = monitorWith(detector, sensitivity);
          const previewAt = T0 + Math.floor(r() * 600_000);
          const shown = previewWindow({ now: previewAt, stepMs: STEP, rangeSeconds: 24 * 3600 });
          const previewFlags = flagged(previewScores(detector, promRange(series, shown.start, shown.end)), sensitivity);
          // Saved from the form (which hands over the preview's window) or through the API (the
          // default history), first scanned right away or minutes later, then every few steps;
          // sometimes in small chunks, as a monitor catching up does.
          let scannedUntil: number | null = trial % 2 === 0 ? shown.start : null;
          let now = trial % 2 === 0 ? previewAt + Math.floor(r() * 15 * 60_000) : previewAt;
          const maxSteps = r() < 0.5 ? 5000 : 20 + Math.floor(r() * 300);
          let prior: { checkpoint: unknown; lastTs: number } | null = null;
          const anomalies: { t: number; score: number }[] = [];
          for (let scans = 0; scans < 400 && now < T0 + 7 * HOUR; scans++) {
            const w = scanWindow({ scannedUntil, now, stepMs: STEP, maxSteps });
            if (w) {
              const out = scorePoints(monitor, labels, promRange(series, w.start, w.end), prior, "t");
              anomalies.push(...out.anomalies);
              if (out.scored) prior = JSON.parse(JSON.stringify({ checkpoint: out.save.checkpoint, lastTs: out.save.lastTs }));
              scannedUntil = w.end;
            }
            now += 1000 + Math.floor(r() * (r() < 0.8 ? 3 * STEP : 40 * STEP));
          }
          const what = `${JSON.stringify(detector)} trial ${trial}`;
          const scanned = anomalies.map((a) => [a.t, a.score]);
          // The points the preview showed: flagged alike.
          expect(scanned.filter(([t]) => t! <= shown.end), what).toEqual(previewFlags);
          // And every later point as a preview over the same start, up to the last scan, would flag it.
          const longer = flagged(previewScores(detector, promRange(series, shown.start, scannedUntil!)), sensitivity);
          expect(scanned, what).toEqual(longer);
          total += scanned.length;
        }
      }
      expect(total).toBeGreaterThan(10);
    }, 60_000);
  }
});
