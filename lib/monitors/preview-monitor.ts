// Runs a monitor definition against recent data without saving anything: what would it have flagged?
import { z } from "zod";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { AppError, notFound } from "@/lib/errors";
import { db } from "@/lib/db";
import { orgHasCluster } from "@/lib/agents/clusters";
import { createDetector, detectorConfigSchema } from "@/lib/insight/detectors/config";
import { fetchRange, metricsSource, toAppError } from "@/lib/monitors/fetch-range";

export const ZPreviewInput = z.object({
  query: z.string().trim().min(1).max(4000),
  stepSeconds: z.number().int().min(1).max(86_400).default(60),
  detector: detectorConfigSchema,
  sensitivity: z.number().gt(0).lte(1).default(0.99),
  // The cluster whose agent queries its in-cluster Prometheus; absent: the org's Prometheus.
  clusterId: z.string().uuid().nullish(),
});

const MAX_PREVIEW_POINTS = 11_000;

export async function previewMonitor({ actor, input, rangeSeconds, now = Date.now() }: { actor: Actor; input: z.input<typeof ZPreviewInput>; rangeSeconds?: number; now?: number }) {
  // Previews run arbitrary queries against the org's Prometheus: the same right as defining a monitor.
  assertCan(actor, "monitors.manage");
  const q = ZPreviewInput.parse(input);
  if (q.clusterId && !(await orgHasCluster(db, actor.orgId, q.clusterId))) throw notFound("cluster");
  const source = await metricsSource(actor.orgId, q.clusterId ?? null);
  if (!source) throw new AppError("unprocessable", "no Prometheus configured for this organization (Integrations)");
  const stepMs = q.stepSeconds * 1000;
  const span = Math.min((rangeSeconds ?? q.stepSeconds * 2000) * 1000, MAX_PREVIEW_POINTS * stepMs);
  const end = Math.floor(now / stepMs) * stepMs;
  let series;
  try {
    series = await fetchRange(source, { query: q.query, start: end - span, end, stepMs });
  } catch (err) {
    throw toAppError(err);
  }
  return {
    sensitivity: q.sensitivity,
    series: series.slice(0, 20).map((s) => {
      const detector = createDetector(q.detector);
      return { labels: s.labels, points: s.points.map((p) => ({ t: p.t, v: p.v, score: detector.update(p.t, p.v) })) };
    }),
  };
}
