"use client";

// What a monitor's Preview found: the query's values with the points the detector would flag, and the score per
// point against the sensitivity. Nothing here is saved; the form (monitor-form.tsx) owns the preview action.
import { useMemo } from "react";
import { TimeSeriesChart, type ChartSeries } from "@/components/charts/time-series-chart";
import type { PreviewMonitorState } from "../actions";

export function PreviewResult({ state, stale }: { state: Extract<NonNullable<PreviewMonitorState>, { ok: true }>; stale: boolean }) {
  const { values, scores, anomalyCount, pointCount } = useMemo(() => {
    const values: ChartSeries[] = [];
    const scores: ChartSeries[] = [];
    let anomalyCount = 0;
    let pointCount = 0;
    for (const s of state.series) {
      const points = s.t.map((t, i) => ({ t, v: s.v[i]!, score: s.score[i]! }));
      const anomalies = points.filter((p) => p.score >= state.sensitivity);
      anomalyCount += anomalies.length;
      pointCount += points.length;
      values.push({ label: s.label, points, anomalies });
      scores.push({
        label: s.label,
        points: points.map((p) => ({ t: p.t, v: p.score })),
        anomalies: anomalies.map((a) => ({ t: a.t, v: a.score, score: a.score })),
      });
    }
    return { values, scores, anomalyCount, pointCount };
  }, [state]);

  return (
    <section aria-labelledby="preview-heading" className={`rounded-lg border border-slate-200 bg-white p-4 shadow-sm ${stale ? "opacity-60" : ""}`} data-testid="monitor-preview">
      <h3 id="preview-heading" className="text-sm font-semibold text-slate-900">
        Preview
      </h3>
      <p className="mt-0.5 text-xs text-slate-600" role="status">
        {state.series.length === 0
          ? "The query returned no series for this range."
          : `${state.series.length} series, ${pointCount.toLocaleString("en-US")} points scored; ${anomalyCount.toLocaleString("en-US")} at or above sensitivity ${state.sensitivity}. Nothing was saved.`}
        {state.series.length >= 20 ? " Only the first 20 series are shown." : ""}
      </p>
      {state.series.length > 0 ? (
        <div className="mt-3 space-y-4">
          <TimeSeriesChart series={values} title="Preview: query values with anomalous points" height={240} />
          <div>
            <h4 className="mt-2 mb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">Anomaly score</h4>
            <TimeSeriesChart
              series={scores}
              title="Preview: anomaly score per point"
              height={140}
              yDomain={[0, 1]}
              thresholds={[{ value: state.sensitivity, label: `sensitivity ${state.sensitivity}` }]}
              valueName="score"
              showScores={false}
              showLegend={false}
            />
          </div>
        </div>
      ) : null}
    </section>
  );
}
