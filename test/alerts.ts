// Alertmanager webhook deliveries for tests (the shape Alertmanager 0.25 posts; see test/fixtures): one place
// that knows the envelope, so tests only say which alerts they send.
import type { AlertmanagerWebhook } from "@/lib/incidents/alertmanager";

export type TestAlert = {
  labels: Record<string, string>;
  fingerprint: string;
  status?: "firing" | "resolved";
  annotations?: Record<string, string>;
  /** ISO time; default now. */
  startsAt?: string;
  endsAt?: string;
};

export type SentAlert = Required<Omit<TestAlert, "status">> & { status: "firing" | "resolved" };

/** One delivery carrying `alerts` (firing unless every alert is resolved). */
export function deliveryOf(alerts: TestAlert[], commonLabels: Record<string, string> = {}): Omit<AlertmanagerWebhook, "alerts"> & { alerts: SentAlert[] } {
  const resolved = alerts.length > 0 && alerts.every((a) => a.status === "resolved");
  return {
    version: "4",
    status: resolved ? "resolved" : "firing",
    receiver: "neuralops",
    groupLabels: {},
    commonLabels,
    commonAnnotations: {},
    truncatedAlerts: 0,
    alerts: alerts.map((a): SentAlert => ({
      status: a.status ?? "firing",
      labels: a.labels,
      annotations: a.annotations ?? {},
      startsAt: a.startsAt ?? new Date().toISOString(),
      endsAt: a.endsAt ?? "0001-01-01T00:00:00Z",
      fingerprint: a.fingerprint,
    })),
  };
}
