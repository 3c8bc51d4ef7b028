// Prometheus remote_write → detectors. Samples of series that match a monitor's selector (monitors
// whose query is a plain selector) are scored exactly like scanned points (score-points.ts), and
// anomalies become signals. A body that cannot decode is a 4xx (Prometheus does not retry those).
//
// A few MB of snappy can expand into millions of samples, so what one request may expand into is
// capped (decompressed bytes on the snappy header before anything is allocated, then samples and
// series while decoding: 413), and so are the samples per second one token may push (429 with
// Retry-After, counted in Redis so every web process shares the budget).
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { AppError } from "@/lib/errors";
import { decodeWriteRequest, LabelSetCache } from "@/lib/insight/remote-write/decode";
import { RemoteWriteError } from "@/lib/insight/remote-write/errors";
import { ingestSignals } from "@/lib/incidents/ingest-signals";
import type { SignalInput } from "@/lib/incidents/schemas";
import { matches, parseSelector, seriesKey, type Matcher } from "@/lib/monitors/selector";
import { advanceSeries } from "@/lib/monitors/score-points";
import { liveSeries, noteStep, type LiveEntry } from "@/lib/monitors/live-series";
import { budgetLeft, spendBudget, type Budget } from "@/lib/http/rate-limit";
import { metrics } from "@/lib/metrics/registry";
import { unstorableReason } from "@/lib/storable-text";

const CHECKPOINTS_PER_REQUEST = 256;

/** The compressed body, read as a stream and refused once it passes this (app/api/v1/write). */
export const MAX_REMOTE_WRITE_BODY = 10 * 1024 * 1024;

export type RemoteWriteLimits = { maxDecompressedBytes: number; maxSamples: number; maxSeries: number; samplesPerSecond: number };

export function remoteWriteLimits(): RemoteWriteLimits {
  const e = env();
  return {
    maxDecompressedBytes: e.REMOTE_WRITE_MAX_DECOMPRESSED_BYTES,
    maxSamples: e.REMOTE_WRITE_MAX_SAMPLES,
    maxSeries: e.REMOTE_WRITE_MAX_SERIES,
    samplesPerSecond: e.REMOTE_WRITE_SAMPLES_PER_SECOND,
  };
}

// For each cap a body can pass: the setting that raises it, and the metric's reason label.
const CAPS = {
  decompressed_bytes: { setting: "REMOTE_WRITE_MAX_DECOMPRESSED_BYTES", reason: "decompressed_too_large" },
  samples: { setting: "REMOTE_WRITE_MAX_SAMPLES", reason: "too_many_samples" },
  series: { setting: "REMOTE_WRITE_MAX_SERIES", reason: "too_many_series" },
} as const;

// One budget per token (or user): a stolen token can only spend its own.
const budgetFor = (actor: Actor, limit: number): Budget => ({ name: "remote_write_samples", id: `${actor.type}:${actor.id}`, limit });

function rateLimited(limit: number, retryAfterSeconds: number): AppError {
  metrics().remoteWriteRejected.inc({ reason: "rate_limited" });
  return new AppError("rate_limited", `over ${limit} samples per second for this token (REMOTE_WRITE_SAMPLES_PER_SECOND); retry in ${retryAfterSeconds} s`, { retryAfterSeconds });
}

/** Called before the body is read: a caller whose budget for this second is spent costs nothing more. */
export async function assertRemoteWriteBudget(actor: Actor, limits = remoteWriteLimits()): Promise<void> {
  if (!limits.samplesPerSecond) return;
  const left = await budgetLeft(budgetFor(actor, limits.samplesPerSecond));
  if (!left.allowed) throw rateLimited(limits.samplesPerSecond, left.retryAfterSeconds);
}

let labelSets: LabelSetCache | null = null;
const labelSetCache = () => (labelSets ??= new LabelSetCache(env().REMOTE_WRITE_LABEL_SETS));

/**
 * What a series' labels mean for one org's monitors: its key (null when PostgreSQL cannot store its labels) and
 * the monitors it matches, by index. Kept beside the labels object the decoder reuses for a series it has seen,
 * so a series that comes back costs a lookup; `monitors` says which monitor list the indexes refer to.
 */
type SeriesFacts = { monitors: string; key: string | null; mine: number[] };
const factsByLabels = new WeakMap<object, SeriesFacts>();

function factsOf(labels: Readonly<Record<string, string>>, monitors: string, matchers: Matcher[][]): SeriesFacts {
  const known = factsByLabels.get(labels);
  if (known && known.monitors === monitors) return known;
  const mine: number[] = [];
  matchers.forEach((m, i) => {
    if (matches(m, labels)) mine.push(i);
  });
  // PostgreSQL cannot store a NUL in the series' labels (jsonb) or its key (text).
  const storable = !Object.entries(labels).some(([k, v]) => unstorableReason(k) || unstorableReason(v));
  const facts = { monitors, key: storable && mine.length ? seriesKey(labels) : null, mine };
  factsByLabels.set(labels, facts);
  return facts;
}

