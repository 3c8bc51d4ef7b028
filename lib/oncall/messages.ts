// What a notification says, shared by every channel type: the incident as it is now, with an absolute
// link (publicUrl), and the event that caused the notification.
import { publicUrl } from "@/lib/env";

export const NOTIFICATION_EVENTS = ["incident.triggered", "incident.escalated", "incident.acknowledged", "incident.resolved"] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

export type IncidentSnapshot = {
  id: string;
  title: string;
  url: string;
  severity: string;
  status: string;
  service: string | null;
  labels: Record<string, string>;
  openedAt: string;
};

export type Notification = {
  event: NotificationEvent;
  incident: IncidentSnapshot;
  /** Escalation step (0-based) for triggered/escalated notifications. */
  step: number | null;
  /** Which try of this delivery (1 = first). */
  attempt: number;
  /** Set when the notification is for one person (a user or schedule target). */
  forUser?: { id: string; email: string; name: string };
  /** Who acknowledged or resolved, for those events. */
  by?: string | null;
};

export function incidentSnapshot(i: { id: string; title: string; severity: string; status: string; service: string | null; labels: unknown; openedAt: Date }): IncidentSnapshot {
  return {
    id: i.id,
    title: i.title,
    url: publicUrl(`/incidents/${i.id}`),
    severity: i.severity,
    status: i.status,
    service: i.service,
    labels: (i.labels ?? {}) as Record<string, string>,
    openedAt: i.openedAt.toISOString(),
  };
}

/** One line: "[CRITICAL] Payments API down — escalated (step 2)". */
export function headline(n: Notification): string {
  const what: Record<NotificationEvent, string> = {
    "incident.triggered": "new incident",
    "incident.escalated": `escalated (step ${(n.step ?? 0) + 1})`,
    "incident.acknowledged": `acknowledged${n.by ? ` by ${n.by}` : ""}`,
    "incident.resolved": `resolved${n.by ? ` by ${n.by}` : ""}`,
  };
  return `[${n.incident.severity.toUpperCase()}] ${n.incident.title} — ${what[n.event]}`;
}

/** label=value pairs, the most useful first, at most `max`. */
export function labelLines(labels: Record<string, string>, max = 12): string[] {
  const first = ["alertname", "severity", "service", "namespace", "team", "node", "pod"];
  const keys = Object.keys(labels).sort((a, b) => (first.indexOf(a) + 1 || 99) - (first.indexOf(b) + 1 || 99) || a.localeCompare(b));
  return keys.slice(0, max).map((k) => `${k}=${labels[k]}`);
}
