// What a notification says, shared by every channel type: the incident as it is now, with an absolute
// link (publicUrl), and the event that caused the notification; or a run waiting for approval.
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
  /**
   * One-time links that act as `forUser` without a session (lib/oncall/action-links.ts): set for a
   * person's triggered or escalated notification by email, Teams or webhook.
   */
  actions?: { ack: string };
  /** A line saying what just happened to the message (a Slack message updated after a button press). */
  note?: string;
};

export const APPROVAL_EVENT = "run.approval_requested";

export type RunSnapshot = {
  id: string;
  url: string;
  playbook: string;
  risk: string;
  status: string;
  requestedBy: string;
  reason: string | null;
  requiredApprovals: number;
  approvals: { by: string; decision: string }[];
  expiresAt: string | null;
  incident: { id: string; title: string; url: string } | null;
};

/** A run entered awaiting_approval: the approvers' route is told (lib/oncall/page-approvers.ts). */
export type ApprovalNotification = {
  event: typeof APPROVAL_EVENT;
  run: RunSnapshot;
  attempt: number;
  forUser?: { id: string; email: string; name: string };
  note?: string;
};

export type AnyNotification = Notification | ApprovalNotification;

export const isApproval = (n: AnyNotification): n is ApprovalNotification => n.event === APPROVAL_EVENT;

type RunRow = {
  id: string;
  playbookName: string;
  risk: string;
  status: string;
  requestedByLabel: string;
  reason: string | null;
  requiredApprovals: number;
  approvalExpiresAt: Date | null;
};

export function runSnapshot(r: RunRow, approvals: { userLabel: string; decision: string }[], incident: { id: string; title: string } | null): RunSnapshot {
  return {
    id: r.id,
    url: publicUrl(`/runs/${r.id}`),
    playbook: r.playbookName,
    risk: r.risk,
    status: r.status,
    requestedBy: r.requestedByLabel,
    reason: r.reason,
    requiredApprovals: r.requiredApprovals,
    approvals: approvals.map((a) => ({ by: a.userLabel, decision: a.decision })),
    expiresAt: r.approvalExpiresAt?.toISOString() ?? null,
    incident: incident ? { id: incident.id, title: incident.title, url: publicUrl(`/incidents/${incident.id}`) } : null,
  };
}

/** "[HIGH RISK] Approval needed: rollback-deployment (1 of 2 approvals)". */
export function approvalHeadline(n: ApprovalNotification): string {
  const r = n.run;
  const given = r.approvals.filter((a) => a.decision === "approved").length;
  const state = r.status === "awaiting_approval" ? `Approval needed: ${r.playbook} (${given} of ${r.requiredApprovals} approvals)` : `${r.playbook}: ${r.status.replaceAll("_", " ")}`;
  return `[${r.risk.toUpperCase()} RISK] ${state}`;
}

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
