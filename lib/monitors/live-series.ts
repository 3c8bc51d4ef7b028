// remote_write delivers every series every scrape interval, so its detectors stay live in the web process
// between requests instead of being read from and written back to PostgreSQL on every sample (a mature
// ensemble checkpoint is hundreds of kilobytes of JSON). A series is checkpointed once its data has advanced
// REMOTE_WRITE_CHECKPOINT_SECONDS past its last checkpoint, when it has been idle that long (timer), and before
// it leaves the cache (REMOTE_WRITE_LIVE_SERIES, least recently used first).
//
// What a crash costs: the detector learning since the last checkpoint (at most that many seconds of data),
// never a signal: signals are stored before the request is acknowledged, and they are idempotent.
//
// Several web processes: checkpoints keep the rule of storeSeriesStates (a row is updated only if its lastTs is
// the one this process read or wrote last). When another process (or a scan) advanced the row, its state wins
// and this process drops its copy and reloads the stored one on the next sample. Prometheus keeps each shard on
// one connection, so a series normally stays with one web process (README, "Production topology").
import { env } from "@/lib/env";
import { logger } from "@/lib/log";
import { db } from "@/lib/db";
import {
  checkpointOf,
  loadSeriesStates,
  openSeries,
  storedKey,
  storeSeriesStates,
  type LiveSeries,
  type MonitorLike,
  type ScoredSeries,
} from "@/lib/monitors/score-points";

export type LiveEntry = {
  readonly monitorId: string;
  readonly seriesKey: string;
  labels: Record<string, string>;
  /** The monitor's query and detector config when the entry was opened (stampOf). */
  readonly stamp: string;
  readonly live: LiveSeries;
  /** lastTs of the stored row as this process last read or wrote it (null: no row yet). */
  persistedLastTs: number | null;
  /** Data time of the last checkpoint (or of the load). */
  checkpointedTs: number;
  /** Wall time of the last checkpoint (or of the load). */
  checkpointedAt: number;
  /** The series' last step between two samples here (0: not known yet). */
  step: number;
  flushing: boolean;
};

// Editing a monitor's query or detector deletes its stored states (updateMonitor): a live copy made with the old
// ones must go too. Other edits (name, sensitivity, labels) apply to the live copy as they are read per request.
const stampOf = (m: { query: string; detector: unknown }) => `${m.query}\n${JSON.stringify(m.detector)}`;

const isDirty = (e: LiveEntry) => Number.isFinite(e.live.lastTs) && e.live.lastTs !== e.persistedLastTs;

export class LiveSeriesStore {
  // Looked up by monitor, then by series key (the same key strings come back each request, hashes cached);
  // `lru` iterates in insertion order, so re-inserting an entry on use keeps the least recently used first.
  private readonly byMonitor = new Map<string, Map<string, LiveEntry>>();
  private readonly lru = new Set<LiveEntry>();

  constructor(private readonly opts: { maxSeries: number; checkpointMs: number; now?: () => number }) {}

  get size(): number {
    return this.lru.size;
  }

  private get(monitorId: string, key: string): LiveEntry | undefined {
    return this.byMonitor.get(monitorId)?.get(key);
  }

  private put(e: LiveEntry): void {
    let series = this.byMonitor.get(e.monitorId);
    if (!series) this.byMonitor.set(e.monitorId, (series = new Map()));
    const before = series.get(e.seriesKey);
    if (before) this.lru.delete(before);
    series.set(e.seriesKey, e);
    this.lru.add(e);
  }

