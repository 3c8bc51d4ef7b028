import { z } from "zod";
import { detectorConfigSchema } from "@/lib/insight/detectors/config";
import { SEVERITIES, ZLabels } from "@/lib/incidents/schemas";

export const ZMonitorInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    query: z.string().trim().min(1).max(4000),
    stepSeconds: z.number().int().min(1).max(86_400).default(60),
    detector: detectorConfigSchema.default({ type: "ensemble" } as never),
    // The default suits the default ensemble detector (its NAB-tuned alarm level is about 0.45).
    sensitivity: z.number().gt(0).lte(1).default(0.5),
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
  .strict();
export type MonitorInput = z.input<typeof ZMonitorInput>;

/**
 * An anomaly episode ends once its detector has called the metric normal (Detector.isNormal: back
 * within the band; for the ensemble, its event over) for this many steps.
 */
export const RESOLVE_AFTER_STEPS = 10;
