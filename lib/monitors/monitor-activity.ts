// A monitor's page: its query over the last day with the anomalies it raised marked, and the signals it
// raised (with their incidents). Signals name their monitor in `source` ("monitor:<id>" from scans,
// "remote_write:<id>" from pushed samples).
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { notFound } from "@/lib/errors";
import { fetchRange, metricsSource, toAppError } from "@/lib/monitors/fetch-range";
import { MAX_RANGE_STEPS } from "@/lib/monitors/history";
import { seriesKey } from "@/lib/monitors/selector";
import { markOnsets } from "@/lib/monitors/mark-onsets";

const DAY_MS = 86_400_000;
const MAX_SERIES = 20;

const sourcesOf = (id: string) => [`monitor:${id}`, `remote_write:${id}`];

/** The newest signals this monitor raised, newest first. */
export async function monitorSignals({ actor, id, limit = 50 }: { actor: Actor; id: string; limit?: number }) {
  assertCan(actor, "incidents.read");
  return db.signal.findMany({
    where: { orgId: actor.orgId, source: { in: sourcesOf(id) } },
    orderBy: { startsAt: "desc" },
    take: limit,
    select: { id: true, title: true, status: true, severity: true, score: true, value: true, startsAt: true, endsAt: true, source: true, incidentId: true, incident: { select: { title: true, status: true } } },
  });
}

/** The query's last day (capped at the range limit), anomalies at the onset of each signal; null when there is no metrics source. */
export async function monitorSeries({ actor, id, now = Date.now() }: { actor: Actor; id: string; now?: number }) {
  assertCan(actor, "incidents.read");
  const monitor = await db.monitor.findFirst({ where: { id, orgId: actor.orgId } });
  if (!monitor) throw notFound("monitor");
  const source = await metricsSource(actor.orgId, monitor.clusterId);
  if (!source) return null;
  const stepMs = monitor.stepSeconds * 1000;
  const end = Math.floor(now / stepMs) * stepMs;
  const start = Math.max(end - DAY_MS, end - MAX_RANGE_STEPS * stepMs);
  const [series, signals] = await Promise.all([
    fetchRange(source, { query: monitor.query, start, end, stepMs, timeoutMs: 10_000 }).catch((err: unknown) => {
      throw toAppError(err);
    }),
    db.signal.findMany({ where: { orgId: actor.orgId, source: { in: sourcesOf(id) }, startsAt: { gte: new Date(start) } }, select: { startsAt: true, score: true, annotations: true } }),
  ]);
  const onsets = signals.map((s) => ({ key: (s.annotations as Record<string, unknown>).query_series, from: s.startsAt.getTime(), score: s.score ?? 1 }));
  return series.slice(0, MAX_SERIES).map((s) => {
    const key = seriesKey(s.labels);
    return {
      labels: s.labels,
      points: s.points,
      anomalies: markOnsets(
        s.points,
        onsets.filter((o) => o.key === key),
        stepMs,
      ),
    };
  });
}