  /** Removes `e` if it is still the live entry of its series. */
  private remove(e: LiveEntry): void {
    const series = this.byMonitor.get(e.monitorId);
    if (series?.get(e.seriesKey) !== e) return;
    series.delete(e.seriesKey);
    if (series.size === 0) this.byMonitor.delete(e.monitorId);
    this.lru.delete(e);
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /** The live entries of these series of one monitor; the stored checkpoints of those not live here are read in one query. */
  async acquire(monitor: MonitorLike & { query: string }, series: { key: string; labels: Record<string, string>; firstTs?: number }[]): Promise<LiveEntry[]> {
    const stamp = stampOf(monitor);
    const out = new Array<LiveEntry>(series.length);
    const missing: number[] = [];
    const suspect: number[] = [];
    const live = this.byMonitor.get(monitor.id);
    series.forEach(({ key, firstTs }, i) => {
      const e = live?.get(key);
      if (e && e.stamp === stamp) {
        this.lru.delete(e);
        this.lru.add(e);
        out[i] = e;
        // A gap of more than a step: the series may have been fed to another process meanwhile.
        if (firstTs !== undefined && e.step > 0 && firstTs - e.live.lastTs > 1.5 * e.step) suspect.push(i);
      } else {
        if (e) this.remove(e);
        missing.push(i);
      }
    });
    if (suspect.length) {
      // If that process stored a newer state, ours is stale: drop it and read that one.
      const stored = await loadStoredLastTs(
        monitor.id,
        suspect.map((i) => series[i]!.key),
      );
      for (const i of suspect) {
        const e = out[i]!;
        if ((stored.get(e.seriesKey) ?? null) === e.persistedLastTs) continue;
        this.remove(e);
        missing.push(i);
      }
    }
    if (missing.length === 0) return out;
    const priors = await loadSeriesStates(
      monitor.id,
      missing.map((i) => series[i]!.key),
    );
    const now = this.now();
    for (const i of missing) {
      const { key, labels } = series[i]!;
      // Another request may have opened it while we read.
      const raced = this.get(monitor.id, key);
      if (raced && raced.stamp === stamp) {
        out[i] = raced;
        continue;
      }
      const prior = priors.get(key) ?? null;
      const e: LiveEntry = {
        monitorId: monitor.id,
        seriesKey: key,
        labels,
        stamp,
        live: openSeries(monitor, prior),
        persistedLastTs: prior ? prior.lastTs : null,
        checkpointedTs: prior ? prior.lastTs : Number.NEGATIVE_INFINITY,
        checkpointedAt: now,
        step: 0,
        flushing: false,
      };
      this.put(e);
      out[i] = e;
    }
    return out;
  }

  /** Those of `entries` whose data moved a checkpoint interval past their last checkpoint. */
  due(entries: Iterable<LiveEntry>): LiveEntry[] {
    const out: LiveEntry[] = [];
    for (const e of entries) {
      if (e.flushing || !isDirty(e)) continue;
      if (!Number.isFinite(e.checkpointedTs) || e.live.lastTs - e.checkpointedTs >= this.opts.checkpointMs) out.push(e);
    }
    return out;
  }

  /** Stores the checkpoints of these entries; an entry whose row another writer advanced is dropped. Returns how many were stored. */
  async checkpoint(entries: LiveEntry[]): Promise<number> {
    const batch = entries.filter((e) => !e.flushing && isDirty(e));
    if (batch.length === 0) return 0;
    const saves: ScoredSeries["save"][] = batch.map((e) => {
      e.flushing = true;
      return {
        monitorId: e.monitorId,
        seriesKey: e.seriesKey,
        labels: e.labels,
        checkpoint: checkpointOf(e.live),
        lastTs: e.live.lastTs,
        priorLastTs: e.persistedLastTs,
      };
    });
    let stored: Set<string>;
    try {
      stored = await storeSeriesStates(saves);
    } finally {
      for (const e of batch) e.flushing = false;
    }
    const now = this.now();
    batch.forEach((e, i) => {
      if (stored.has(storedKey(e.monitorId, e.seriesKey))) {
        e.persistedLastTs = saves[i]!.lastTs;
        e.checkpointedTs = saves[i]!.lastTs;
        e.checkpointedAt = now;
      } else {
        this.remove(e);
      }
    });
    return stored.size;
  }

  /** Over capacity: the least recently used entries leave, checkpointed first. */
  async trim(): Promise<void> {
    const excess = this.lru.size - this.opts.maxSeries;
    if (excess <= 0) return;
    const leaving: LiveEntry[] = [];
    for (const e of this.lru) {
      if (leaving.length >= excess) break;
      if (!e.flushing) leaving.push(e);
    }
    await this.checkpoint(leaving);
    for (const e of leaving) if (!isDirty(e)) this.remove(e);
  }

  /** Checkpoints the entries not checkpointed for an interval of wall time (series that stopped, or slow ones). */
  async flushIdle(): Promise<number> {
    const cutoff = this.now() - this.opts.checkpointMs;
    return this.checkpoint([...this.lru].filter((e) => e.checkpointedAt <= cutoff));
  }

  /** Checkpoints every entry with unsaved points (shutdown, tests). */
  async flushAll(): Promise<number> {
    return this.checkpoint([...this.lru]);
  }

  clear(): void {
    this.byMonitor.clear();
    this.lru.clear();
  }
}

/** Points (t ascending) were just fed to the entry, whose last point before them was at `prevTs`. */
export function noteStep(e: LiveEntry, prevTs: number, points: { t: number }[]): void {
  const n = points.length;
  const step = n >= 2 ? points[n - 1]!.t - points[n - 2]!.t : n === 1 && Number.isFinite(prevTs) ? points[0]!.t - prevTs : 0;
  if (step > 0) e.step = step;
}

async function loadStoredLastTs(monitorId: string, keys: string[]): Promise<Map<string, number>> {
  const rows = await db.monitorSeries.findMany({ where: { monitorId, seriesKey: { in: keys } }, select: { seriesKey: true, lastTs: true } });
  return new Map(rows.map((r) => [r.seriesKey, Number(r.lastTs)]));
}

let store: LiveSeriesStore | null = null;

/** This process's store; a timer checkpoints idle series (it does not keep the process alive). */
export function liveSeries(): LiveSeriesStore {
  if (!store) {
    const e = env();
    const s = new LiveSeriesStore({ maxSeries: e.REMOTE_WRITE_LIVE_SERIES, checkpointMs: e.REMOTE_WRITE_CHECKPOINT_SECONDS * 1000 });
    const timer = setInterval(
      () => void s.flushIdle().catch((err: unknown) => logger.warn({ err }, "remote_write: checkpointing idle series failed; retried on the next tick")),
      Math.min(30_000, e.REMOTE_WRITE_CHECKPOINT_SECONDS * 500),
    );
    timer.unref();
    store = s;
  }
  return store;
}
