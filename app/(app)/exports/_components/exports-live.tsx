"use client";

import { useApiQuery } from "../../_lib/api-client";
import { DataTable, EmptyState, TBody, THead, Td, Th } from "@/components/data-table";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Time } from "@/components/time";
import { EXPORTS_QUERY_KEY, formatBound, formatBytes, isActive, redactionCounts, type ExportRow } from "../_lib/export-types";

const POLL_MS = 1000;

const STATUS: Record<string, { tone: BadgeTone; glyph: string }> = {
  queued: { tone: "neutral", glyph: "◷" },
  running: { tone: "accent", glyph: "▶" },
  succeeded: { tone: "good", glyph: "✓" },
  failed: { tone: "bad", glyph: "✕" },
};

function ExportStatusBadge({ status }: { status: string }) {
  const s = STATUS[status] ?? { tone: "neutral" as const, glyph: "" };
  return (
    <Badge tone={s.tone} className="gap-1">
      {s.glyph ? <span aria-hidden="true">{s.glyph}</span> : null}
      <span data-testid="export-status">{status}</span>
    </Badge>
  );
}

/** Rows written against the total counted when the export started (an estimate: rows may arrive meanwhile). */
function ExportProgress({ e }: { e: ExportRow }) {
  const pct = Math.round(e.progress * 100);
  const rows = e.rowsTotal == null ? `${e.rowsDone.toLocaleString("en-US")} rows` : `${e.rowsDone.toLocaleString("en-US")} / ${e.rowsTotal.toLocaleString("en-US")} rows`;
  const known = e.status !== "queued";
  const text = known ? `${rows} (${pct}%)` : "waiting for a worker";
  return (
    <div className="mt-1.5 w-40">
      <div
        role="progressbar"
        aria-label={`Progress of export ${e.id.slice(0, 8)}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={known ? pct : undefined}
        aria-valuetext={text}
        data-testid="export-progress"
        className="h-1.5 overflow-hidden rounded-full bg-slate-200"
      >
        <div
          className={`h-full rounded-full transition-[width] duration-500 ${e.status === "failed" ? "bg-red-500" : e.status === "succeeded" ? "bg-emerald-500" : "bg-indigo-500"}`}
          style={{ width: `${known ? pct : 0}%` }}
        />
      </div>
      <div className="mt-0.5 text-xs text-slate-600 tabular-nums" aria-hidden="true">
        {text}
      </div>
    </div>
  );
}

function Redactions({ e }: { e: ExportRow }) {
  const counts = redactionCounts(e.report);
  if (!counts) return <span className="text-slate-500">{isActive(e.status) ? "when finished" : "—"}</span>;
  if (counts.length === 0) return <span className="text-slate-600">none</span>;
  return (
    <span data-testid="export-redactions" className="text-xs">
      {counts.map(([type, n], i) => (
        <span key={type} className="whitespace-nowrap">
          {i > 0 ? <span className="text-slate-400"> · </span> : null}
          <code>{type}</code> <span className="tabular-nums">{n.toLocaleString("en-US")}</span>
        </span>
      ))}
    </span>
  );
}

function Range({ from, to }: { from: string | null; to: string | null }) {
  if (!from && !to) return <span className="text-slate-600">all time</span>;
  return (
    <span className="text-xs whitespace-nowrap" title="From is included, to is not (UTC)">
      {from ? formatBound(from) : "start"} → {to ? formatBound(to) : "now"}
      <span className="text-slate-500"> UTC</span>
    </span>
  );
}

/**
 * The exports list. Starts from the server-rendered rows and polls GET /api/v1/exports every second while
 * any export is queued or running, so status and progress move without a reload; it stops when none is.
 */
export function ExportsLive({ initial }: { initial: ExportRow[] }) {
  const { data: exports, error } = useApiQuery<ExportRow[]>(EXPORTS_QUERY_KEY, "/api/v1/exports", {
    initial,
    // Fresh from the server on first mount; when the page is visited again, the cached list is refetched.
    staleTime: 2_000,
    pollMs: POLL_MS,
    poll: (rows) => rows.some((e) => isActive(e.status)),
  });
  const active = exports.some((e) => isActive(e.status));

  return (
    <>
      <p role="status" className="mb-2 min-h-4 text-xs text-slate-500" data-testid="exports-live-state">
        {error ? (
          <span className="text-red-700">Live updates failed ({error.message}); retrying.</span>
        ) : active ? (
          <>
            <span aria-hidden="true" className="mr-1 inline-block size-2 animate-pulse rounded-full bg-indigo-500" />
            Updating live while an export is in progress
          </>
        ) : null}
      </p>
      {exports.length === 0 ? (
        <EmptyState>No exports yet.</EmptyState>
      ) : (
        <DataTable caption="Exports, newest first">
          <THead>
            <Th>Created</Th>
            <Th>Requested</Th>
            <Th>Contents</Th>
            <Th>Status</Th>
            <Th>Redactions</Th>
            <Th>File</Th>
          </THead>
          <TBody>
            {exports.map((e) => (
              <tr key={e.id} className="hover:bg-slate-50/70" data-testid="export-row" data-export-id={e.id}>
                <Td className="text-xs">
                  <Time value={e.createdAt} />
                  <div className="font-mono text-slate-500">{e.id.slice(0, 8)}</div>
                </Td>
                <Td className="text-xs">
                  <Badge tone={e.trigger === "schedule" ? "accent" : "neutral"}>{e.trigger}</Badge>
                  <div className="mt-0.5 max-w-64 [overflow-wrap:anywhere] text-slate-700">
                    <span className="sr-only">by </span>
                    {e.requestedBy}
                  </div>
                </Td>
                <Td>
                  <div className="text-sm">{e.kinds.join(", ")}</div>
                  <Range from={e.fromTime} to={e.toTime} />
                </Td>
                <Td>
                  <ExportStatusBadge status={e.status} />
                  <ExportProgress e={e} />
                </Td>
                <Td>
                  <Redactions e={e} />
                </Td>
                <Td className="text-xs">
                  {e.status === "failed" ? (
                    <p className="max-w-xs break-words text-red-800" data-testid="export-error">
                      {e.error ?? "failed"}
                    </p>
                  ) : null}
                  {e.bytesWritten > 0 || e.status === "succeeded" ? (
                    <div className="tabular-nums" title={`${e.bytesWritten.toLocaleString("en-US")} bytes${e.gzip ? ", gzip" : ""}`}>
                      {formatBytes(e.bytesWritten)}
                      {e.gzip ? <span className="text-slate-500"> gz</span> : null}
                    </div>
                  ) : null}
                  {e.sha256 ? (
                    <div>
                      <span className="sr-only">SHA-256 </span>
                      <code className="text-slate-600" title={e.sha256} data-testid="export-sha256">
                        {e.sha256.slice(0, 12)}
                      </code>
                    </div>
                  ) : null}
                  {e.status === "succeeded" ? (
                    <a href={`/api/v1/exports/${e.id}/download`} className="font-medium text-indigo-700 hover:underline" download={e.fileName ?? undefined}>
                      Download<span className="sr-only"> export {e.id.slice(0, 8)}</span>
                    </a>
                  ) : e.status !== "failed" ? (
                    <span className="text-slate-500">—</span>
                  ) : null}
                </Td>
              </tr>
            ))}
          </TBody>
        </DataTable>
      )}
    </>
  );
}
