"use client";

// A line chart for metric series with anomaly markers, drawn by uPlot. uPlot draws 10,000+ points per
// series quickly (it keeps the min and max per pixel column itself); this component adds what it does
// not: UTC axes matching the tables, red anomaly dots and threshold lines (drawn in uPlot's draw hook),
// the tooltip, keyboard stepping, the legend and a text alternative for screen readers.
import { useEffect, useId, useMemo, useRef, useState, useSyncExternalStore, type KeyboardEvent } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { buildModel, nearestIndex, type ChartModel } from "@/components/charts/series-data";
import { formatTimeFull, formatTimeTick, formatValue, timeTicks } from "@/components/charts/scales";

export type { ChartAnomaly, ChartPoint, ChartSeries } from "@/components/charts/series-data";
import type { ChartSeries } from "@/components/charts/series-data";

type Props = {
  series: ChartSeries[];
  /** What the chart shows, for its accessible name ("checkout latency"). */
  title: string;
  height?: number;
  /** Fixed value range (e.g. [0, 1] for scores); otherwise fitted to the data. */
  yDomain?: [number, number];
  /** Horizontal reference lines, e.g. the sensitivity a score must reach. */
  thresholds?: { value: number; label: string }[];
  /** Name of the value in the tooltip and summary ("value", "score"). */
  valueName?: string;
  /** When false, tooltips and the summary leave out per-point scores. */
  showScores?: boolean;
  /** The series legend (shown when there are several series). */
  showLegend?: boolean;
};

// 600 shades on a light card, 400 shades on a dark one: both keep ≥3:1 against the background.
const COLORS = {
  light: ["#4f46e5", "#0d9488", "#d97706", "#7c3aed", "#0284c7", "#db2777", "#65a30d", "#475569"],
  dark: ["#818cf8", "#2dd4bf", "#fbbf24", "#a78bfa", "#38bdf8", "#f472b6", "#a3e635", "#94a3b8"],
};
const ANOMALY = { light: "#dc2626", dark: "#f87171" };
const FONT_FAMILY = 'ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const MAX_SUMMARY_ANOMALIES = 25;

type Hover = { s: number; i: number; x: number; y: number };

const darkQuery = "(prefers-color-scheme: dark)";
function subscribeDark(onChange: () => void) {
  const mq = window.matchMedia(darkQuery);
  mq.addEventListener("change", onChange);
  return () => mq.removeEventListener("change", onChange);
}
const useDark = () =>
  useSyncExternalStore(
    subscribeDark,
    () => window.matchMedia(darkQuery).matches,
    () => false,
  );

