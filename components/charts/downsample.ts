// Chart downsampling (M4): per pixel column keep the first, min, max and last point, in time order.
// A line drawn through these points covers the same pixels as one drawn through every point, and the
// cost of drawing it is bounded by the canvas width instead of the series length.
// Pure and framework-free so it can be unit-tested; used by components/charts/time-series-chart.tsx.

export type XY = { t: number; v: number };

type Group<P> = { first: P; min: P; max: P; last: P };

function addTo<P extends XY>(g: Group<P> | null, p: P): Group<P> {
  if (!g) return { first: p, min: p, max: p, last: p };
  if (p.v < g.min.v) g.min = p;
  if (p.v > g.max.v) g.max = p;
  g.last = p;
  return g;
}

function emit<P extends XY>(out: P[], g: Group<P> | null) {
  if (!g) return;
  const picked = [g.first, g.min, g.max, g.last].sort((a, b) => a.t - b.t);
  for (let i = 0; i < picked.length; i++) if (i === 0 || picked[i] !== picked[i - 1]) out.push(picked[i]!);
}

/**
 * The points of `points` (sorted by t) worth drawing into `columns` pixel columns spanning [t0, t1].
 * A non-finite value (Prometheus' NaN) is a gap: it is kept, once, so the line breaks there. A column
 * then yields the M4 points before its first gap, the gap, and the M4 points after its last gap
 * (at most 9 points). Returns the input itself when it has at most 4 points per column.
 */
export function downsampleM4<P extends XY>(points: readonly P[], t0: number, t1: number, columns: number): readonly P[] {
  const cols = Math.max(1, Math.floor(columns));
  if (points.length <= cols * 4 || !(t1 > t0)) return points;
  const scale = cols / (t1 - t0);
  const out: P[] = [];
  let col = Number.NaN;
  let before: Group<P> | null = null;
  let gap: P | null = null;
  let after: Group<P> | null = null;

  const flush = () => {
    emit(out, before);
    if (gap) out.push(gap);
    emit(out, after);
    before = after = gap = null;
  };

  for (const p of points) {
    const c = Math.min(cols - 1, Math.max(0, Math.floor((p.t - t0) * scale)));
    if (c !== col) {
      flush();
      col = c;
    }
    if (!Number.isFinite(p.v)) {
      gap ??= p;
      after = null; // points between two gaps of one column are hidden by them anyway
    } else if (gap) {
      after = addTo(after, p);
    } else {
      before = addTo(before, p);
    }
  }
  flush();
  return out;
}

/** Index of the point whose t is nearest to `t` (points sorted by t); -1 when there are none. */
export function nearestIndex(points: readonly XY[], t: number): number {
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
