"use client";

// A canvas line chart for metric series with anomaly markers. Built for long series (10,000+ points):
// each series is reduced to at most a few points per pixel column (M4 downsampling) before drawing,
// the chart redraws only when its size or data changes (ResizeObserver), and hover feedback is drawn
// on a separate overlay canvas so moving the pointer never redraws the lines. No per-point DOM nodes.
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from "react";
import { downsampleM4, nearestIndex } from "@/components/charts/downsample";
import { formatTimeFull, formatTimeTick, formatValue, niceTicks, timeTicks } from "@/components/charts/scales";

export type ChartPoint = { t: number; v: number; score?: number };
export type ChartAnomaly = { t: number; v: number; score: number };
export type ChartSeries = { label: string; points: ChartPoint[]; anomalies?: ChartAnomaly[] };

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

const COLORS = ["#4f46e5", "#0d9488", "#d97706", "#7c3aed", "#0284c7", "#db2777", "#65a30d", "#475569"];
const ANOMALY = "#dc2626";
const FONT = '11px ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const MARGIN = { top: 10, right: 14, bottom: 24, left: 58 };
const MAX_SUMMARY_ANOMALIES = 25;

type Prepared = {
  label: string;
  color: string;
  points: ChartPoint[];
  anomalies: ChartAnomaly[];
  anomalyScore: Map<number, number>;
  min: number;
  max: number;
  finite: number;
};

type Model = {
  series: Prepared[];
  t0: number;
  t1: number;
  y: { ticks: number[]; min: number; max: number; step: number };
  anomalyCount: number;
  pointCount: number;
};

type Size = { width: number; height: number; dpr: number };
type Hover = { s: number; i: number };

function sortedByT<P extends { t: number }>(arr: readonly P[]): P[] {
  for (let i = 1; i < arr.length; i++) if (arr[i]!.t < arr[i - 1]!.t) return [...arr].sort((a, b) => a.t - b.t);
  return arr as P[];
}

function buildModel(input: ChartSeries[], yDomain?: [number, number], thresholds?: { value: number }[]): Model {
  let t0 = Infinity;
  let t1 = -Infinity;
  let vMin = Infinity;
  let vMax = -Infinity;
  let anomalyCount = 0;
  let pointCount = 0;
  const series = input.map((s, idx): Prepared => {
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
    return { label: s.label, color: COLORS[idx % COLORS.length]!, points, anomalies, anomalyScore: new Map(anomalies.map((a) => [a.t, a.score])), min, max, finite };
  });
  if (!Number.isFinite(t0)) {
    t0 = Date.now() - 3_600_000;
    t1 = Date.now();
  } else if (t0 === t1) {
    t0 -= 30_000;
    t1 += 30_000;
  }
  for (const th of thresholds ?? []) {
    vMin = Math.min(vMin, th.value);
    vMax = Math.max(vMax, th.value);
  }
  const y = yDomain ? { ...niceTicks(yDomain[0], yDomain[1], 4), min: yDomain[0], max: yDomain[1] } : niceTicks(vMin, vMax, 4);
  return { series, t0, t1, y, anomalyCount, pointCount };
}

function plotRect(size: Size) {
  return { x: MARGIN.left, y: MARGIN.top, w: Math.max(10, size.width - MARGIN.left - MARGIN.right), h: Math.max(10, size.height - MARGIN.top - MARGIN.bottom) };
}

function scales(model: Model, size: Size) {
  const r = plotRect(size);
  const sx = (t: number) => r.x + ((t - model.t0) / (model.t1 - model.t0)) * r.w;
  const sy = (v: number) => r.y + r.h - ((v - model.y.min) / (model.y.max - model.y.min || 1)) * r.h;
  const tx = (x: number) => model.t0 + ((x - r.x) / r.w) * (model.t1 - model.t0);
  return { r, sx, sy, tx };
}

function setupCanvas(canvas: HTMLCanvasElement, size: Size): CanvasRenderingContext2D | null {
  const w = Math.round(size.width * size.dpr);
  const h = Math.round(size.height * size.dpr);
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  canvas.style.width = `${size.width}px`;
  canvas.style.height = `${size.height}px`;
  const ctx = canvas.getContext("2d");
  if (!ctx) return null;
  ctx.setTransform(size.dpr, 0, 0, size.dpr, 0, 0);
  ctx.clearRect(0, 0, size.width, size.height);
  return ctx;
}

