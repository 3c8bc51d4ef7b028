// query_range for a monitor, from where its metrics live: the org's Prometheus, or a cluster's in-cluster
// Prometheus through that cluster's agent. Prometheus errors become AppErrors for callers that answer users
// (preview, charts); scans keep the PrometheusError (retryable or not).
import { queryRange, rangeSeries, type PrometheusSeries } from "@/lib/insight/prometheus/client";
import { PrometheusError } from "@/lib/insight/prometheus/errors";
import { AppError } from "@/lib/errors";
import { prometheusConnection, type PrometheusConnection } from "@/lib/integrations/prometheus-source";
import { relayRangeQuery } from "@/lib/agents/query";

export type MetricsSource = { kind: "prometheus"; conn: PrometheusConnection } | { kind: "cluster"; orgId: string; clusterId: string };

/** The monitor's cluster when it names one, else the org's Prometheus; null when that is not configured. */
export async function metricsSource(orgId: string, clusterId: string | null): Promise<MetricsSource | null> {
  if (clusterId) return { kind: "cluster", orgId, clusterId };
  const conn = await prometheusConnection(orgId);
  return conn ? { kind: "prometheus", conn } : null;
}

export async function fetchRange(source: MetricsSource, q: { query: string; start: number; end: number; stepMs: number; timeoutMs?: number }): Promise<PrometheusSeries[]> {
  if (source.kind === "cluster") {
    let data;
    try {
      data = await relayRangeQuery(source.orgId, source.clusterId, { query: q.query, start: q.start / 1000, end: q.end / 1000, step: q.stepMs / 1000 });
    } catch (err) {
      // Same classes as a direct call: an absent agent is worth retrying, a refused query is not.
      if (err instanceof AppError) throw new PrometheusError(err.code === "unavailable" ? "unavailable" : "bad_query", err.message, { cause: err });
      throw err;
    }
    return rangeSeries(data);
  }
  const { series } = await queryRange({
    baseUrl: source.conn.baseUrl,
    auth: source.conn.auth,
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
  // From an agent: its own message already says where the query went and why it failed.
  if (err.cause instanceof AppError) return err.cause;
  if (err.kind === "bad_query") return new AppError("unprocessable", `Prometheus rejected the query: ${err.message}`);
  return new AppError("unavailable", `Prometheus: ${err.message}`);
}