export type RemoteWriteResult = { series: number; samples: number; matchedSeries: number; skippedSeries: number; scored: number; signals: number; metadata: number };

export async function ingestRemoteWrite({ actor, body, limits = remoteWriteLimits() }: { actor: Actor; body: Uint8Array; limits?: RemoteWriteLimits }): Promise<RemoteWriteResult> {
  assertCan(actor, "signals.ingest");
  let decoded;
  try {
    decoded = decodeWriteRequest(body, { maxDecompressedBytes: limits.maxDecompressedBytes, maxSamples: limits.maxSamples, maxSeries: limits.maxSeries, labelSets: labelSetCache() });
  } catch (err) {
    if (!(err instanceof RemoteWriteError)) throw err;
    if (err.code !== "too_large") throw new AppError("bad_request", err.message);
    const cap = CAPS[err.limit ?? "decompressed_bytes"];
    metrics().remoteWriteRejected.inc({ reason: cap.reason });
    throw new AppError("payload_too_large", `${err.message} (${cap.setting})`);
  }
  const result: RemoteWriteResult = { series: decoded.series.length, samples: 0, matchedSeries: 0, skippedSeries: 0, scored: 0, signals: 0, metadata: decoded.metadataCount };
  for (const s of decoded.series) result.samples += s.samples.length;
  if (limits.samplesPerSecond) {
    // Every request costs at least one, so bodies without samples (metadata) are bounded too.
    const spent = await spendBudget(budgetFor(actor, limits.samplesPerSecond), Math.max(1, result.samples));
    if (!spent.allowed) throw rateLimited(limits.samplesPerSecond, spent.retryAfterSeconds);
  }
  if (decoded.series.length === 0) return result;

  const monitors = (await db.monitor.findMany({ where: { orgId: actor.orgId, enabled: true }, orderBy: { id: "asc" } }))
    .map((m) => ({ monitor: m, matchers: parseSelector(m.query) }))
    .filter((x): x is { monitor: (typeof x)["monitor"]; matchers: Matcher[] } => x.matchers !== null);
  if (monitors.length === 0) return result;
  // Which monitor list a series' cached facts were computed against.
  const monitorList = `${actor.orgId}\n${monitors.map((m) => `${m.monitor.id} ${m.monitor.query}`).join("\n")}`;
  const matchers = monitors.map((m) => m.matchers);

  const signals: SignalInput[] = [];
  const matched = new Map<number, { key: string; labels: Record<string, string>; points: { t: number; v: number }[]; firstTs: number }[]>();
  for (const series of decoded.series) {
    if (series.samples.length === 0) continue;
    const facts = factsOf(series.labels, monitorList, matchers);
    if (facts.mine.length === 0) continue;
    // Skipped rather than failing the request, which Prometheus would resend forever.
    if (facts.key === null) {
      result.skippedSeries += 1;
      continue;
    }
    // Stale markers end a series; they are not values to learn.
    const points = series.samples.every((p) => !p.stale && Number.isFinite(p.v)) ? series.samples : series.samples.filter((p) => !p.stale && Number.isFinite(p.v));
    if (points.length === 0) continue;
    for (const i of facts.mine) {
      let list = matched.get(i);
      if (!list) matched.set(i, (list = []));
      list.push({ key: facts.key, labels: series.labels, points, firstTs: points[0]!.t });
    }
  }
  const store = liveSeries();
  const touched: LiveEntry[] = [];
  for (const [i, series] of matched) {
    const { monitor } = monitors[i]!;
    const entries = await store.acquire(monitor, series);
    const source = `remote_write:${monitor.id}`;
    series.forEach((s, i) => {
      const entry = entries[i]!;
      entry.labels = s.labels;
      const prevTs = entry.live.lastTs;
      const out = advanceSeries(monitor, s.labels, entry.live, s.points, source);
      noteStep(entry, prevTs, s.points);
      result.matchedSeries += 1;
      result.scored += out.scored;
      for (const sig of out.signals) signals.push(sig);
      touched.push(entry);
    });
  }
  // Signals before anything else: they are what the acknowledgement promises (detector state is only
  // checkpointed from time to time; see live-series.ts).
  if (signals.length) await ingestSignals({ actor, signals });
  result.signals = signals.length;
  // A bounded slice per request keeps a request's latency bounded when many series fall due together (they
  // were created together); the rest stay due for the next requests.
  await store.checkpoint(store.due(touched).slice(0, CHECKPOINTS_PER_REQUEST));
  await store.trim();
  return result;
}
