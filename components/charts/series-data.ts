// The data side of components/charts/time-series-chart.tsx, kept apart from the drawing so it can be
// unit-tested: series sorted, ranges fitted, and the one shared time column uPlot draws from.
import uPlot from "uplot";
import { niceTicks } from "@/components/charts/scales";

export type ChartPoint = { t: number; v: number; score?: number };
export type ChartAnomaly = { t: number; v: number; score: number };
export type ChartSeries = { label: string; points: ChartPoint[]; anomalies?: ChartAnomaly[] };

export type PreparedSeries = {
  label: string;
  points: ChartPoint[];
  anomalies: ChartAnomaly[];
  anomalyScore: Map<number, number>;
  min: number;
  max: number;
  finite: number;
};

export type ChartModel = {
  series: PreparedSeries[];
  t0: number;
  t1: number;
  y: { ticks: number[]; min: number; max: number; step: number };
  anomalyCount: number;
  pointCount: number;
  /** uPlot's input: the union of all times, then one column per series (null = gap, undefined = no sample there). */
  aligned: uPlot.AlignedData;
};

function sortedByT<P extends { t: number }>(arr: readonly P[]): P[] {
  for (let i = 1; i < arr.length; i++) if (arr[i]!.t < arr[i - 1]!.t) return [...arr].sort((a, b) => a.t - b.t);
  return arr as P[];
}

export function buildModel(input: ChartSeries[], yDomain?: [number, number], thresholds?: { value: number }[], now = Date.now()): ChartModel {
  let t0 = Infinity;
  let t1 = -Infinity;
  let vMin = Infinity;
  let vMax = -Infinity;
  let anomalyCount = 0;
  let pointCount = 0;
  const series = input.map((s): PreparedSeries => {
    const points = sortedByT(s.points);
    const anomalies = sortedByT(s.anomalies ?? []);
    let min = Infinity;
    let max = -Infinity;
    let finite = 0;
    for (const p of points) {
      if (!Number.isFinite(p.v)) continue;
      finite++;
      if (p.v < min) min = p.v;
      if (p.v > max) max = p.v;
    }
    for (const a of anomalies) {
      if (a.v < min) min = a.v;
      if (a.v > max) max = a.v;
    }
    if (points.length) {
      t0 = Math.min(t0, points[0]!.t);
      t1 = Math.max(t1, points[points.length - 1]!.t);
    }
    if (anomalies.length) {
      t0 = Math.min(t0, anomalies[0]!.t);
      t1 = Math.max(t1, anomalies[anomalies.length - 1]!.t);
    }
    vMin = Math.min(vMin, min);
    vMax = Math.max(vMax, max);
    anomalyCount += anomalies.length;
    pointCount += points.length;
    return { label: s.label, points, anomalies, anomalyScore: new Map(anomalies.map((a) => [a.t, a.score])), min, max, finite };
  });
  if (!Number.isFinite(t0)) {
    t0 = now - 3_600_000;
    t1 = now;
  } else if (t0 === t1) {
    t0 -= 30_000;
    t1 += 30_000;
  }
  for (const th of thresholds ?? []) {
    vMin = Math.min(vMin, th.value);
    vMax = Math.max(vMax, th.value);
  }
  const y = yDomain ? { ...niceTicks(yDomain[0], yDomain[1], 4), min: yDomain[0], max: yDomain[1] } : niceTicks(vMin, vMax, 4);
  // A non-finite value (Prometheus' NaN) is a gap in the line; times where only other series have a
  // sample stay undefined, which uPlot bridges.
  const tables = series.map((s): uPlot.AlignedData => [s.points.map((p) => p.t), s.points.map((p) => (Number.isFinite(p.v) ? p.v : null))]);
  const aligned: uPlot.AlignedData = tables.length === 0 ? [[]] : tables.length === 1 ? tables[0]! : uPlot.join(tables);
  return { series, t0, t1, y, anomalyCount, pointCount, aligned };
}

/** Index of the point whose t is nearest to `t` (points sorted by t); -1 when there are none. */
export function nearestIndex(points: readonly { t: number }[], t: number): number {
  if (points.length === 0) return -1;
  let lo = 0;
  let hi = points.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid]!.t < t) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs(points[lo - 1]!.t - t) <= Math.abs(points[lo]!.t - t)) return lo - 1;
  return lo;
}
