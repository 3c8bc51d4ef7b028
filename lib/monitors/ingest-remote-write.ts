// Prometheus remote_write → detectors. Samples of series that match a monitor's selector (monitors
// whose query is a plain selector) are scored exactly like scanned points (score-points.ts), and
// anomalies become signals. A body that cannot decode is a 4xx (Prometheus does not retry those).
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { AppError } from "@/lib/errors";
import { decodeWriteRequest } from "@/lib/insight/remote-write/decode";
import { RemoteWriteError } from "@/lib/insight/remote-write/errors";
import { ingestSignals } from "@/lib/incidents/ingest-signals";
import type { SignalInput } from "@/lib/incidents/schemas";
import { matches, parseSelector, seriesKey, type Matcher } from "@/lib/monitors/selector";
import { loadSeriesStates, saveSeriesState, scorePoints } from "@/lib/monitors/score-points";

export const MAX_REMOTE_WRITE_BODY = 10 * 1024 * 1024;
export const MAX_REMOTE_WRITE_DECOMPRESSED = 64 * 1024 * 1024;

export type RemoteWriteResult = { series: number; samples: number; matchedSeries: number; scored: number; signals: number; metadata: number };

export async function ingestRemoteWrite({ actor, body }: { actor: Actor; body: Uint8Array }): Promise<RemoteWriteResult> {
  assertCan(actor, "signals.ingest");
  let decoded;
  try {
    decoded = decodeWriteRequest(body, { maxDecompressedBytes: MAX_REMOTE_WRITE_DECOMPRESSED });
  } catch (err) {
    if (err instanceof RemoteWriteError) throw new AppError(err.code === "too_large" ? "payload_too_large" : "bad_request", err.message);
    throw err;
  }
  const result: RemoteWriteResult = { series: decoded.series.length, samples: 0, matchedSeries: 0, scored: 0, signals: 0, metadata: decoded.metadataCount };
  for (const s of decoded.series) result.samples += s.samples.length;
  if (decoded.series.length === 0) return result;

  const monitors = (await db.monitor.findMany({ where: { orgId: actor.orgId, enabled: true } }))
    .map((m) => ({ monitor: m, matchers: parseSelector(m.query) }))
    .filter((x): x is { monitor: (typeof x)["monitor"]; matchers: Matcher[] } => x.matchers !== null);
  if (monitors.length === 0) return result;

  const signals: SignalInput[] = [];
  const saves = [];
  const matched = decoded.series.map((series) => ({ series, key: seriesKey(series.labels), monitors: monitors.filter((m) => matches(m.matchers, series.labels)) }));
  const priors = new Map<string, Awaited<ReturnType<typeof loadSeriesStates>>>();
  for (const { monitor } of monitors) {
    const keys = matched.filter((x) => x.monitors.some((m) => m.monitor.id === monitor.id)).map((x) => x.key);
    priors.set(monitor.id, await loadSeriesStates(monitor.id, keys));
  }
  for (const { series, key, monitors: mine } of matched) {
    // Stale markers end a series; they are not values to learn.
    const points = series.samples.filter((p) => !p.stale && Number.isFinite(p.v)).map((p) => ({ t: p.t, v: p.v }));
    if (points.length === 0) continue;
    for (const { monitor } of mine) {
      result.matchedSeries += 1;
      const prior = priors.get(monitor.id)?.get(key) ?? null;
      const scored = scorePoints(monitor, series.labels, points, prior, `remote_write:${monitor.id}`);
      result.scored += scored.scored;
      signals.push(...scored.signals);
      saves.push(scored.save);
    }
  }
  // Signals first: if we die before saving state, the same points are re-scored and re-emitted
  // idempotently; the other order could lose an anomaly.
  if (signals.length) await ingestSignals({ actor, signals });
  for (const save of saves) await saveSeriesState(save);
  result.signals = signals.length;
  return result;
}
