// Alertmanager webhook (version "4") → signals. Alertmanager repeats deliveries; ingestSignals is
// idempotent on fingerprint + startsAt, so a repeat only bumps the signal's hit count.
import { z } from "zod";
import type { Actor } from "@/lib/context";
import { ingestSignals } from "@/lib/incidents/ingest-signals";
import { severityFromLabel } from "@/lib/incidents/grouping";
import type { SignalInput } from "@/lib/incidents/schemas";

const ZKV = z.record(z.string(), z.string());
// Alertmanager writes this for "not ended yet".
const ZERO_TIME = "0001-01-01T00:00:00Z";

export const ZAlertmanagerWebhook = z.object({
  version: z.literal("4"),
  status: z.enum(["firing", "resolved"]),
  receiver: z.string(),
  groupKey: z.string().optional(),
  groupLabels: ZKV.default({}),
  commonLabels: ZKV.default({}),
  commonAnnotations: ZKV.default({}),
  externalURL: z.string().optional(),
  truncatedAlerts: z.number().int().nonnegative().default(0),
  alerts: z
    .array(
      z.object({
        status: z.enum(["firing", "resolved"]),
        labels: ZKV,
        annotations: ZKV.default({}),
        startsAt: z.iso.datetime({ offset: true }),
        endsAt: z.string().optional(),
        generatorURL: z.string().optional(),
        fingerprint: z.string().min(1).max(200),
      }),
    )
    .max(10_000),
});
export type AlertmanagerWebhook = z.infer<typeof ZAlertmanagerWebhook>;

export function alertsToSignals(payload: AlertmanagerWebhook): SignalInput[] {
  return payload.alerts.map((a) => {
    const ended = a.endsAt && a.endsAt !== ZERO_TIME ? new Date(a.endsAt) : null;
    return {
      kind: "alert",
      fingerprint: a.fingerprint,
      startsAt: new Date(a.startsAt),
      status: a.status,
      endsAt: a.status === "resolved" ? ended : null,
      title: a.annotations.summary ?? a.labels.alertname ?? "alert",
      labels: a.labels,
      annotations: { ...a.annotations, ...(a.generatorURL ? { generatorURL: a.generatorURL } : {}) },
      severity: severityFromLabel(a.labels.severity),
      source: "alertmanager",
    } satisfies SignalInput;
  });
}

export async function ingestAlertmanagerWebhook({ actor, payload }: { actor: Actor; payload: AlertmanagerWebhook }) {
  const result = await ingestSignals({ actor, signals: alertsToSignals(payload) });
  return { ...result, received: payload.alerts.length, truncatedAlerts: payload.truncatedAlerts };
}
