// Feeds one series' new points through the monitor's detector (restored from its checkpoint) and
// turns runs of anomalous points into anomaly episodes: one signal per episode, fingerprinted by
// monitor + series, firing while the metric is anomalous and resolved once the detector has called it
// normal again for RESOLVE_AFTER_STEPS steps (a suppressed score of 0 is not normal). Shared by the
// Prometheus scan and remote_write, so both paths score identically.
import { createHash } from "node:crypto";
import { db } from "@/lib/db";
import { rawSql } from "@/lib/db/raw";
import { createDetector, restoreDetector } from "@/lib/insight/detectors/config";
import type { Detector, DetectorState } from "@/lib/insight/detectors/types";
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
export type SeriesCheckpoint = { detector: DetectorState; episode: Episode };

export type ScoredSeries = {
  signals: SignalInput[];
  scored: number;
  anomalies: { t: number; v: number; score: number }[];
  save: { monitorId: string; seriesKey: string; labels: Record<string, string>; checkpoint: SeriesCheckpoint; lastTs: number; priorLastTs: number | null };
};

export function fingerprintFor(monitorId: string, key: string): string {
  return createHash("sha256").update(`${monitorId}\n${key}`).digest("hex").slice(0, 32);
}

/** A series being scored: its detector and open episode, live in memory (remote_write keeps these between requests). */
export type LiveSeries = { detector: Detector; episode: Episode; lastTs: number };

/** The live series from its stored checkpoint, or a fresh detector for a series never seen. */
export function openSeries(monitor: MonitorLike, prior: { checkpoint: unknown; lastTs: number } | null): LiveSeries {
  const ckpt = prior?.checkpoint as SeriesCheckpoint | undefined;
  return {
    detector: ckpt ? restoreDetector(ckpt.detector) : createDetector(monitor.detector as never),
    episode: ckpt?.episode ?? null,
    lastTs: prior?.lastTs ?? Number.NEGATIVE_INFINITY,
  };
}

export function checkpointOf(live: LiveSeries): SeriesCheckpoint {
  return { detector: live.detector.checkpoint(), episode: live.episode };
}

/** The signal of an anomaly episode of a series. */
function episodeSignal(monitor: MonitorLike, labels: Record<string, string>, source: string, status: "firing" | "resolved", ep: NonNullable<Episode>, endsAt?: number): SignalInput {
  const key = seriesKey(labels);
  const monitorLabels = (monitor.labels ?? {}) as Record<string, string>;
  return {
    kind: "anomaly",
    fingerprint: fingerprintFor(monitor.id, key),
    startsAt: new Date(ep.since),
    status,
    endsAt: endsAt === undefined ? null : new Date(endsAt),
    title: `${monitor.name}: anomalous ${labels.__name__ ?? "value"}`,
    labels: { ...labels, ...monitorLabels, monitor: monitor.name },
    annotations: { query_series: key },
    severity: monitor.severity,
    score: ep.maxScore,
    value: ep.value,
    source,
  };
}

/** Feeds new points to a live series (mutating it): the signals to emit and the anomalous points. */
export function advanceSeries(monitor: MonitorLike, labels: Record<string, string>, live: LiveSeries, points: { t: number; v: number }[], source: string) {
  const { detector } = live;
  let { episode, lastTs } = live;
  const quietMs = RESOLVE_AFTER_STEPS * monitor.stepSeconds * 1000;
  const signals: SignalInput[] = [];
  const anomalies: ScoredSeries["anomalies"] = [];
  let scored = 0;
  let firingChanged = false;

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
      if (firingChanged) signals.push(episodeSignal(monitor, labels, source, "firing", episode));
      signals.push(episodeSignal(monitor, labels, source, "resolved", episode, p.t));
      episode = null;
      firingChanged = false;
    }
  }
  if (episode && firingChanged) signals.push(episodeSignal(monitor, labels, source, "firing", episode));
  live.episode = episode;
  live.lastTs = lastTs;
  return { signals, scored, anomalies };
}

/** Pure scoring step: prior checkpoint (or none) + points → signals and the next checkpoint. */
export function scorePoints(
  monitor: MonitorLike,
  labels: Record<string, string>,
  points: { t: number; v: number }[],
  prior: { checkpoint: unknown; lastTs: number } | null,
  source: string,
): ScoredSeries {
  const live = openSeries(monitor, prior);
  const out = advanceSeries(monitor, labels, live, points, source);
  return {
    ...out,
    save: {
      monitorId: monitor.id,
      seriesKey: seriesKey(labels),
      labels,
      checkpoint: checkpointOf(live),
      lastTs: Number.isFinite(live.lastTs) ? live.lastTs : 0,
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
 * only if its lastTs is still the one we read. Returns the stored ones, as `storedKey(monitorId, seriesKey)`.
 *
 * The rows go as one JSON document on pg directly: checkpoints are large, and as elements of text[] parameters
 * every one of their characters was escaped twice (JSON, then array literal) on top of Prisma's per-statement cost.
 */
export async function storeSeriesStates(saves: ScoredSeries["save"][]): Promise<Set<string>> {
  const rowsOf = (xs: ScoredSeries["save"][]) =>
    JSON.stringify(xs.map((s) => ({ m: s.monitorId, k: s.seriesKey, l: s.labels, c: s.checkpoint, t: s.lastTs, p: s.priorLastTs })));
  const fresh = saves.filter((s) => s.priorLastTs === null);
  const known = saves.filter((s) => s.priorLastTs !== null);
  const stored = new Set<string>();
  const add = (rows: { m: string; k: string }[]) => rows.forEach((r) => stored.add(storedKey(r.m, r.k)));
  const sql = rawSql();
  if (fresh.length) {
    add(await sql.$queryRaw<{ m: string; k: string }[]>`
      INSERT INTO "MonitorSeries" ("id", "monitorId", "seriesKey", "labels", "checkpoint", "lastTs", "updatedAt")
      SELECT gen_random_uuid(), u.m, u.k, u.l, u.c, u.t, now()
      FROM json_to_recordset(${rowsOf(fresh)}::json) AS u(m uuid, k text, l jsonb, c jsonb, t bigint)
      ON CONFLICT ("monitorId", "seriesKey") DO NOTHING
      RETURNING "monitorId"::text AS m, "seriesKey" AS k`);
  }
  if (known.length) {
    add(await sql.$queryRaw<{ m: string; k: string }[]>`
      UPDATE "MonitorSeries" AS s SET "labels" = u.l, "checkpoint" = u.c, "lastTs" = u.t, "updatedAt" = now()
      FROM json_to_recordset(${rowsOf(known)}::json) AS u(m uuid, k text, l jsonb, c jsonb, t bigint, p bigint)
      WHERE s."monitorId" = u.m AND s."seriesKey" = u.k AND s."lastTs" = u.p
      RETURNING s."monitorId"::text AS m, s."seriesKey" AS k`);
  }
  return stored;
}

export const storedKey = (monitorId: string, key: string) => `${monitorId}\n${key}`;

/** storeSeriesStates, counted. */
export async function saveSeriesStates(saves: ScoredSeries["save"][]): Promise<number> {
  return (await storeSeriesStates(saves)).size;
}

/**
 * Stores the new checkpoint unless another worker advanced the series meanwhile (then its state wins
 * and ours is dropped; the signals we emitted are idempotent, so nothing is lost or doubled).
 */
export async function saveSeriesState(save: ScoredSeries["save"]): Promise<boolean> {
  return (await saveSeriesStates([save])) === 1;
}