function drawBase(canvas: HTMLCanvasElement, size: Size, model: Model, thresholds: { value: number; label: string }[]) {
  const ctx = setupCanvas(canvas, size);
  if (!ctx) return;
  const { r, sx, sy } = scales(model, size);
  ctx.font = FONT;
  ctx.lineWidth = 1;

  // Value axis: grid lines and labels.
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const v of model.y.ticks) {
    if (v < model.y.min - 1e-12 || v > model.y.max + 1e-12) continue;
    const y = Math.round(sy(v)) + 0.5;
    ctx.strokeStyle = "#e2e8f0";
    ctx.beginPath();
    ctx.moveTo(r.x, y);
    ctx.lineTo(r.x + r.w, y);
    ctx.stroke();
    ctx.fillStyle = "#64748b";
    ctx.fillText(formatValue(v, model.y.step), r.x - 6, y);
  }

  // Time axis: ticks and labels, skipping labels that would collide.
  const span = model.t1 - model.t0;
  const { ticks, step } = timeTicks(model.t0, model.t1, Math.max(2, Math.floor(r.w / 90)));
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  let lastRight = -Infinity;
  for (const t of ticks) {
    const x = Math.round(sx(t)) + 0.5;
    ctx.strokeStyle = "#f1f5f9";
    ctx.beginPath();
    ctx.moveTo(x, r.y);
    ctx.lineTo(x, r.y + r.h);
    ctx.stroke();
    ctx.strokeStyle = "#94a3b8";
    ctx.beginPath();
    ctx.moveTo(x, r.y + r.h);
    ctx.lineTo(x, r.y + r.h + 4);
    ctx.stroke();
    const label = formatTimeTick(t, step, span);
    const half = ctx.measureText(label).width / 2;
    if (x - half < lastRight + 8 || x + half > size.width) continue;
    ctx.fillStyle = "#64748b";
    ctx.fillText(label, x, r.y + r.h + 7);
    lastRight = x + half;
  }
  ctx.textAlign = "left";
  ctx.fillStyle = "#94a3b8";
  ctx.fillText("UTC", 4, r.y + r.h + 7);

  // Axes.
  ctx.strokeStyle = "#cbd5e1";
  ctx.beginPath();
  ctx.moveTo(r.x + 0.5, r.y);
  ctx.lineTo(r.x + 0.5, r.y + r.h + 0.5);
  ctx.lineTo(r.x + r.w, r.y + r.h + 0.5);
  ctx.stroke();

  ctx.save();
  ctx.beginPath();
  ctx.rect(r.x, r.y - 4, r.w + 4, r.h + 8);
  ctx.clip();

  // Reference lines.
  for (const th of thresholds) {
    const y = Math.round(sy(th.value)) + 0.5;
    ctx.strokeStyle = ANOMALY;
    ctx.setLineDash([4, 4]);
    ctx.beginPath();
    ctx.moveTo(r.x, y);
    ctx.lineTo(r.x + r.w, y);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = ANOMALY;
    ctx.textAlign = "right";
    // Above the line, unless that would leave the plot (a threshold near the top).
    const above = y - r.y > 14;
    ctx.textBaseline = above ? "bottom" : "top";
    ctx.fillText(th.label, r.x + r.w - 2, above ? y - 2 : y + 3);
  }

  // Lines: at most a few points per device pixel column.
  const columns = Math.ceil(r.w * size.dpr);
  for (const s of model.series) {
    const pts = downsampleM4(s.points, model.t0, model.t1, columns);
    // A dense series (more points than CSS pixels) is drawn with 1-device-pixel hairlines: its min/max
    // zig-zag reads as a band anyway, and thick or round-joined strokes of thousands of tiny segments
    // cost 10-20x more to rasterize (measured: ~100 ms vs ~5 ms per redraw without GPU raster).
    const dense = s.points.length > r.w;
    ctx.lineWidth = dense ? 1 / size.dpr : 1.5;
    ctx.lineJoin = dense ? "miter" : "round";
    ctx.strokeStyle = s.color;
    ctx.fillStyle = s.color;
    ctx.beginPath();
    let pen = false;
    let runStart = -1;
    for (let i = 0; i < pts.length; i++) {
      const p = pts[i]!;
      if (!Number.isFinite(p.v)) {
        if (pen && runStart === i - 1) dot(ctx, sx(pts[runStart]!.t), sy(pts[runStart]!.v), 1.5);
        pen = false;
        continue;
      }
      const x = sx(p.t);
      const y = sy(p.v);
      if (pen) ctx.lineTo(x, y);
      else {
        ctx.moveTo(x, y);
        runStart = i;
      }
      pen = true;
    }
    ctx.stroke();
    // A lone point (a one-sample series, or one between gaps) has no line to show it.
    if (pen && runStart === pts.length - 1) dot(ctx, sx(pts[runStart]!.t), sy(pts[runStart]!.v), 1.5);
  }

  // Anomalies: red dots, one per pixel.
  ctx.fillStyle = ANOMALY;
  ctx.strokeStyle = "#ffffff";
  ctx.lineWidth = 1;
  const seen = new Set<number>();
  for (const s of model.series) {
    for (const a of s.anomalies) {
      const x = Math.round(sx(a.t));
      const y = Math.round(sy(a.v));
      const key = x * 100_000 + y;
      if (seen.has(key)) continue;
      seen.add(key);
      ctx.beginPath();
      ctx.arc(x, y, 3.25, 0, Math.PI * 2);
      ctx.fill();
      ctx.stroke();
    }
  }
  ctx.restore();
}

