// Chart data for an incident: the monitor's query around the incident's time, with the anomalous
// points of its signals marked. Null when there is nothing to chart (alert-only incident, no Prometheus).
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { notFound } from "@/lib/errors";
import { fetchRange, metricsSource, toAppError } from "@/lib/monitors/fetch-range";
import { seriesKey } from "@/lib/monitors/selector";
import { markOnsets } from "@/lib/monitors/mark-onsets";

const MAX_POINTS = 11_000;

export async function incidentSeries({ actor, id, now = Date.now() }: { actor: Actor; id: string; now?: number }) {
  assertCan(actor, "incidents.read");
  const incident = await db.incident.findFirst({ where: { id, orgId: actor.orgId }, include: { signals: { where: { kind: "anomaly" } } } });
  if (!incident) throw notFound("incident");
  const monitorId = incident.signals.map((s) => /^(?:monitor|remote_write):(.+)$/.exec(s.source)?.[1]).find(Boolean);
  if (!monitorId) return null;
  const monitor = await db.monitor.findFirst({ where: { id: monitorId, orgId: actor.orgId } });
  const source = monitor && (await metricsSource(actor.orgId, monitor.clusterId));
  if (!monitor || !source) return null;

  const stepMs = monitor.stepSeconds * 1000;
  const first = Math.min(...incident.signals.map((s) => s.startsAt.getTime()));
  const last = Math.max(...incident.signals.map((s) => (s.endsAt ?? s.lastSeenAt).getTime()));
  const pad = Math.max(60 * stepMs, (last - first) / 2);
  const end = Math.min(now, last + pad);
  const start = Math.floor(Math.max(first - pad, end - MAX_POINTS * stepMs) / stepMs) * stepMs;
  let series;
  try {
    series = await fetchRange(source, { query: monitor.query, start, end, stepMs });
  } catch (err) {
    throw toAppError(err);
  }
  const episodes = incident.signals.map((s) => ({
    key: (s.annotations as Record<string, string>).query_series,
    from: s.startsAt.getTime(),
    score: s.score ?? 1,
  }));
  return {
    monitorName: monitor.name,
    query: monitor.query,
    series: series.slice(0, 20).map((s) => {
      const key = seriesKey(s.labels);
      const mine = episodes.filter((e) => e.key === key);
      return {
        labels: s.labels,
        points: s.points,
        anomalies: markOnsets(s.points, mine, stepMs),
      };
    }),
  };
}