/** The page's palette (app/globals.css mirrors it in dark mode), for what uPlot paints on its canvas. */
function cssColor(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

function plotOptions(
  model: ChartModel,
  width: number,
  height: number,
  dark: boolean,
  thresholds: { value: number; label: string }[],
  onCursor: (u: uPlot) => void,
): uPlot.Options {
  const text = cssColor("--color-slate-500", "#64748b");
  const grid = cssColor("--color-slate-200", "#e2e8f0");
  const faintGrid = cssColor("--color-slate-100", "#f1f5f9");
  const axisLine = cssColor("--color-slate-300", "#cbd5e1");
  const surface = cssColor("--color-white", "#ffffff");
  const colors = dark ? COLORS.dark : COLORS.light;
  const anomaly = dark ? ANOMALY.dark : ANOMALY.light;
  const font = `11px ${FONT_FAMILY}`;
  const span = model.t1 - model.t0;
  const xTicks = (u: uPlot) => timeTicks(model.t0, model.t1, Math.max(2, Math.floor(u.bbox.width / uPlot.pxRatio / 90)));

  return {
    width,
    height,
    legend: { show: false },
    cursor: { y: false, points: { show: false }, drag: { x: false, y: false, setScale: false } },
    scales: {
      x: { time: false, range: () => [model.t0, model.t1] },
      y: { range: () => [model.y.min, model.y.max] },
    },
    axes: [
      {
        stroke: text,
        font,
        size: 24,
        gap: 4,
        grid: { stroke: faintGrid, width: 1 },
        ticks: { stroke: axisLine, width: 1, size: 4 },
        border: { show: true, stroke: axisLine, width: 1 },
        splits: (u) => xTicks(u).ticks,
        values: (u, splits) => {
          const { step } = xTicks(u);
          return splits.map((t) => formatTimeTick(t, step, span));
        },
      },
      {
        stroke: text,
        font,
        size: 56,
        gap: 6,
        grid: { stroke: grid, width: 1 },
        ticks: { show: false },
        border: { show: true, stroke: axisLine, width: 1 },
        splits: () => model.y.ticks.filter((v) => v >= model.y.min - 1e-12 && v <= model.y.max + 1e-12),
        values: (_u, splits) => splits.map((v) => formatValue(v, model.y.step)),
      },
    ],
    series: [
      {},
      ...model.series.map((s, i) => ({
        label: s.label,
        stroke: colors[i % colors.length],
        // A dense series reads as a band; hairlines keep it cheap to rasterize and crisp.
        width: s.points.length > width ? 1 / uPlot.pxRatio : 1.5,
        points: { size: 4, fill: colors[i % colors.length] },
      })),
    ],
    hooks: {
      draw: [(u) => drawOverlays(u, model, thresholds, { anomaly, surface, text, font })],
      setCursor: [onCursor],
    },
  };
}

/** Threshold lines with their labels, then anomalies as red dots (one per pixel), over the series. */
function drawOverlays(u: uPlot, model: ChartModel, thresholds: { value: number; label: string }[], c: { anomaly: string; surface: string; text: string; font: string }) {
  const { ctx, bbox } = u;
  const px = uPlot.pxRatio;
  ctx.save();
  ctx.font = `${Math.round(11 * px)}px ${FONT_FAMILY}`;
  ctx.fillStyle = c.text;
  ctx.textAlign = "left";
  ctx.textBaseline = "top";
  ctx.fillText("UTC", 4 * px, bbox.top + bbox.height + 7 * px);

  ctx.beginPath();
  ctx.rect(bbox.left, bbox.top - 4 * px, bbox.width + 4 * px, bbox.height + 8 * px);
  ctx.clip();
  ctx.lineWidth = px;
  for (const th of thresholds) {
    const y = Math.round(u.valToPos(th.value, "y", true)) + 0.5;
    ctx.strokeStyle = c.anomaly;
    ctx.setLineDash([4 * px, 4 * px]);
    ctx.beginPath();
    ctx.moveTo(bbox.left, y);
    ctx.lineTo(bbox.left + bbox.width, y);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = c.anomaly;
    ctx.textAlign = "right";
    // Above the line, unless that would leave the plot (a threshold near the top).
    const above = y - bbox.top > 14 * px;
    ctx.textBaseline = above ? "bottom" : "top";
    ctx.fillText(th.label, bbox.left + bbox.width - 2 * px, above ? y - 2 * px : y + 3 * px);
  }

  ctx.fillStyle = c.anomaly;
  ctx.strokeStyle = c.surface;
  const seen = new Set<number>();
  for (const s of model.series) {
    for (const a of s.anomalies) {
      const x = Math.round(u.valToPos(a.t, "x", true));
      const y = Math.round(u.valToPos(a.v, "y", true));
      const key = x * 100_000 + y;
      if (seen.has(key)) continue;
      seen.add(key);
      ctx.beginPath();
      ctx.arc(x, y, 3.25 * px, 0, Math.PI * 2);
      ctx.fill();
      ctx.stroke();
    }
  }
  ctx.restore();
}

export function TimeSeriesChart({ series, title, height = 240, yDomain, thresholds, valueName = "value", showScores = true, showLegend = true }: Props) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  // A point chosen with the keyboard, handed to the cursor hook as is (the pointer picks by distance).
  const keyedRef = useRef<{ s: number; i: number } | null>(null);
  const [hover, setHover] = useState<Hover | null>(null);
  const dark = useDark();
  const summaryId = useId();
  const yMin = yDomain?.[0];
  const yMax = yDomain?.[1];
  const thresholdKey = JSON.stringify(thresholds ?? []);
  // yDomain and thresholds are compared by value, so inline arrays from the caller do not rebuild the chart.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const model = useMemo(() => buildModel(series, yMin === undefined ? undefined : [yMin, yMax!], thresholds), [series, yMin, yMax, thresholdKey]);

  useEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    // The pointer's position in the plot → the nearest point in time of the series nearest in value.
    const onCursor = (u: uPlot) => {
      const { left, top } = u.cursor;
      const plotLeft = u.bbox.left / uPlot.pxRatio;
      const plotTop = u.bbox.top / uPlot.pxRatio;
      let picked: { s: number; i: number } | null = keyedRef.current;
      keyedRef.current = null;
      if (!picked && left !== undefined && top !== undefined && left >= 0) {
        const t = u.posToVal(left, "x");
        let bestDist = Infinity;
        model.series.forEach((s, si) => {
          const i = nearestIndex(s.points, t);
          const p = s.points[i];
          if (!p) return;
          const d = Number.isFinite(p.v) ? Math.abs(u.valToPos(p.v, "y") - top) : 1e6;
          if (d < bestDist) {
            bestDist = d;
            picked = { s: si, i };
          }
        });
      }
      const hit = picked as { s: number; i: number } | null;
      const p = hit ? model.series[hit.s]?.points[hit.i] : undefined;
      if (!hit || !p) {
        setHover((prev) => (prev ? null : prev));
        return;
      }
      const x = plotLeft + u.valToPos(p.t, "x");
      const y = plotTop + (Number.isFinite(p.v) ? u.valToPos(p.v, "y") : u.bbox.height / uPlot.pxRatio / 2);
      setHover((prev) => (prev?.s === hit.s && prev.i === hit.i && prev.x === x && prev.y === y ? prev : { ...hit, x, y }));
    };
    const width = Math.max(10, Math.floor(el.getBoundingClientRect().width));
    const u = new uPlot(plotOptions(model, width, height, dark, thresholds ?? [], onCursor), model.aligned, el);
    plotRef.current = u;
    // Follow the container's width; uPlot follows the screen's pixel density itself.
    const ro = new ResizeObserver(() => {
      const w = Math.max(10, Math.floor(el.getBoundingClientRect().width));
      if (w !== u.width) {
        u.setSize({ width: w, height });
        setHover(null);
      }
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plotRef.current = null;
      setHover(null);
    };
    // thresholds change only with model (same key), see above.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [model, height, dark]);

  const moveTo = (next: { s: number; i: number } | null) => {
    const u = plotRef.current;
    if (!u) return;
    const p = next ? model.series[next.s]?.points[next.i] : undefined;
    if (!next || !p) {
      u.setCursor({ left: -10, top: -10 });
      setHover(null);
      return;
    }
    keyedRef.current = next;
    u.setCursor({ left: u.valToPos(p.t, "x"), top: Number.isFinite(p.v) ? u.valToPos(p.v, "y") : 0 });
  };

  // Keyboard: arrows step through the points of the focused series, Up/Down switch series.
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const first = model.series.findIndex((s) => s.points.length > 0);
    if (first < 0) return;
    const cur = hover ?? { s: first, i: 0 };
    const s = model.series[cur.s]!;
    const big = Math.max(1, Math.round(s.points.length / 20));
    let next: { s: number; i: number } | null = cur;
    switch (e.key) {
      case "ArrowRight":
        next = hover ? { s: cur.s, i: Math.min(s.points.length - 1, cur.i + (e.shiftKey ? big : 1)) } : cur;
        break;
      case "ArrowLeft":
        next = hover ? { s: cur.s, i: Math.max(0, cur.i - (e.shiftKey ? big : 1)) } : cur;
        break;
      case "Home":
        next = { s: cur.s, i: 0 };
        break;
      case "End":
        next = { s: cur.s, i: s.points.length - 1 };
        break;
      case "ArrowUp":
      case "ArrowDown": {
        const dir = e.key === "ArrowDown" ? 1 : -1;
        const n = model.series.length;
        let si = cur.s;
        for (let k = 0; k < n; k++) {
          si = (si + dir + n) % n;
          if (model.series[si]!.points.length) break;
        }
        const t = s.points[cur.i]?.t ?? model.t0;
        next = { s: si, i: Math.max(0, nearestIndex(model.series[si]!.points, t)) };
        break;
      }
      case "Escape":
        next = null;
        break;
      default:
        return;
    }
    e.preventDefault();
    moveTo(next);
  };

  const summary = useMemo(() => {
    const range = model.pointCount ? `from ${formatTimeFull(model.t0)} to ${formatTimeFull(model.t1)}` : "with no data";
    const n = model.series.length;
    const anomalies = model.anomalyCount === 1 ? "1 anomalous point" : `${model.anomalyCount} anomalous points`;
    return `${title}: ${n} series ${range}, ${anomalies}.`;
  }, [model, title]);

  const colors = dark ? COLORS.dark : COLORS.light;
  const colorOf = (i: number) => colors[i % colors.length]!;

  const tooltip = (() => {
    if (!hover) return null;
    const s = model.series[hover.s];
    const p = s?.points[hover.i];
    if (!s || !p) return null;
    const width = wrapRef.current?.clientWidth ?? 0;
    const score = p.score ?? s.anomalyScore.get(p.t);
    const anomalous = s.anomalyScore.has(p.t);
    const left = hover.x > width - 310 ? Math.max(0, hover.x - 12 - 300) : hover.x + 12;
    const top = Math.min(Math.max(0, hover.y - 20), height - 70);
    return (
      <>
        {Number.isFinite(p.v) ? (
          <span
            className="pointer-events-none absolute z-10 size-[9px] -translate-x-1/2 -translate-y-1/2 rounded-full border-2 border-white"
            style={{ left: hover.x, top: hover.y, background: anomalous ? (dark ? ANOMALY.dark : ANOMALY.light) : colorOf(hover.s) }}
            aria-hidden="true"
          />
        ) : null}
        <div
          className="pointer-events-none absolute z-10 w-max max-w-[300px] rounded-md border border-slate-200 bg-white/95 px-2 py-1.5 text-xs shadow-md"
          style={{ left, top }}
          data-testid="chart-tooltip"
        >
          <div className="font-medium text-slate-900 tabular-nums">{formatTimeFull(p.t)}</div>
          {model.series.length > 1 ? (
            <div className="flex items-center gap-1 truncate text-slate-600">
              <span className="inline-block size-2 shrink-0 rounded-full" style={{ background: colorOf(hover.s) }} aria-hidden="true" />
              <span className="truncate">{s.label}</span>
            </div>
          ) : null}
          <div className="text-slate-700 tabular-nums">
            {valueName}: <span className="font-medium text-slate-900">{Number.isFinite(p.v) ? formatValue(p.v) : "no value"}</span>
          </div>
          {showScores && score !== undefined ? (
            <div className="text-slate-700 tabular-nums">
              score: <span className={`font-medium ${anomalous ? "text-red-700" : "text-slate-900"}`}>{score.toFixed(3)}</span>
              {anomalous ? <span className="ml-1 font-medium text-red-700">anomaly</span> : null}
            </div>
          ) : null}
        </div>
      </>
    );
  })();

  const anomaliesForSummary = useMemo(
    () =>
      model.series
        .flatMap((s) => s.anomalies.map((a) => ({ ...a, label: s.label })))
        .sort((a, b) => b.score - a.score)
        .slice(0, MAX_SUMMARY_ANOMALIES),
    [model],
  );

  // Hover re-renders the chart; the text alternative only changes with the data.
  const textAlternative = useMemo(
    () => (
      <div id={summaryId} className="sr-only">
        <p>Use the arrow keys on the chart to step through its points.</p>
        <table>
          <caption>{title}: summary per series</caption>
          <thead>
            <tr>
              <th scope="col">Series</th>
              <th scope="col">Points</th>
              <th scope="col">Minimum {valueName}</th>
              <th scope="col">Maximum {valueName}</th>
              <th scope="col">Last {valueName}</th>
              <th scope="col">Anomalies</th>
            </tr>
          </thead>
          <tbody>
            {model.series.map((s, i) => {
              const last = s.points.findLast((p) => Number.isFinite(p.v));
              return (
                <tr key={i}>
                  <th scope="row">{s.label}</th>
                  <td>{s.points.length}</td>
                  <td>{s.finite ? formatValue(s.min) : "—"}</td>
                  <td>{s.finite ? formatValue(s.max) : "—"}</td>
                  <td>{last ? formatValue(last.v) : "—"}</td>
                  <td>{s.anomalies.length}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {anomaliesForSummary.length ? (
          <>
            <p>
              {model.anomalyCount > anomaliesForSummary.length ? `The ${anomaliesForSummary.length} highest-scoring anomalies:` : "Anomalies, highest score first:"}
            </p>
            <ol>
              {anomaliesForSummary.map((a) => (
                <li key={`${a.label}-${a.t}`}>
                  {formatTimeFull(a.t)}, {a.label}: {valueName} {formatValue(a.v)}
                  {showScores ? `, score ${a.score.toFixed(3)}` : ""}
                </li>
              ))}
            </ol>
          </>
        ) : null}
      </div>
    ),
    [model, title, valueName, showScores, summaryId, anomaliesForSummary],
  );

  return (
    <figure className="m-0">
      <div
        role="img"
        aria-label={summary}
        aria-describedby={summaryId}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onBlur={() => moveTo(null)}
        className="relative w-full rounded select-none"
        style={{ height }}
        data-testid="time-series-chart"
        data-points={model.pointCount}
        data-anomalies={model.anomalyCount}
      >
        {/* uPlot owns this element's children; React's overlays sit beside it. */}
        <div ref={wrapRef} className="absolute inset-0" aria-hidden="true" />
        {tooltip}
      </div>
      {showLegend && model.series.length > 1 ? (
        <figcaption className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600" aria-hidden="true">
          {model.series.slice(0, 12).map((s, i) => (
            <span key={i} className="flex max-w-full items-center gap-1.5">
              <span className="inline-block h-0.5 w-3 shrink-0" style={{ background: colorOf(i) }} />
              <span className="truncate font-mono">{s.label}</span>
            </span>
          ))}
          {model.series.length > 12 ? <span>and {model.series.length - 12} more</span> : null}
        </figcaption>
      ) : null}
      {textAlternative}
    </figure>
  );
}
