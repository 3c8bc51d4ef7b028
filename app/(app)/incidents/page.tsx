import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getSessionActor } from "@/lib/auth/get-actor";
import { listIncidents } from "@/lib/incidents/list-incidents";
import { SEVERITIES } from "@/lib/incidents/schemas";
import { PageHeader } from "@/components/page-header";
import { DataTable, EmptyState, TBody, THead, Td, Th, Tr } from "@/components/data-table";
import { SeverityBadge, StatusBadge } from "@/components/incidents/incident-badges";
import { Time } from "@/components/time";
import { buttonClass } from "@/components/ui/button";
import { inputClass, labelClass, selectClass } from "@/components/ui/field";

export const metadata: Metadata = { title: "Incidents" };

const STATUSES = ["open", "acknowledged", "resolved"] as const;
// Anything malformed in the URL is dropped rather than shown as an error: these are just filters.
const text = z.string().trim().max(200).optional().catch(undefined).transform((v) => (v ? v : undefined));
const ZSearch = z.object({
  status: z.enum(STATUSES).optional().catch(undefined),
  severity: z.enum(SEVERITIES).optional().catch(undefined),
  service: text,
  q: text,
  cursor: z.string().uuid().optional().catch(undefined),
});
type Filters = Omit<z.infer<typeof ZSearch>, "cursor">;

function href(filters: Filters, cursor?: string) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) p.set(k, v);
  if (cursor) p.set("cursor", cursor);
  const q = p.toString();
  return q ? `/incidents?${q}` : "/incidents";
}

const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);

export default async function IncidentsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  const { cursor, ...filters } = ZSearch.parse(await searchParams);
  const { incidents, nextCursor } = await listIncidents({ actor, query: { ...filters, cursor } });
  const filtered = Object.values(filters).some(Boolean);

  return (
    <>
      <PageHeader title="Incidents" description="Signals from Alertmanager and anomaly monitors, grouped into incidents. Newest first." />
      <form method="get" action="/incidents" role="search" aria-label="Filter incidents" className="mb-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3 shadow-sm">
        <div className="w-64 space-y-1">
          <label htmlFor="f-q" className={labelClass}>
            Search
          </label>
          <input id="f-q" name="q" type="search" defaultValue={filters.q} placeholder="Title or group key" className={inputClass} />
        </div>
        <div className="w-40 space-y-1">
          <label htmlFor="f-status" className={labelClass}>
            Status
          </label>
          <select id="f-status" name="status" defaultValue={filters.status ?? ""} className={selectClass}>
            <option value="">Any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {cap(s)}
              </option>
            ))}
          </select>
        </div>
        <div className="w-36 space-y-1">
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
        <div className="w-44 space-y-1">
          <label htmlFor="f-service" className={labelClass}>
            Service
          </label>
          <input id="f-service" name="service" defaultValue={filters.service} placeholder="Exact name" className={inputClass} />
        </div>
        <div className="flex gap-2">
          <button type="submit" className={buttonClass("primary")}>
            Apply
          </button>
          {filtered ? (
            <Link href="/incidents" className={buttonClass("secondary")}>
              Clear
            </Link>
          ) : null}
        </div>
      </form>

      {incidents.length === 0 ? (
        <EmptyState>{filtered || cursor ? "No incidents match these filters." : "No incidents yet. They open when Alertmanager or a monitor sends a signal."}</EmptyState>
      ) : (
        <DataTable caption={filtered ? "Incidents matching the filters, newest first" : "Incidents, newest first"}>
          <THead>
            <Th>Title</Th>
            <Th>Service</Th>
            <Th>Severity</Th>
            <Th>Status</Th>
            <Th>Opened</Th>
            <Th>Last signal</Th>
          </THead>
          <TBody>
            {incidents.map((i) => (
              <Tr key={i.id}>
                <Td className="max-w-md">
                  <Link href={`/incidents/${i.id}`} className="font-medium text-indigo-700 hover:underline">
                    {i.title}
                  </Link>
                  {i.groupKey ? <div className="truncate font-mono text-xs text-slate-500">{i.groupKey}</div> : null}
                </Td>
                <Td className="text-xs">{i.service ?? <span className="text-slate-500">—</span>}</Td>
                <Td>
                  <SeverityBadge severity={i.severity} />
                </Td>
                <Td>
                  <StatusBadge status={i.status} />
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
      {cursor || nextCursor ? (
        <nav aria-label="Pagination" className="mt-3 flex gap-2">
          {cursor ? (
            <Link href={href(filters)} className={buttonClass("secondary", "sm")}>
              Newest
            </Link>
          ) : null}
          {nextCursor ? (
            <Link href={href(filters, nextCursor)} className={buttonClass("secondary", "sm")}>
              Older
            </Link>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}
