// Runs a monitor definition against recent data without saving anything: what would it have flagged?
import { z } from "zod";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { AppError } from "@/lib/errors";
import { createDetector, detectorConfigSchema } from "@/lib/insight/detectors/config";
import { prometheusConnection } from "@/lib/integrations/prometheus-source";
import { fetchRange, toAppError } from "@/lib/monitors/fetch-range";

export const ZPreviewInput = z.object({
  query: z.string().trim().min(1).max(4000),
  stepSeconds: z.number().int().min(1).max(86_400).default(60),
  detector: detectorConfigSchema,
  sensitivity: z.number().gt(0).lte(1).default(0.99),
});

const MAX_PREVIEW_POINTS = 11_000;

export async function previewMonitor({ actor, input, rangeSeconds, now = Date.now() }: { actor: Actor; input: z.input<typeof ZPreviewInput>; rangeSeconds?: number; now?: number }) {
  // Previews run arbitrary queries against the org's Prometheus: the same right as defining a monitor.
  assertCan(actor, "monitors.manage");
  const q = ZPreviewInput.parse(input);
  const conn = await prometheusConnection(actor.orgId);
  if (!conn) throw new AppError("unprocessable", "no Prometheus configured for this organization (Integrations)");
  const stepMs = q.stepSeconds * 1000;
  const span = Math.min((rangeSeconds ?? q.stepSeconds * 2000) * 1000, MAX_PREVIEW_POINTS * stepMs);
  const end = Math.floor(now / stepMs) * stepMs;
  let series;
  try {
    series = await fetchRange(conn, { query: q.query, start: end - span, end, stepMs });
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
