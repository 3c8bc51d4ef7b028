// Alertmanager webhook (version "4") → signals. Alertmanager repeats deliveries; ingestSignals is
// idempotent on fingerprint + startsAt, so a repeat only bumps the signal's hit count.
//
// Each alert is checked on its own. Alertmanager resends a whole batch after a 5xx (forever) and drops
// it after a 4xx, so one bad alert failing the request would either block or lose the valid alerts
// next to it. Bad alerts are listed in the answer (`rejected`, with index, fingerprint and reason) and
// counted in neuralops_ingest_rejected_alerts_total{reason}; the rest are stored and the answer is 200.
import { z } from "zod";
import type { Actor } from "@/lib/context";
import { ingestSignalsCoalesced } from "@/lib/incidents/ingest-signals";
import { severityFromLabel } from "@/lib/incidents/grouping";
import { LABEL_NAME_MAX, LABEL_VALUE_MAX, SIGNAL_TITLE_MAX, type SignalInput } from "@/lib/incidents/schemas";
import { findUnstorableString, formatPath, unstorableReason } from "@/lib/storable-text";
import { metrics } from "@/lib/metrics/registry";

const ZKV = z.record(z.string(), z.string());
// Alertmanager writes this for "not ended yet".
const ZERO_TIME = "0001-01-01T00:00:00Z";

/** Per alert. Real alerts carry a dozen labels; a thousand is a broken rule or an attack. */
export const MAX_ALERT_LABELS = 100;
export const MAX_ALERT_ANNOTATIONS = 100;
/**
 * Timestamps before 2000, or more than a day ahead of our clock, are not real alert times: a zero or
 * epoch time from a broken exporter, or a year-9999 "forever". Stored, they would open an incident that
 * sorts first (or last) in every list for ever after.
 */
export const EARLIEST_ALERT_TIME_MS = Date.UTC(2000, 0, 1);
export const MAX_ALERT_AHEAD_MS = 24 * 3600_000;

export const REJECT_REASONS = [
  "invalid_alert",
  "invalid_characters",
  "too_many_labels",
  "label_too_long",
  "too_many_annotations",
  "annotation_name_too_long",
  "time_out_of_range",
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];
export type RejectedAlert = { index: number; fingerprint?: string; reason: RejectReason; message: string };

// The envelope is checked as a whole (a body that is not a webhook at all is a 400); its alerts one by one.
export const ZAlertmanagerWebhook = z.object({
  version: z.literal("4"),
  status: z.enum(["firing", "resolved"]),
  receiver: z.string(),
  groupKey: z.string().optional(),
  groupLabels: ZKV.default({}),
  commonLabels: ZKV.default({}),
  commonAnnotations: ZKV.default({}),
  externalURL: z.string().optional(),
  truncatedAlerts: z.number().int().nonnegative().default(0),
  alerts: z.array(z.unknown()).max(10_000),
});
export type AlertmanagerWebhook = z.infer<typeof ZAlertmanagerWebhook>;

const ZAlert = z.object({
  status: z.enum(["firing", "resolved"]),
  labels: ZKV,
  annotations: ZKV.default({}),
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().min(1).max(200),
});

type Checked = { signal: SignalInput } | { reason: RejectReason; message: string };

const countOf = (v: unknown) => (v !== null && typeof v === "object" && !Array.isArray(v) ? Object.keys(v).length : 0);

/** Cuts display text to `max` UTF-16 units without splitting a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let head = text.slice(0, max - 1);
  const last = head.charCodeAt(head.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) head = head.slice(0, -1);
  return `${head}…`;
}

function timeProblem(field: string, value: string, now: number): string | null {
  const t = Date.parse(value);
  if (Number.isNaN(t)) return `${field} ${JSON.stringify(value)} is not a timestamp`;
  if (t < EARLIEST_ALERT_TIME_MS) return `${field} ${value} is before 2000-01-01: not a real alert time`;
  if (t > now + MAX_ALERT_AHEAD_MS) return `${field} ${value} is more than a day ahead of the server's clock (${new Date(now).toISOString()})`;
  return null;
}

/** One alert → a signal, or why it cannot be one. Labels identify an alert and are refused when out of
 * bounds; annotations are text for people and are cut to length instead. */
