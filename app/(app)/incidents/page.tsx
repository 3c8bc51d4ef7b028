import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getSessionActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/assert-can";
import { AppError } from "@/lib/errors";
import { INCIDENT_SORTS, INCIDENT_STATUSES, listIncidents, type IncidentList } from "@/lib/incidents/list-incidents";
import { SEVERITIES } from "@/lib/incidents/schemas";
import { PageHeader } from "@/components/page-header";
import { buttonClass } from "@/components/ui/button";
import { inputClass, labelClass, selectClass } from "@/components/ui/field";
import { toJson } from "../runs/_lib/run-types";
import { IncidentsLive } from "./_components/incidents-live";

export const metadata: Metadata = { title: "Incidents" };

// Anything malformed in the URL is dropped rather than shown as an error: these are just filters.
const text = z.string().trim().max(200).optional().catch(undefined).transform((v) => (v ? v : undefined));
const ZSearch = z.object({
  status: z.enum(INCIDENT_STATUSES).optional().catch(undefined),
  severity: z.enum(SEVERITIES).optional().catch(undefined),
  service: text,
  q: text,
  owner: z.enum(["me", "none"]).optional().catch(undefined),
  sort: z.enum(INCIDENT_SORTS).optional().catch(undefined),
  // Rows per page; not in the form (50 suits triage) but kept in links, so a shared URL pages the same way.
  limit: z.coerce.number().int().min(1).max(200).optional().catch(undefined),
  cursor: z.string().max(400).optional().catch(undefined),
});
type Filters = Omit<z.infer<typeof ZSearch>, "cursor">;

const SORT_LABELS: Record<(typeof INCIDENT_SORTS)[number], string> = { newest: "Newest first", oldest: "Oldest first", severity: "Severity, then newest", last_signal: "Latest signal first" };
const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);

function queryString(filters: Filters, cursor?: string) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) p.set(k, String(v));
  if (cursor) p.set("cursor", cursor);
  return p.toString();
}

export default async function IncidentsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  const { cursor, ...filters } = ZSearch.parse(await searchParams);
  let list: IncidentList;
  let usedCursor = cursor;
  try {
    list = await listIncidents({ actor, query: { ...filters, cursor } });
  } catch (err) {
    // A stale or edited cursor in a bookmarked URL: show the first page rather than an error.
    if (!(err instanceof AppError) || err.code !== "validation_failed" || !cursor) throw err;
    usedCursor = undefined;
    list = await listIncidents({ actor, query: filters });
  }
  const filtered = Object.entries(filters).some(([k, v]) => k !== "sort" && k !== "limit" && Boolean(v));

  return (
    <>
      <PageHeader title="Incidents" description="Signals from Alertmanager and anomaly monitors, grouped into incidents. Search matches the title, the group and every label value." />
      <form method="get" action="/incidents" role="search" aria-label="Filter incidents" className="mb-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3 shadow-sm">
        <div className="w-64 space-y-1">
          <label htmlFor="f-q" className={labelClass}>
            Search
          </label>
          <input id="f-q" name="q" type="search" defaultValue={filters.q} placeholder="Title or label value, e.g. prod-eu-1" className={inputClass} />
        </div>
        <div className="w-36 space-y-1">
          <label htmlFor="f-status" className={labelClass}>
            Status
          </label>
          <select id="f-status" name="status" defaultValue={filters.status ?? ""} className={selectClass}>
            <option value="">Any</option>
            {INCIDENT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {cap(s)}
              </option>
            ))}
          </select>
        </div>
        <div className="w-32 space-y-1">
          <label htmlFor="f-severity" className={labelClass}>
            Severity
          </label>
          <select id="f-severity" name="severity" defaultValue={filters.severity ?? ""} className={selectClass}>
            <option value="">Any</option>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {cap(s)}
              </option>
            ))}
          </select>
        </div>
        <div className="w-32 space-y-1">
          <label htmlFor="f-owner" className={labelClass}>
            Owner
          </label>
          <select id="f-owner" name="owner" defaultValue={filters.owner ?? ""} className={selectClass}>
            <option value="">Anyone</option>
            <option value="me">Mine</option>
            <option value="none">Nobody yet</option>
          </select>
        </div>
        <div className="w-40 space-y-1">
          <label htmlFor="f-service" className={labelClass}>
            Service
          </label>
          <input id="f-service" name="service" defaultValue={filters.service} placeholder="Exact name" className={inputClass} />
        </div>
        <div className="w-48 space-y-1">
          <label htmlFor="f-sort" className={labelClass}>
            Sort
          </label>
          <select id="f-sort" name="sort" defaultValue={filters.sort ?? "newest"} className={selectClass}>
            {INCIDENT_SORTS.map((s) => (
              <option key={s} value={s}>
                {SORT_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
        {filters.limit ? <input type="hidden" name="limit" value={filters.limit} /> : null}
        <div className="flex gap-2">
          <button type="submit" className={buttonClass("primary")}>
            Apply
          </button>
          {filtered || filters.sort ? (
            <Link href="/incidents" className={buttonClass("secondary")}>
              Clear
            </Link>
          ) : null}
        </div>
      </form>

      <IncidentsLive
        initial={toJson(list)}
        params={queryString(filters, usedCursor)}
        canAck={can(actor, "incidents.ack")}
        canResolve={can(actor, "incidents.resolve")}
        empty={filtered || usedCursor ? "No incidents match these filters." : "No incidents yet. They open when Alertmanager or a monitor sends a signal."}
      />
    </>
  );
}
