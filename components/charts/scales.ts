// Axis helpers shared by the charts: "nice" value ticks, calendar-aligned time ticks, and labels.
// Times are UTC everywhere, like components/time.tsx, so the chart and the tables agree.

/** Ticks at 1, 2 or 5 × 10^k covering [min, max]; the domain is widened to the outer ticks. */
export function niceTicks(min: number, max: number, count: number): { ticks: number[]; min: number; max: number; step: number } {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { ticks: [0, 1], min: 0, max: 1, step: 1 };
  if (min === max) {
    const pad = Math.abs(min) > 0 ? Math.abs(min) * 0.1 : 1;
    min -= pad;
    max += pad;
  }
  const raw = (max - min) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
  const lo = Math.floor(min / step) * step;
  const hi = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let v = lo; v <= hi + step / 2; v += step) ticks.push(Math.abs(v) < step / 1e6 ? 0 : v);
  return { ticks, min: lo, max: hi, step };
}

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const TIME_STEPS = [S, 2 * S, 5 * S, 10 * S, 15 * S, 30 * S, M, 2 * M, 5 * M, 10 * M, 15 * M, 30 * M, H, 2 * H, 3 * H, 6 * H, 12 * H, D, 2 * D, 7 * D, 14 * D, 30 * D];

/** Round-number times (UTC) between t0 and t1 (ms), at most about `maxTicks` of them. */
export function timeTicks(t0: number, t1: number, maxTicks: number): { ticks: number[]; step: number } {
  const span = Math.max(1, t1 - t0);
  const step = TIME_STEPS.find((s) => span / s <= Math.max(1, maxTicks)) ?? Math.ceil(span / Math.max(1, maxTicks) / D) * D;
  const ticks: number[] = [];
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) ticks.push(t);
  return { ticks, step };
}

const pad = (n: number) => String(n).padStart(2, "0");

/** Tick label for a time: seconds only when the ticks are seconds apart, the date when the range spans days. */
export function formatTimeTick(t: number, step: number, span: number): string {
  const d = new Date(t);
  const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  const date = `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  if (step >= D) return date;
  if (step < M) return `${hm}:${pad(d.getUTCSeconds())}`;
  return span > D ? `${date} ${hm}` : hm;
}

/** Full timestamp for tooltips and text alternatives. */
export function formatTimeFull(t: number): string {
  return `${new Date(t).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

const SI: [number, string][] = [
  [1e12, "T"],
  [1e9, "G"],
  [1e6, "M"],
  [1e3, "k"],
];

/** Compact number for axes and summaries: 1.5k, 2.25M, 0.004, 12.5. */
export function formatValue(v: number, step?: number): string {
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  for (const [size, unit] of SI) {
    if (abs >= size) return `${trim((v / size).toPrecision(3))}${unit}`;
  }
  if (step !== undefined && step > 0) {
    const decimals = Math.min(6, Math.max(0, -Math.floor(Math.log10(step))));
    return v.toFixed(decimals);
  }
  if (abs !== 0 && abs < 0.001) return v.toExponential(2);
  return trim(v.toPrecision(4));
}

function trim(s: string): string {
  return s.includes(".") && !s.includes("e") ? s.replace(/\.?0+$/, "") : s;
}

/** Prometheus-style series name: metric{a="1", b="2"}. */
export function seriesLabel(labels: Record<string, string>): string {
  const { __name__: name = "", ...rest } = labels;
  const inner = Object.entries(rest)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v}"`)
    .join(", ");
  return inner ? `${name}{${inner}}` : name || "{}";
}
