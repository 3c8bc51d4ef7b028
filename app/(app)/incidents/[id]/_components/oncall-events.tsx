// The on-call engine's timeline events in plain words. Each reads the data the engine writes
// (lib/oncall/start-paging.ts, escalate.ts, deliver.ts, stop-escalation.ts).
import type { ReactNode } from "react";
import { Time } from "@/components/time";

export const ONCALL_EVENT_LABELS: Record<string, string> = {
  paging_started: "Paging started",
  silenced: "Silenced",
  inhibited: "Inhibited",
  unrouted: "Nobody paged",
  notified: "Notified",
  escalated: "Escalated",
  notification_sent: "Notification sent",
  notification_failed: "Notification failed",
  escalation_stopped: "Escalation stopped",
};

export const ONCALL_EVENT_TONES: Record<string, "bad" | "warn" | "good" | "neutral" | "accent"> = {
  paging_started: "accent",
  notified: "accent",
  escalated: "warn",
  notification_sent: "good",
  notification_failed: "bad",
  escalation_stopped: "neutral",
  silenced: "neutral",
  inhibited: "neutral",
  unrouted: "neutral",
};

const str = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : "");

const WHAT: Record<string, string> = {
  "incident.triggered": "Page",
  "incident.escalated": "Escalation",
  "incident.acknowledged": "Acknowledgement notice",
  "incident.resolved": "Resolution notice",
};

/** "alice@example.com", "the channel", "a person" (a webhook's user target has no address). */
function recipientText(r: unknown): string {
  const s = str(r);
  if (s === "channel" || s === "") return "the channel";
  if (s.startsWith("user:")) return "a person";
  return s;
}

function when(v: unknown): ReactNode {
  if (typeof v !== "string" || Number.isNaN(Date.parse(v))) return null;
  return <Time value={v} />;
}

/** The line under an on-call event, or null for any other event type. */
export function oncallEventDetails(type: string, d: Record<string, unknown>): ReactNode | null {
  switch (type) {
    case "paging_started":
    case "silenced":
    case "inhibited":
    case "unrouted":
    case "escalation_stopped":
      return str(d.message) || ONCALL_EVENT_LABELS[type];
    case "notified":
    case "escalated": {
      const problems = Array.isArray(d.problems) ? (d.problems as unknown[]).map(str).filter(Boolean) : [];
      return (
        <>
          {str(d.message)}
          {d.nextAt ? <span className="text-slate-500"> · next step at {when(d.nextAt)}</span> : <span className="text-slate-500"> · last step</span>}
          {problems.length ? <span className="block text-amber-800">Not reached: {problems.join("; ")}</span> : null}
        </>
      );
    }
    case "notification_sent": {
      const attempt = Number(d.attempt) || 1;
      return (
        <>
          {WHAT[str(d.event)] ?? "Notification"} to {recipientText(d.recipient)} via {str(d.channel)} ({str(d.type)})
          {typeof d.latencyMs === "number" ? ` in ${d.latencyMs} ms` : ""}
          {attempt > 1 ? `, on try ${attempt}` : ""}
        </>
      );
    }
    case "notification_failed": {
      const attempt = Number(d.attempt) || 1;
      return (
        <>
          {WHAT[str(d.event)] ?? "Notification"} to {recipientText(d.recipient)} via {str(d.channel)} ({str(d.type)}) failed{attempt > 1 ? ` on try ${attempt}` : ""}: <span className="text-red-700">{str(d.error)}</span>
          <span className="text-slate-500">{d.final ? " — given up." : d.retry ? ` — ${str(d.retry)}.` : ""}</span>
        </>
      );
    }
    default:
      return null;
  }
}