export function checkAlert(raw: unknown, now = Date.now()): Checked {
  const bad = findUnstorableString(raw);
  if (bad) return { reason: "invalid_characters", message: `${formatPath(bad.path)}: ${bad.reason}` };
  const r = raw as { labels?: unknown; annotations?: unknown } | null;
  if (countOf(r?.labels) > MAX_ALERT_LABELS) return { reason: "too_many_labels", message: `${countOf(r?.labels)} labels; at most ${MAX_ALERT_LABELS} per alert` };
  if (countOf(r?.annotations) > MAX_ALERT_ANNOTATIONS) {
    return { reason: "too_many_annotations", message: `${countOf(r?.annotations)} annotations; at most ${MAX_ALERT_ANNOTATIONS} per alert` };
  }
  const parsed = ZAlert.safeParse(raw);
  if (!parsed.success) return { reason: "invalid_alert", message: parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join("; ") };
  const a = parsed.data;
  for (const [name, value] of Object.entries(a.labels)) {
    if (name.length > LABEL_NAME_MAX) return { reason: "label_too_long", message: `a label name is ${name.length} characters; at most ${LABEL_NAME_MAX}` };
    if (value.length > LABEL_VALUE_MAX) return { reason: "label_too_long", message: `label ${name} is ${value.length} characters; at most ${LABEL_VALUE_MAX}` };
  }
  for (const name of Object.keys(a.annotations)) {
    if (name.length > LABEL_NAME_MAX) return { reason: "annotation_name_too_long", message: `an annotation name is ${name.length} characters; at most ${LABEL_NAME_MAX}` };
  }
  const startProblem = timeProblem("startsAt", a.startsAt, now);
  if (startProblem) return { reason: "time_out_of_range", message: startProblem };
  const ended = a.status === "resolved" && a.endsAt && a.endsAt !== ZERO_TIME ? a.endsAt : null;
  const endProblem = ended ? timeProblem("endsAt", ended, now) : null;
  if (endProblem) return { reason: endProblem.includes("not a timestamp") ? "invalid_alert" : "time_out_of_range", message: endProblem };

  const annotations = Object.fromEntries(Object.entries(a.annotations).map(([k, v]) => [k, cut(v, LABEL_VALUE_MAX)]));
  // A generator URL cut short would point somewhere else: keep it whole or not at all.
  if (a.generatorURL && a.generatorURL.length <= LABEL_VALUE_MAX) annotations.generatorURL = a.generatorURL;
  return {
    signal: {
      kind: "alert",
      fingerprint: a.fingerprint,
      startsAt: new Date(a.startsAt),
      status: a.status,
      endsAt: ended ? new Date(ended) : null,
      title: cut(a.annotations.summary || a.labels.alertname || "alert", SIGNAL_TITLE_MAX),
      labels: a.labels,
      annotations,
      severity: severityFromLabel(a.labels.severity),
      source: "alertmanager",
    },
  };
}

export async function ingestAlertmanagerWebhook({ actor, payload }: { actor: Actor; payload: AlertmanagerWebhook }) {
  const signals: SignalInput[] = [];
  const rejected: RejectedAlert[] = [];
  const now = Date.now();
  payload.alerts.forEach((raw, index) => {
    const checked = checkAlert(raw, now);
    if ("signal" in checked) return void signals.push(checked.signal);
    const fp = (raw as { fingerprint?: unknown } | null)?.fingerprint;
    // Echo the fingerprint only when it is one (short, storable), so the answer stays small and valid.
    const fingerprint = typeof fp === "string" && fp.length <= 200 && !unstorableReason(fp) ? fp : undefined;
    rejected.push({ index, ...(fingerprint ? { fingerprint } : {}), reason: checked.reason, message: checked.message });
    metrics().ingestRejectedAlerts.inc({ reason: checked.reason });
  });
  if (rejected.length) {
    console.warn(JSON.stringify({ level: "warn", msg: "alertmanager alerts rejected", orgId: actor.orgId, received: payload.alerts.length, rejected: rejected.length, reasons: [...new Set(rejected.map((r) => r.reason))] }));
  }
  // Concurrent deliveries of one Alertmanager share a transaction (group commit); each gets its own answer.
  const result = await ingestSignalsCoalesced({ actor, signals });
  return { ...result, received: payload.alerts.length, accepted: signals.length, rejected, truncatedAlerts: payload.truncatedAlerts };
}
