// query_range against the org's Prometheus, with Prometheus errors turned into AppErrors for callers
// that answer users (preview, charts); scans keep the PrometheusError (retryable or not).
import { queryRange, type PrometheusSeries } from "@/lib/insight/prometheus/client";
import { PrometheusError } from "@/lib/insight/prometheus/errors";
import { AppError } from "@/lib/errors";
import type { PrometheusConnection } from "@/lib/integrations/prometheus-source";

export async function fetchRange(
  conn: PrometheusConnection,
  q: { query: string; start: number; end: number; stepMs: number; timeoutMs?: number },
): Promise<PrometheusSeries[]> {
  const { series } = await queryRange({
    baseUrl: conn.baseUrl,
    auth: conn.auth,
    query: q.query,
    start: q.start,
    end: q.end,
    step: q.stepMs / 1000,
    timeoutMs: q.timeoutMs ?? 30_000,
  });
  return series;
}

export function toAppError(err: unknown): unknown {
  if (!(err instanceof PrometheusError)) return err;
  if (err.kind === "bad_query") return new AppError("unprocessable", `Prometheus rejected the query: ${err.message}`);
  return new AppError("unavailable", `Prometheus: ${err.message}`);
}
