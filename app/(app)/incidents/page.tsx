import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getSessionActor } from "@/lib/auth/get-actor";
import { listIncidents } from "@/lib/incidents/list-incidents";
import { PageHeader } from "@/components/page-header";
import { DataTable, EmptyState, TBody, THead, Td, Th, Tr } from "@/components/data-table";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Time } from "@/components/time";
import { buttonClass } from "@/components/ui/button";

export const metadata: Metadata = { title: "Incidents" };

const STATUSES = ["open", "acknowledged", "resolved"] as const;
const ZSearch = z.object({
  status: z.enum(STATUSES).optional().catch(undefined),
  cursor: z.string().uuid().optional().catch(undefined),
});

const severityTone: Record<string, BadgeTone> = { critical: "bad", warning: "warn", info: "neutral" };
const statusTone: Record<string, BadgeTone> = { open: "bad", acknowledged: "warn", resolved: "good" };

function href(status?: string, cursor?: string) {
  const p = new URLSearchParams();
  if (status) p.set("status", status);
  if (cursor) p.set("cursor", cursor);
  const q = p.toString();
  return q ? `/incidents?${q}` : "/incidents";
}

export default async function IncidentsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  const { status, cursor } = ZSearch.parse(await searchParams);
  const { incidents, nextCursor } = await listIncidents({ actor, query: { status, cursor } });

  const filters = [{ label: "All", value: undefined }, ...STATUSES.map((s) => ({ label: s[0]!.toUpperCase() + s.slice(1), value: s }))];

  return (
    <>
      <PageHeader title="Incidents" description="Newest first." />
      <nav aria-label="Filter by status" className="mb-3 flex gap-1">
        {filters.map((f) => {
          const active = f.value === status;
          return (
            <Link
              key={f.label}
              href={href(f.value)}
              aria-current={active ? "true" : undefined}
              className={`rounded-md px-2.5 py-1 text-xs font-medium ${active ? "bg-slate-900 text-white" : "bg-white text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50"}`}
            >
              {f.label}
            </Link>
          );
        })}
      </nav>
      {incidents.length === 0 ? (
        <EmptyState>{status || cursor ? "No incidents match this view." : "No incidents yet"}</EmptyState>
      ) : (
        <DataTable caption="Incidents, newest first">
          <THead>
            <Th>Title</Th>
            <Th>Severity</Th>
            <Th>Status</Th>
            <Th>Opened</Th>
            <Th>Resolved</Th>
          </THead>
          <TBody>
            {incidents.map((i) => (
              <Tr key={i.id}>
                <Td className="font-medium text-slate-900">{i.title}</Td>
                <Td>
                  <Badge tone={severityTone[i.severity] ?? "neutral"}>{i.severity}</Badge>
                </Td>
                <Td>
                  <Badge tone={statusTone[i.status] ?? "neutral"}>{i.status}</Badge>
                </Td>
                <Td>
                  <Time value={i.openedAt} />
                </Td>
                <Td>
                  <Time value={i.resolvedAt} />
                </Td>
              </Tr>
            ))}
          </TBody>
        </DataTable>
      )}
      {cursor || nextCursor ? (
        <nav aria-label="Pagination" className="mt-3 flex gap-2">
          {cursor ? (
            <Link href={href(status)} className={buttonClass("secondary", "sm")}>
              Newest
            </Link>
          ) : null}
          {nextCursor ? (
            <Link href={href(status, nextCursor)} className={buttonClass("secondary", "sm")}>
              Older
            </Link>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}
