// Feeds one series' new points through the monitor's detector (restored from its checkpoint) and
// turns runs of anomalous points into anomaly episodes: one signal per episode, fingerprinted by
// monitor + series, firing while the metric is anomalous and resolved once the detector has called it
// normal again for RESOLVE_AFTER_STEPS steps (a suppressed score of 0 is not normal). Shared by the
// Prometheus scan and remote_write, so both paths score identically.
import { createHash } from "node:crypto";
import { db } from "@/lib/db";
import { createDetector, restoreDetector } from "@/lib/insight/detectors/config";
import type { DetectorState } from "@/lib/insight/detectors/types";
import type { SignalInput } from "@/lib/incidents/schemas";
import { seriesKey } from "@/lib/monitors/selector";
import { RESOLVE_AFTER_STEPS } from "@/lib/monitors/schemas";

export type MonitorLike = {
  id: string;
  name: string;
  detector: unknown;
  sensitivity: number;
  severity: "info" | "warning" | "critical";
  stepSeconds: number;
  labels: unknown;
};

// lastAbnormal: the last point the detector did not call normal (absent in checkpoints from before it existed).
type Episode = { since: number; lastAnomaly: number; lastAbnormal?: number; maxScore: number; value: number } | null;
type SeriesCheckpoint = { detector: DetectorState; episode: Episode };

export type ScoredSeries = {
  signals: SignalInput[];
  scored: number;
  anomalies: { t: number; v: number; score: number }[];
  save: { monitorId: string; seriesKey: string; labels: Record<string, string>; checkpoint: SeriesCheckpoint; lastTs: number; priorLastTs: number | null };
};

export function fingerprintFor(monitorId: string, key: string): string {
  return createHash("sha256").update(`${monitorId}\n${key}`).digest("hex").slice(0, 32);
}

/** Pure scoring step: prior checkpoint (or none) + points → signals and the next checkpoint. */
export function scorePoints(
  monitor: MonitorLike,
  labels: Record<string, string>,
  points: { t: number; v: number }[],
  prior: { checkpoint: unknown; lastTs: number } | null,
  source: string,
): ScoredSeries {
  const key = seriesKey(labels);
  const ckpt = prior?.checkpoint as SeriesCheckpoint | undefined;
  const detector = ckpt ? restoreDetector(ckpt.detector) : createDetector(monitor.detector as never);
  let episode: Episode = ckpt?.episode ?? null;
  let lastTs = prior?.lastTs ?? Number.NEGATIVE_INFINITY;
  const quietMs = RESOLVE_AFTER_STEPS * monitor.stepSeconds * 1000;
  const fingerprint = fingerprintFor(monitor.id, key);
  const monitorLabels = (monitor.labels ?? {}) as Record<string, string>;
  const signalLabels = { ...labels, ...monitorLabels, monitor: monitor.name };
  const signals: SignalInput[] = [];
  const anomalies: ScoredSeries["anomalies"] = [];
  let scored = 0;
  let firingChanged = false;

  const emit = (status: "firing" | "resolved", ep: NonNullable<Episode>, endsAt?: number) =>
    signals.push({
      kind: "anomaly",
      fingerprint,
      startsAt: new Date(ep.since),
      status,
      endsAt: endsAt === undefined ? null : new Date(endsAt),
      title: `${monitor.name}: anomalous ${labels.__name__ ?? "value"}`,
      labels: signalLabels,
      annotations: { query_series: key },
      severity: monitor.severity,
      score: ep.maxScore,
      value: ep.value,
      source,
    });

  for (const p of points) {
    // Never look back: a point at or before the last one scored was already seen (overlapping ranges).
    if (!(p.t > lastTs)) continue;
    lastTs = p.t;
    const score = detector.update(p.t, p.v);
    scored += 1;
    if (score >= monitor.sensitivity) {
      anomalies.push({ t: p.t, v: p.v, score });
      if (!episode) {
        episode = { since: p.t, lastAnomaly: p.t, lastAbnormal: p.t, maxScore: score, value: p.v };
      } else {
        episode = { ...episode, lastAnomaly: p.t, lastAbnormal: p.t, maxScore: Math.max(episode.maxScore, score), value: p.v };
      }
      firingChanged = true;
    } else if (episode && !detector.isNormal(score, monitor.sensitivity)) {
      // Below the threshold yet not normal (the ensemble mutes its score while an event lasts): still on.
      episode = { ...episode, lastAbnormal: p.t };
    } else if (episode && p.t - (episode.lastAbnormal ?? episode.lastAnomaly) >= quietMs) {
      if (firingChanged) emit("firing", episode);
      emit("resolved", episode, p.t);
      episode = null;
      firingChanged = false;
    }
  }
  if (episode && firingChanged) emit("firing", episode);

  return {
    signals,
    scored,
    anomalies,
    save: {
      monitorId: monitor.id,
      seriesKey: key,
      labels,
      checkpoint: { detector: detector.checkpoint(), episode },
      lastTs: Number.isFinite(lastTs) ? lastTs : 0,
      priorLastTs: prior ? prior.lastTs : null,
    },
  };
}

