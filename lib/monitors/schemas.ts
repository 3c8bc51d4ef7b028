import { z } from "zod";
import { detectorConfigSchema, type DetectorConfigInput } from "@/lib/insight/detectors/config";
import { SEVERITIES, ZLabels } from "@/lib/incidents/schemas";

export const ZSensitivity = z.number().gt(0).lte(1);

/**
 * The score at which a monitor raises when none is given, wherever a monitor is defined or previewed (API,
 * form, preview). The ensemble's scores are alarm levels: below its own fireLevel it never alarms, and a
 * higher threshold misses the events whose first alarm scored in between (its suppression mutes the points
 * after it), so its fireLevel is the default. The single-model detectors' scores are z²/(z²+2·ln 1e5):
 * 0.5 is a surprise of about 4.8σ.
 */
export function defaultSensitivity(detector: DetectorConfigInput): number {
  const config = detectorConfigSchema.parse(detector);
  return config.type === "ensemble" ? config.fireLevel : 0.5;
}

export const ZMonitorInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    query: z.string().trim().min(1).max(4000),
    stepSeconds: z.number().int().min(1).max(86_400).default(60),
    detector: detectorConfigSchema.default({ type: "ensemble" } as never),
    // Absent: defaultSensitivity(detector), filled in below.
    sensitivity: ZSensitivity.optional(),
    severity: z.enum(SEVERITIES).default("warning"),
    // Name the service: these labels group the monitor's signals into incidents.
    labels: ZLabels.default({}),
    enabled: z.boolean().default(true),
    // Read the metrics through this cluster's agent (its in-cluster Prometheus); null: the org's Prometheus.
    clusterId: z.string().uuid().nullable().default(null),
    // Start (ms) of the history the first scan learns from: the window of the preview the monitor was
    // saved after, so it flags what the preview flagged. Default: the last 24 hours. Used when the
    // monitor is created, or when a change of query, detector or source resets what it learned.
    historyFrom: z.number().int().min(0).nullable().default(null),
  })
  .strict()
  .transform((m) => ({ ...m, sensitivity: m.sensitivity ?? defaultSensitivity(m.detector) }));
export type MonitorInput = z.input<typeof ZMonitorInput>;

/**
 * An anomaly episode ends once its detector has called the metric normal (Detector.isNormal: back
 * within the band; for the ensemble, its event over) for this many steps.
 */
export const RESOLVE_AFTER_STEPS = 10;
