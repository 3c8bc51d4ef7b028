import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/data-table";
import { Section } from "@/components/page-header";
import { Time } from "@/components/time";
import { ONCALL_EVENT_LABELS, ONCALL_EVENT_TONES, oncallEventDetails } from "./oncall-events";

type TimelineEvent = { id: string; type: string; at: Date; actorLabel: string; data: unknown };
type TimelineSignal = { id: string; startsAt: Date; endsAt: Date | null; createdAt: Date };

const EVENT_LABELS: Record<string, string> = {
  opened: "Opened",
  signal_added: "Signal added",
  signal_resolved: "Signal resolved",
  acknowledged: "Acknowledged",
  resolved: "Resolved",
  run_requested: "Run requested",
  ...ONCALL_EVENT_LABELS,
};
const EVENT_TONES: Record<string, "bad" | "warn" | "good" | "neutral" | "accent"> = {
  opened: "bad",
  signal_added: "accent",
  signal_resolved: "good",
  acknowledged: "warn",
  resolved: "good",
  ...ONCALL_EVENT_TONES,
};

/** Arrivals this much later than what they report are called out (a backfill, a late delivery). */
const LATE_MS = 5 * 60_000;

const str = (v: unknown) => (typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? String(v) : v == null ? "" : JSON.stringify(v));

function asDate(v: unknown): Date | null {
  if (typeof v !== "string") return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

/**
 * When what an event reports happened, as opposed to when NeuralOps recorded it (the event's `at`,
 * its arrival). Events written before the time was kept in their data fall back to the signal row.
 */
export function eventHappenedAt(type: string, data: Record<string, unknown>, signals: Map<string, TimelineSignal>): Date | null {
  const signal = typeof data.signalId === "string" ? signals.get(data.signalId) : undefined;
  switch (type) {
    case "opened":
      return asDate(data.startsAt);
    case "signal_added":
      return asDate(data.startsAt) ?? signal?.startsAt ?? null;
    case "signal_resolved":
      return asDate(data.endsAt) ?? signal?.endsAt ?? null;
    case "resolved":
      return asDate(data.resolvedAt);
    default:
      return null;
  }
}

/** One line about a timeline event, from its data. Unknown shapes fall back to key: value pairs. */
function eventDetails(type: string, d: Record<string, unknown>): ReactNode {
  switch (type) {
    case "opened":
      return (
        <>
          {str(d.title)}
          {d.groupKey ? <span className="ml-1 font-mono text-xs text-slate-500">({str(d.groupKey)})</span> : null}
        </>
      );
    case "signal_added":
      return (
        <>
          {d.kind ? <span className="text-slate-500">{str(d.kind)}: </span> : null}
          {str(d.title)}
          {d.severity ? <span className="text-slate-500"> · {str(d.severity)}</span> : null}
          {d.status ? <span className="text-slate-500"> · {str(d.status)}</span> : null}
        </>
      );
    case "signal_resolved":
      return str(d.title);
    case "acknowledged":
    case "resolved":
      return d.note ? <q>{str(d.note)}</q> : d.reason ? str(d.reason) : <span className="text-slate-500">—</span>;
    default: {
      const oncall = oncallEventDetails(type, d);
      if (oncall !== null) return oncall;
      const entries = Object.entries(d).filter(([k]) => k !== "startsAt" && k !== "endsAt" && k !== "resolvedAt");
      return entries.length ? entries.map(([k, v]) => `${k}: ${str(v)}`).join(", ") : <span className="text-slate-500">—</span>;
    }
  }
}

/**
 * The incident's timeline in the order NeuralOps recorded it. Signal events show both times: when
 * the signal happened (its startsAt, or endsAt for a resolution) and when it arrived (the event's time,
 * the signal row's createdAt), so history loaded by a new monitor's first scan reads as history.
 */
export function IncidentTimeline({ events, signals }: { events: TimelineEvent[]; signals: TimelineSignal[] }) {
  const byId = new Map(signals.map((s) => [s.id, s]));
  return (
    <Section title="Timeline" id="timeline">
      {events.length === 0 ? (
        <EmptyState>No events.</EmptyState>
      ) : (
        <ol className="relative space-y-0 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="timeline">
          {events.map((e, idx) => {
            const data = (e.data && typeof e.data === "object" ? e.data : {}) as Record<string, unknown>;
            const happened = eventHappenedAt(e.type, data, byId);
            // A new signal arrived with its row (createdAt); anything else when its event was written.
            const added = e.type === "signal_added" && typeof data.signalId === "string" ? byId.get(data.signalId) : undefined;
            const arrived = added?.createdAt ?? e.at;
            const late = happened !== null && arrived.getTime() - happened.getTime() > LATE_MS;
            const isSignal = e.type === "signal_added" || e.type === "signal_resolved";
            return (
              <li key={e.id} className="relative grid grid-cols-[auto_1fr] gap-x-3 pb-4 last:pb-0" data-event={e.type}>
                <span className="relative flex w-3 justify-center" aria-hidden="true">
                  <span className={`mt-1.5 size-2.5 rounded-full ${e.type === "opened" || e.type === "notification_failed" ? "bg-red-500" : e.type === "acknowledged" ? "bg-amber-500" : e.type.includes("resolved") ? "bg-emerald-500" : "bg-indigo-400"}`} />
                  {idx < events.length - 1 ? <span className="absolute top-4 -bottom-1 w-px bg-slate-200" /> : null}
                </span>
                <div className="min-w-0">
                  <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-slate-600">
                    {happened && (isSignal || late) ? (
                      <>
                        <span data-testid="happened-at">
                          {isSignal ? "Signal time" : "At"} <Time value={happened} />
                        </span>
                        <span data-testid="arrived-at">
                          · arrived <Time value={arrived} />
                        </span>
                      </>
                    ) : (
                      <Time value={e.at} />
                    )}
                    <Badge tone={EVENT_TONES[e.type] ?? "neutral"}>{EVENT_LABELS[e.type] ?? e.type}</Badge>
                    {late ? <Badge tone="neutral">arrived later</Badge> : null}
                    <span className="truncate">by {e.actorLabel}</span>
                  </div>
                  <p className="mt-0.5 text-sm break-words text-slate-800">{eventDetails(e.type, data)}</p>
                </div>
              </li>
            );
          })}
        </ol>
      )}
    </Section>
  );
}
