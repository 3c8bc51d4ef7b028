// One prom-client registry per process (globalThis: Next's dev reload must not register twice).
import { Registry, Histogram, Counter, Gauge, collectDefaultMetrics } from "prom-client";

type Metrics = {
  registry: Registry;
  httpDuration: Histogram<"method" | "route" | "status">;
  jobDuration: Histogram<"job" | "status">;
  jobFailures: Counter<"job">;
  // The agent gateway process (lib/agents/gateway.ts).
  agentConnections: Gauge;
  agentTriggersSent: Counter<"action">;
  agentResults: Counter<"outcome">;
  agentRejections: Counter<"code">;
  // The web process's front door (lib/incidents/alertmanager.ts, lib/monitors/ingest-remote-write.ts).
  ingestRejectedAlerts: Counter<"reason">;
  remoteWriteRejected: Counter<"reason">;
  // Requests an ingest route refused with 503 before doing any work (lib/http/admission.ts, lib/http/store-errors.ts).
  ingestRefused: Counter<"route" | "reason">;
};

const g = globalThis as unknown as { __neuralopsMetrics?: Metrics };

function create(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpDuration: new Histogram({
      name: "http_request_duration_seconds",
      help: "API request duration by route template and status",
      labelNames: ["method", "route", "status"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    jobDuration: new Histogram({
      name: "job_duration_seconds",
      help: "Background job duration by job name and outcome",
      labelNames: ["job", "status"],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
      registers: [registry],
    }),
    jobFailures: new Counter({ name: "job_failures_total", help: "Failed job attempts by job name", labelNames: ["job"], registers: [registry] }),
    agentConnections: new Gauge({ name: "agent_connections", help: "Authenticated agent sockets on this gateway", registers: [registry] }),
    agentTriggersSent: new Counter({ name: "agent_triggers_sent_total", help: "Signed triggers sent to agents, by action", labelNames: ["action"], registers: [registry] }),
    agentResults: new Counter({ name: "agent_results_total", help: "Results reported by agents (ok | failed)", labelNames: ["outcome"], registers: [registry] }),
    agentRejections: new Counter({ name: "agent_trigger_rejections_total", help: "Triggers agents refused, by reason", labelNames: ["code"], registers: [registry] }),
    ingestRefused: new Counter({
      name: "neuralops_ingest_refused_total",
      help: "Ingest requests answered 503 with Retry-After: over the in-flight cap (overloaded) or a store down (store_unavailable)",
      labelNames: ["route", "reason"],
      registers: [registry],
    }),
    ingestRejectedAlerts: new Counter({
      name: "neuralops_ingest_rejected_alerts_total",
      help: "Alertmanager alerts refused individually (the rest of their batch was stored), by reason",
      labelNames: ["reason"],
      registers: [registry],
    }),
    remoteWriteRejected: new Counter({
      name: "neuralops_remote_write_rejected_total",
      help: "remote_write requests refused by a size or rate limit, by reason",
      labelNames: ["reason"],
      registers: [registry],
    }),
  };
}

export function metrics(): Metrics {
  return (g.__neuralopsMetrics ??= create());
}
