// One scan of one monitor: ask Prometheus for the points since the last scan, score each series from
// its checkpoint, emit signals, save checkpoints. Safe to run twice (signals are idempotent, points at
// or before a series' last timestamp are skipped) and a Redis lock keeps two workers off one monitor.
import { db } from "@/lib/db";
import { redis, redisKey } from "@/lib/redis";
import { systemActor } from "@/lib/context";
import { ingestSignals } from "@/lib/incidents/ingest-signals";
import type { SignalInput } from "@/lib/incidents/schemas";
import { fetchRange, metricsSource } from "@/lib/monitors/fetch-range";
import { seriesKey } from "@/lib/monitors/selector";
import { loadSeriesStates, saveSeriesStates, scorePoints } from "@/lib/monitors/score-points";
import { scanWindow } from "@/lib/monitors/history";

export type ScanResult = { skipped?: "locked" | "disabled" | "missing" | "no_prometheus"; series: number; scored: number; signals: number; until?: number };

export async function scanMonitor({ monitorId, now = Date.now() }: { monitorId: string; now?: number }): Promise<ScanResult> {
  const lockKey = redisKey("lock", "monitor-scan", monitorId);
  const token = `${process.pid}-${now}-${Math.random()}`;
  if ((await redis().set(lockKey, token, "PX", 120_000, "NX")) !== "OK") return { skipped: "locked", series: 0, scored: 0, signals: 0 };
  try {
    const monitor = await db.monitor.findUnique({ where: { id: monitorId } });
    if (!monitor) return { skipped: "missing", series: 0, scored: 0, signals: 0 };
    if (!monitor.enabled) return { skipped: "disabled", series: 0, scored: 0, signals: 0 };
    const source = await metricsSource(monitor.orgId, monitor.clusterId);
    if (!source) {
      await db.monitor.update({ where: { id: monitorId }, data: { lastScanAt: new Date(now), lastError: "no Prometheus configured (Integrations)" } });
      return { skipped: "no_prometheus", series: 0, scored: 0, signals: 0 };
    }
    const stepMs = monitor.stepSeconds * 1000;
    const window = scanWindow({ scannedUntil: monitor.scannedUntil === null ? null : Number(monitor.scannedUntil), now, stepMs });
    if (!window) return { series: 0, scored: 0, signals: 0, until: Math.floor(now / stepMs) * stepMs };
    const { start, end } = window;

    let series;
    try {
      series = await fetchRange(source, { query: monitor.query, start, end, stepMs });
    } catch (err) {
      await db.monitor.update({ where: { id: monitorId }, data: { lastScanAt: new Date(now), lastError: (err as Error).message.slice(0, 1000) } });
      throw err;
    }
    const actor = systemActor("monitor.scan", monitor.orgId);
    const signals: SignalInput[] = [];
    const saves = [];
    let scored = 0;
    const priors = await loadSeriesStates(monitor.id, series.map((s) => seriesKey(s.labels)));
    for (const s of series) {
      const prior = priors.get(seriesKey(s.labels)) ?? null;
      const r = scorePoints(monitor, s.labels, s.points, prior, `monitor:${monitor.id}`);
      scored += r.scored;
      signals.push(...r.signals);
      saves.push(r.save);
    }
    if (signals.length) await ingestSignals({ actor, signals });
    await saveSeriesStates(saves);
    await db.monitor.update({ where: { id: monitorId }, data: { scannedUntil: BigInt(end), lastScanAt: new Date(now), lastError: null } });
    return { series: series.length, scored, signals: signals.length, until: end };
  } finally {
    // Release only our own lock (it may have expired and been taken by another worker).
    await redis().eval(`if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`, 1, lockKey, token);
  }
}