function dot(ctx: CanvasRenderingContext2D, x: number, y: number, radius: number) {
  ctx.save();
  ctx.beginPath();
  ctx.arc(x, y, radius, 0, Math.PI * 2);
  ctx.fill();
  ctx.restore();
}

function drawOverlay(canvas: HTMLCanvasElement, size: Size, model: Model, hover: Hover | null) {
  const ctx = setupCanvas(canvas, size);
  if (!ctx || !hover) return;
  const s = model.series[hover.s];
  const p = s?.points[hover.i];
  if (!s || !p) return;
  const { r, sx, sy } = scales(model, size);
  const x = Math.round(sx(p.t)) + 0.5;
  ctx.strokeStyle = "#94a3b8";
  ctx.setLineDash([3, 3]);
  ctx.beginPath();
  ctx.moveTo(x, r.y);
  ctx.lineTo(x, r.y + r.h);
  ctx.stroke();
  ctx.setLineDash([]);
  if (!Number.isFinite(p.v)) return;
  ctx.fillStyle = s.anomalyScore.has(p.t) ? ANOMALY : s.color;
  ctx.strokeStyle = "#ffffff";
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.arc(sx(p.t), sy(p.v), 4.5, 0, Math.PI * 2);
  ctx.fill();
  ctx.stroke();
}

