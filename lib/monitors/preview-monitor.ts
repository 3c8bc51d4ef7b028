// Runs a monitor definition against recent data without saving anything: what would it have flagged?
import { z } from "zod";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { AppError, notFound } from "@/lib/errors";
import { db } from "@/lib/db";
import { orgHasCluster } from "@/lib/agents/clusters";
import { createDetector, detectorConfigSchema, type DetectorConfigInput } from "@/lib/insight/detectors/config";
import { fetchRange, metricsSource, toAppError } from "@/lib/monitors/fetch-range";
import { previewWindow } from "@/lib/monitors/history";
import { defaultSensitivity, ZSensitivity } from "@/lib/monitors/schemas";

export const ZPreviewInput = z.object({
  query: z.string().trim().min(1).max(4000),
  stepSeconds: z.number().int().min(1).max(86_400).default(60),
  detector: detectorConfigSchema,
  sensitivity: ZSensitivity.optional(),
  // The cluster whose agent queries its in-cluster Prometheus; absent: the org's Prometheus.
  clusterId: z.string().uuid().nullish(),
});

export async function previewMonitor({ actor, input, rangeSeconds, now = Date.now() }: { actor: Actor; input: z.input<typeof ZPreviewInput>; rangeSeconds?: number; now?: number }) {
  // Previews run arbitrary queries against the org's Prometheus: the same right as defining a monitor.
  assertCan(actor, "monitors.manage");
  const q = ZPreviewInput.parse(input);
  if (q.clusterId && !(await orgHasCluster(db, actor.orgId, q.clusterId))) throw notFound("cluster");
  const source = await metricsSource(actor.orgId, q.clusterId ?? null);
  if (!source) throw new AppError("unprocessable", "no Prometheus configured for this organization (Integrations)");
  const stepMs = q.stepSeconds * 1000;
  const { start, end } = previewWindow({ now, stepMs, rangeSeconds });
  let series;
  try {
    series = await fetchRange(source, { query: q.query, start, end, stepMs });
  } catch (err) {
    throw toAppError(err);
  }
  return {
    sensitivity: q.sensitivity ?? defaultSensitivity(q.detector),
    // The window scored; saving the monitor with historyFrom = from makes its first scan learn from it.
    from: start,
    to: end,
    series: series.slice(0, 20).map((s) => ({ labels: s.labels, points: previewScores(q.detector, s.points) })),
  };
}

/** Every point scored by a fresh detector, oldest first: what the preview shows. */
export function previewScores(detector: DetectorConfigInput, points: { t: number; v: number }[]): { t: number; v: number; score: number }[] {
  const d = createDetector(detector);
  return points.map((p) => ({ t: p.t, v: p.v, score: d.update(p.t, p.v) }));
}
