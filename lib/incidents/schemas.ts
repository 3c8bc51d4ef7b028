import { z } from "zod";

export const SEVERITIES = ["info", "warning", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const LABEL_NAME_MAX = 200;
export const LABEL_VALUE_MAX = 2000;
export const SIGNAL_TITLE_MAX = 500;

export const ZLabels = z.record(z.string().max(LABEL_NAME_MAX), z.string().max(LABEL_VALUE_MAX));

/** A signal as every source hands it to ingestSignals (anomaly scans, Alertmanager, remote_write). */
export const ZSignalInput = z.object({
  kind: z.enum(["anomaly", "alert"]),
  fingerprint: z.string().min(1).max(200),
  startsAt: z.date(),
  status: z.enum(["firing", "resolved"]),
  endsAt: z.date().nullable().optional(),
  title: z.string().min(1).max(SIGNAL_TITLE_MAX),
  labels: ZLabels,
  annotations: ZLabels.default({}),
  severity: z.enum(SEVERITIES),
  score: z.number().min(0).max(1).nullable().optional(),
  value: z.number().nullable().optional(),
  source: z.string().min(1).max(200),
});
export type SignalInput = z.input<typeof ZSignalInput>;

/** A new signal joins an open incident of the same group whose last signal is at most this old. */
export const DEFAULT_GROUP_WINDOW_MS = 30 * 60 * 1000;

/**
 * ...and which opened at most this long after the signal started. Deliveries arrive a little out of
 * order (Alertmanager's group_interval, a monitor's scan step); a signal from hours before the
 * incident (a new monitor's first scan over its history, a late delivery) is another event.
 */
export const EARLY_SIGNAL_TOLERANCE_MS = 10 * 60 * 1000;