export function TimeSeriesChart({ series, title, height = 240, yDomain, thresholds, valueName = "value", showScores = true, showLegend = true }: Props) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const baseRef = useRef<HTMLCanvasElement>(null);
  const overlayRef = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState<Size | null>(null);
  const [hover, setHover] = useState<Hover | null>(null);
  const summaryId = useId();
  const yMin = yDomain?.[0];
  const yMax = yDomain?.[1];
  const thresholdKey = JSON.stringify(thresholds ?? []);
  // yDomain and thresholds are compared by value, so inline arrays from the caller do not redraw.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const model = useMemo(() => buildModel(series, yMin === undefined ? undefined : [yMin, yMax!], thresholds), [series, yMin, yMax, thresholdKey]);

  // Follow the container's width and the screen's pixel density.
  useEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    const measure = () => {
      const width = Math.floor(el.getBoundingClientRect().width);
      const dpr = window.devicePixelRatio || 1;
      setSize((prev) => (prev && prev.width === width && prev.height === height && prev.dpr === dpr ? prev : { width, height, dpr }));
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    let mq: MediaQueryList | null = null;
    const watchDpr = () => {
      mq?.removeEventListener("change", onDpr);
      mq = window.matchMedia(`(resolution: ${window.devicePixelRatio || 1}dppx)`);
      mq.addEventListener("change", onDpr);
    };
    const onDpr = () => {
      measure();
      watchDpr();
    };
    watchDpr();
    return () => {
      ro.disconnect();
      mq?.removeEventListener("change", onDpr);
    };
  }, [height]);

  useEffect(() => {
    if (size && size.width > 0 && baseRef.current) drawBase(baseRef.current, size, model, thresholds ?? []);
    // thresholds change only with model (same key), see above.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [size, model]);

  useEffect(() => {
    if (size && size.width > 0 && overlayRef.current) drawOverlay(overlayRef.current, size, model, hover);
  }, [size, model, hover]);

  // The data changed under the pointer: forget the hovered point.
  useEffect(() => setHover(null), [model]);

  const pick = (x: number, y: number): Hover | null => {
    if (!size) return null;
    const { r, sy, tx } = scales(model, size);
    if (x < r.x - 4 || x > r.x + r.w + 4) return null;
    const t = tx(x);
    let best: Hover | null = null;
    let bestDist = Infinity;
    model.series.forEach((s, si) => {
      const i = nearestIndex(s.points, t);
      const p = s.points[i];
      if (!p) return;
      const d = Number.isFinite(p.v) ? Math.abs(sy(p.v) - y) : 1e6;
      if (d < bestDist) {
        bestDist = d;
        best = { s: si, i };
      }
    });
    return best;
  };

  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const next = pick(e.clientX - rect.left, e.clientY - rect.top);
    setHover((prev) => (prev?.s === next?.s && prev?.i === next?.i ? prev : next));
  };

  // Keyboard: arrows step through the points of the focused series, Up/Down switch series.
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const first = model.series.findIndex((s) => s.points.length > 0);
    if (first < 0) return;
    const cur = hover ?? { s: first, i: 0 };
    const s = model.series[cur.s]!;
    const big = Math.max(1, Math.round(s.points.length / 20));
    let next: Hover | null = cur;
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
    setHover(next);
  };

  const summary = useMemo(() => {
    const range = model.pointCount ? `from ${formatTimeFull(model.t0)} to ${formatTimeFull(model.t1)}` : "with no data";
    const n = model.series.length;
    const anomalies = model.anomalyCount === 1 ? "1 anomalous point" : `${model.anomalyCount} anomalous points`;
    return `${title}: ${n} series ${range}, ${anomalies}.`;
  }, [model, title]);

  const tooltip = (() => {
    if (!hover || !size) return null;
    const s = model.series[hover.s];
    const p = s?.points[hover.i];
    if (!s || !p) return null;
    const { r, sx, sy } = scales(model, size);
    const x = sx(p.t);
    const y = Number.isFinite(p.v) ? sy(p.v) : r.y + r.h / 2;
    const score = p.score ?? s.anomalyScore.get(p.t);
    const anomalous = s.anomalyScore.has(p.t);
    const left = x > size.width - 310 ? Math.max(0, x - 12 - 300) : x + 12;
    const top = Math.min(Math.max(0, y - 20), size.height - 70);
    return (
      <div
        className="pointer-events-none absolute z-10 w-max max-w-[300px] rounded-md border border-slate-200 bg-white/95 px-2 py-1.5 text-xs shadow-md"
        style={{ left, top }}
        data-testid="chart-tooltip"
      >
        <div className="font-medium text-slate-900 tabular-nums">{formatTimeFull(p.t)}</div>
        {model.series.length > 1 ? (
          <div className="flex items-center gap-1 truncate text-slate-600">
            <span className="inline-block size-2 shrink-0 rounded-full" style={{ background: s.color }} aria-hidden="true" />
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
        ref={wrapRef}
        role="img"
        aria-label={summary}
        aria-describedby={summaryId}
        tabIndex={0}
        onPointerMove={onPointerMove}
        onPointerLeave={() => setHover(null)}
        onKeyDown={onKeyDown}
        onBlur={() => setHover(null)}
        className="relative w-full touch-none rounded select-none"
        style={{ height }}
        data-testid="time-series-chart"
        data-points={model.pointCount}
        data-anomalies={model.anomalyCount}
      >
        <canvas ref={baseRef} className="absolute inset-0" aria-hidden="true" />
        <canvas ref={overlayRef} className="absolute inset-0" aria-hidden="true" />
        {tooltip}
      </div>
      {showLegend && model.series.length > 1 ? (
        <figcaption className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600" aria-hidden="true">
          {model.series.slice(0, 12).map((s, i) => (
            <span key={i} className="flex max-w-full items-center gap-1.5">
              <span className="inline-block h-0.5 w-3 shrink-0" style={{ background: s.color }} />
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
