"use client";

import Link from "next/link";
import { useMemo, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import type { IncidentList } from "@/lib/incidents/list-incidents";
import type { BulkOutcome } from "@/lib/incidents/change-incident-status";
import { ApiError, postJson, useApiQuery } from "../../_lib/api-client";
import type { Jsonify } from "../../runs/_lib/run-types";
import { DataTable, EmptyState, TBody, THead, Td, Th, Tr } from "@/components/data-table";
import { SeverityBadge, StatusBadge } from "@/components/incidents/incident-badges";
import { Time } from "@/components/time";
import { Alert } from "@/components/ui/alert";
import { Button, buttonClass } from "@/components/ui/button";

export type IncidentListJson = Jsonify<IncidentList>;
type BulkAnswer = { action: "acknowledge" | "resolve"; results: BulkOutcome[]; changed: number };

// New incidents appear without a reload; react-query pauses this in a hidden tab and refetches on focus.
const POLL_MS = 10_000;

/** The newest-first sorts page towards older incidents; "oldest" the other way round. */
const PAGE_WORDS: Record<string, { prev: string; next: string }> = {
  newest: { prev: "Newer", next: "Older" },
  last_signal: { prev: "Newer", next: "Older" },
  oldest: { prev: "Older", next: "Newer" },
  severity: { prev: "Previous", next: "Next" },
};

export function IncidentsLive({ initial, params, canAck, canResolve, empty }: { initial: IncidentListJson; params: string; canAck: boolean; canResolve: boolean; empty: string }) {
  const queryClient = useQueryClient();
  const api = `/api/v1/incidents${params ? `?${params}` : ""}`;
  const key = useMemo(() => ["incidents", params], [params]);
  const { data, error } = useApiQuery<IncidentListJson>(key, api, { initial, pollMs: POLL_MS, poll: () => true, staleTime: 2_000 });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ tone: "success" | "error"; text: string; details: string[] } | null>(null);

  const selectable = canAck || canResolve;
  const onPage = data.incidents.map((i) => i.id);
  // A refresh may drop rows (resolved elsewhere): only what is still shown counts as selected.
  const chosen = onPage.filter((id) => selected.has(id));
  const allChosen = onPage.length > 0 && chosen.length === onPage.length;
  const words = PAGE_WORDS[data.sort] ?? PAGE_WORDS.severity!;
  const total = `${data.total.count.toLocaleString("en-US")}${data.total.capped ? "+" : ""}`;

  const pageHref = (cursor: string) => {
    const p = new URLSearchParams(params);
    p.set("cursor", cursor);
    return `/incidents?${p.toString()}`;
  };

  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  async function bulk(action: "acknowledge" | "resolve") {
    setBusy(true);
    setOutcome(null);
    try {
      const answer = await postJson<BulkAnswer>("/api/v1/incidents/bulk", { ids: chosen, action });
      const skipped = answer.results.filter((r) => r.outcome !== "acknowledged" && r.outcome !== "resolved");
      const title = new Map(data.incidents.map((i) => [i.id, i.title]));
      setOutcome({
        tone: skipped.length ? "error" : "success",
        text: `${answer.changed} ${action === "acknowledge" ? "acknowledged" : "resolved"}${skipped.length ? `, ${skipped.length} not changed` : ""}.`,
        details: skipped.map((r) => `${title.get(r.id) ?? r.id}: ${"message" in r ? r.message : r.outcome}`),
      });
      setSelected(new Set());
      await queryClient.invalidateQueries({ queryKey: ["incidents"] });
    } catch (err) {
      setOutcome({ tone: "error", text: err instanceof ApiError ? err.message : "The request failed; nothing may have changed. Try again.", details: [] });
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2 text-sm text-slate-600">
        <p>
          <span data-testid="incident-total" className="font-medium text-slate-900 tabular-nums">
            {total}
          </span>{" "}
          {data.total.count === 1 && !data.total.capped ? "incident" : "incidents"}
        </p>
        <p className="text-xs" aria-live="polite">
          {error ? (
            <span className="text-red-700">Could not refresh: {error.message}</span>
          ) : (
            <span title="New and changed incidents appear without reloading the page">Live · refreshes every {POLL_MS / 1000} s</span>
          )}
        </p>
      </div>

      {selectable && chosen.length > 0 ? (
        <div role="region" aria-label="Bulk actions" className="sticky top-0 z-10 mb-2 flex flex-wrap items-center gap-2 rounded-lg border border-indigo-200 bg-indigo-50 px-3 py-2 text-sm">
          <span data-testid="bulk-count" className="font-medium text-indigo-900">
            {chosen.length} selected
          </span>
          {canAck ? (
            <Button size="sm" disabled={busy} onClick={() => bulk("acknowledge")}>
              Acknowledge
            </Button>
          ) : null}
          {canResolve ? (
            <Button size="sm" variant="secondary" disabled={busy} onClick={() => bulk("resolve")}>
              Resolve
            </Button>
          ) : null}
          <Button size="sm" variant="secondary" disabled={busy} onClick={() => setSelected(new Set())}>
            Clear selection
          </Button>
        </div>
      ) : null}
      {outcome ? (
        <Alert tone={outcome.tone} role="status" className="mb-2">
          <span data-testid="bulk-outcome">{outcome.text}</span>
          {outcome.details.length ? (
            <ul className="mt-1 list-disc pl-5 text-xs">
              {outcome.details.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
          ) : null}
        </Alert>
      ) : null}

      {data.incidents.length === 0 ? (
        <EmptyState>{empty}</EmptyState>
      ) : (
        <DataTable caption={`Incidents, ${total} in all`}>
          <THead>
            {selectable ? (
              <Th className="w-8">
                <input
                  type="checkbox"
                  aria-label="Select every incident on this page"
                  checked={allChosen}
                  onChange={() => setSelected(allChosen ? new Set() : new Set(onPage))}
                  className="h-4 w-4 rounded border-slate-300"
                />
              </Th>
            ) : null}
            <Th>Title</Th>
            <Th>Service</Th>
            <Th>Severity</Th>
            <Th>Status</Th>
            <Th>Owner</Th>
            <Th>Opened</Th>
            <Th>Last signal</Th>
          </THead>
          <TBody>
            {data.incidents.map((i) => (
              <Tr key={i.id} data-testid="incident-row" className={selected.has(i.id) ? "bg-indigo-50/60" : ""}>
                {selectable ? (
                  <Td>
                    <input type="checkbox" aria-label={`Select ${i.title}`} checked={selected.has(i.id)} onChange={() => toggle(i.id)} className="h-4 w-4 rounded border-slate-300" />
                  </Td>
                ) : null}
                <Td className="max-w-md">
                  <Link href={`/incidents/${i.id}`} className="font-medium break-words text-indigo-700 hover:underline">
                    {i.title}
                  </Link>
                  {i.groupKey ? <div className="truncate font-mono text-xs text-slate-500">{i.groupKey}</div> : null}
                </Td>
                <Td className="text-xs">{i.service ?? <span className="text-slate-500">—</span>}</Td>
                <Td>
                  <SeverityBadge severity={i.severity} />
                </Td>
                <Td>
                  <StatusBadge status={i.status} testId="incident-status" />
                </Td>
                <Td className="text-xs" data-testid="incident-owner">
                  {i.owner ? <span title={i.owner.email}>{i.owner.name}</span> : <span className="text-slate-500">—</span>}
                </Td>
                <Td className="text-xs">
                  <Time value={i.openedAt} />
                </Td>
                <Td className="text-xs">
                  <Time value={i.lastSignalAt} />
                </Td>
              </Tr>
            ))}
          </TBody>
        </DataTable>
      )}
      {data.prevCursor || data.nextCursor ? (
        <nav aria-label="Pagination" className="mt-3 flex gap-2">
          {data.prevCursor ? (
            <Link href={pageHref(data.prevCursor)} className={buttonClass("secondary", "sm")}>
              ← {words.prev}
            </Link>
          ) : null}
          {data.nextCursor ? (
            <Link href={pageHref(data.nextCursor)} className={buttonClass("secondary", "sm")}>
              {words.next} →
            </Link>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}
