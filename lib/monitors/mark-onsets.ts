import type { PrometheusPoint } from "@/lib/insight/prometheus/client";

/**
 * The chart point nearest each signal's onset, with the signal's score, for the onsets within one step of a
 * point (remote_write timestamps are not on the query grid).
 */
export function markOnsets(points: readonly PrometheusPoint[], onsets: readonly { from: number; score: number }[], stepMs: number): (PrometheusPoint & { score: number })[] {
  return onsets.flatMap((o) => {
    let best: PrometheusPoint | undefined;
    for (const p of points) if (!best || Math.abs(p.t - o.from) < Math.abs(best.t - o.from)) best = p;
    return best && Math.abs(best.t - o.from) <= stepMs ? [{ ...best, score: o.score }] : [];
  });
}