/** Checkpoints of many series of one monitor in one query (a scan or a remote_write batch). */
export async function loadSeriesStates(monitorId: string, keys: string[]) {
  const rows = keys.length ? await db.monitorSeries.findMany({ where: { monitorId, seriesKey: { in: keys } } }) : [];
  return new Map(rows.map((r) => [r.seriesKey, { checkpoint: r.checkpoint, lastTs: Number(r.lastTs) }]));
}

/**
 * Stores many checkpoints in two statements (a remote_write batch touches thousands of series), with the rule of
 * saveSeriesState for each: a new series is inserted unless another writer created it first, a known one is updated
 * only if its lastTs is still the one we read. Returns how many were stored.
 */
export async function saveSeriesStates(saves: ScoredSeries["save"][]): Promise<number> {
  const fresh = saves.filter((s) => s.priorLastTs === null);
  const known = saves.filter((s) => s.priorLastTs !== null);
  const cols = (xs: ScoredSeries["save"][]) => ({
    monitorIds: xs.map((s) => s.monitorId),
    keys: xs.map((s) => s.seriesKey),
    labels: xs.map((s) => JSON.stringify(s.labels)),
    checkpoints: xs.map((s) => JSON.stringify(s.checkpoint)),
    lastTs: xs.map((s) => String(s.lastTs)),
  });
  let stored = 0;
  if (fresh.length) {
    const c = cols(fresh);
    stored += await db.$executeRaw`
      INSERT INTO "MonitorSeries" ("id", "monitorId", "seriesKey", "labels", "checkpoint", "lastTs", "updatedAt")
      SELECT gen_random_uuid(), u.m, u.k, u.l::jsonb, u.c::jsonb, u.t, now()
      FROM unnest(${c.monitorIds}::uuid[], ${c.keys}::text[], ${c.labels}::text[], ${c.checkpoints}::text[], ${c.lastTs}::bigint[]) AS u(m, k, l, c, t)
      ON CONFLICT ("monitorId", "seriesKey") DO NOTHING`;
  }
  if (known.length) {
    const c = cols(known);
    const prior = known.map((s) => String(s.priorLastTs));
    stored += await db.$executeRaw`
      UPDATE "MonitorSeries" AS s SET "labels" = u.l::jsonb, "checkpoint" = u.c::jsonb, "lastTs" = u.t, "updatedAt" = now()
      FROM unnest(${c.monitorIds}::uuid[], ${c.keys}::text[], ${c.labels}::text[], ${c.checkpoints}::text[], ${c.lastTs}::bigint[], ${prior}::bigint[]) AS u(m, k, l, c, t, p)
      WHERE s."monitorId" = u.m AND s."seriesKey" = u.k AND s."lastTs" = u.p`;
  }
  return stored;
}

/**
 * Stores the new checkpoint unless another worker advanced the series meanwhile (then its state wins
 * and ours is dropped; the signals we emitted are idempotent, so nothing is lost or doubled).
 */
export async function saveSeriesState(save: ScoredSeries["save"]): Promise<boolean> {
  return (await saveSeriesStates([save])) === 1;
}
