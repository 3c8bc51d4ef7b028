"use client";

import Link from "next/link";
import { useState } from "react";
import { useApiQuery } from "../../../_lib/api-client";
import type { listIncidentNotifications } from "@/lib/oncall/list-notifications";
import { Section } from "@/components/page-header";
import { DataTable, EmptyState, TBody, THead, Td, Th, Tr } from "@/components/data-table";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Time } from "@/components/time";

type Jsonified<T> = T extends Date ? string : T extends (infer U)[] ? Jsonified<U>[] : T extends object ? { [K in keyof T]: Jsonified<T[K]> } : T;
/** GET /api/v1/incidents/:id/notifications, as JSON. */
export type PagingData = Jsonified<Awaited<ReturnType<typeof listIncidentNotifications>>>;

const POLL_MS = 3000;

const PAGE_STATUS: Record<string, { label: string; tone: BadgeTone }> = {
  active: { label: "Paging", tone: "bad" },
  acknowledged: { label: "Stopped: acknowledged", tone: "warn" },
  resolved: { label: "Stopped: resolved", tone: "good" },
  silenced: { label: "Silenced", tone: "neutral" },
  inhibited: { label: "Inhibited", tone: "neutral" },
  unrouted: { label: "Unrouted", tone: "neutral" },
};
const ATTEMPT_STATUS: Record<string, BadgeTone> = { queued: "accent", sent: "good", failed: "bad" };
const EVENT_WORDS: Record<string, string> = {
  "incident.triggered": "new incident",
  "incident.escalated": "escalated",
  "incident.acknowledged": "acknowledged",
  "incident.resolved": "resolved",
};

function untilText(at: string, now: number): string {
  const s = Math.round((new Date(at).getTime() - now) / 1000);
  if (s <= 0) return "due now";
  if (s < 120) return `in ${s} s`;
  if (s < 7200) return `in ${Math.round(s / 60)} min`;
  return `in ${Math.round(s / 3600)} h`;
}

function Summary({ page, now }: { page: NonNullable<PagingData["page"]>; now: number }) {
  const status = PAGE_STATUS[page.status] ?? { label: page.status, tone: "neutral" as const };
  return (
    <div className="space-y-1 text-sm text-slate-800">
      <p className="flex flex-wrap items-center gap-2">
        <Badge tone={status.tone}>
          <span data-testid="paging-status">{status.label}</span>
        </Badge>
        {page.route ? (
          <span>
            Route <strong>{page.route.name}</strong> →{" "}
            {page.policy ? (
              <Link href={`/oncall/policies/${page.policy.id}`} className="font-medium text-indigo-700 hover:underline">
                {page.policy.name}
              </Link>
            ) : (
              "a deleted policy"
            )}
          </span>
        ) : null}
      </p>
      {page.reason ? <p className="text-slate-700">{page.reason}</p> : null}
      {page.status === "silenced" ? (
        <p className="text-xs text-slate-600">
          Paging starts if the incident is still open when the silence ends. See{" "}
          <Link href="/oncall/silences" className="text-indigo-700 hover:underline">
            Silences
          </Link>
          .
        </p>
      ) : null}
      {page.status === "unrouted" ? (
        <p className="text-xs text-slate-600">
          Add a route for its labels, or a default route, under{" "}
          <Link href="/oncall/routes" className="text-indigo-700 hover:underline">
            Routes
          </Link>
          .
        </p>
      ) : null}
      {page.totalSteps > 0 ? (
        <p data-testid="paging-progress">
          {page.notifiedSteps} of {page.totalSteps} step{page.totalSteps === 1 ? "" : "s"} notified
          {page.next ? (
            <>
              {" "}
              · next: step {page.next.step + 1}
              {page.next.repeat ? ` (repeat ${page.next.repeat})` : ""} at <Time value={page.next.at} /> ({untilText(page.next.at, now)})
            </>
          ) : page.status === "active" ? (
            " · no step left"
          ) : null}
        </p>
      ) : null}
    </div>
  );
}

/**
 * Paging: the route and policy the incident got (or why nobody is paged), the step it is at, when the
 * next one is due, and every notification with its outcome. Polls while something is still to happen.
 */
export function PagingLive({ incidentId, initial }: { incidentId: string; initial: PagingData }) {
  const [since] = useState(() => Date.now());
  // No page yet: the paging job is about to run, unless the incident predates on-call; wait a minute at most.
  const pending = (d: PagingData) => d.page?.status === "active" || d.attempts.some((a) => a.status === "queued") || (d.page === null && Date.now() - since < 60_000);
  const { data, dataUpdatedAt } = useApiQuery<PagingData>(["incident-paging", incidentId], `/api/v1/incidents/${incidentId}/notifications`, {
    initial,
    refetchOnMount: false,
    pollMs: POLL_MS,
    poll: pending,
  });
  // The countdown to the next step moves with each poll.
  const now = Math.max(dataUpdatedAt, since);

  return (
    <Section title="Paging" id="paging">
      <div className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" aria-live="polite">
        {data.page ? <Summary page={data.page} now={now} /> : <p className="text-sm text-slate-600">Not evaluated yet (or on-call is not set up: no routes).</p>}
        {data.attempts.length === 0 ? (
          <EmptyState>No notifications.</EmptyState>
        ) : (
          <DataTable caption="Notifications sent for this incident, oldest first">
            <THead>
              <Th>When</Th>
              <Th>Step</Th>
              <Th>Channel</Th>
              <Th>Recipient</Th>
              <Th>Status</Th>
              <Th className="text-right">Retries</Th>
              <Th className="text-right">Latency</Th>
              <Th>Error</Th>
            </THead>
            <TBody>
              {data.attempts.map((a) => (
                <Tr key={a.id}>
                  <Td className="text-xs">
                    <Time value={a.sentAt ?? a.at} />
                  </Td>
                  <Td className="text-xs">
                    {a.step === null ? EVENT_WORDS[a.event] ?? a.event : `${a.step + 1}${a.repeat ? ` (repeat ${a.repeat})` : ""}`}
                  </Td>
                  <Td className="text-xs">
                    {a.channel.name} <span className="text-slate-500">({a.channel.type})</span>
                  </Td>
                  <Td className="text-xs" data-testid="attempt-recipient">
                    {a.recipient === "channel" ? "the channel's destination" : `${a.recipientName ?? "someone who left"}${a.address ? ` <${a.address}>` : ""}`}
                  </Td>
                  <Td>
                    <Badge tone={ATTEMPT_STATUS[a.status] ?? "neutral"}>
                      <span data-testid="attempt-status">{a.status}</span>
                    </Badge>
                    {a.responseStatus ? <span className="ml-1 text-xs text-slate-500">HTTP {a.responseStatus}</span> : null}
                  </Td>
                  <Td className="text-right text-xs tabular-nums">{a.retries}</Td>
                  <Td className="text-right text-xs tabular-nums">{a.latencyMs === null ? "—" : `${a.latencyMs} ms`}</Td>
                  <Td className="max-w-xs text-xs text-red-700">
                    <span className="line-clamp-2" title={a.error ?? undefined}>
                      {a.error ?? ""}
                    </span>
                  </Td>
                </Tr>
              ))}
            </TBody>
          </DataTable>
        )}
      </div>
    </Section>
  );
}
