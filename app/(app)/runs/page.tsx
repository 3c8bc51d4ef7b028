import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getSessionActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/assert-can";
import { listRuns } from "@/lib/orchestrator/list-runs";
import { RUN_STATUSES } from "@/lib/orchestrator/policy";
import { PageHeader } from "@/components/page-header";
import { DataTable, EmptyState, TBody, THead, Td, Th, Tr } from "@/components/data-table";
import { Time } from "@/components/time";
import { buttonClass } from "@/components/ui/button";
import { labelClass, selectClass } from "@/components/ui/field";
import { RiskBadge, RunStatusBadge, statusText } from "./_components/run-badges";

export const metadata: Metadata = { title: "Runs" };

const ZSearch = z.object({ status: z.enum(RUN_STATUSES).optional().catch(undefined) });

export default async function RunsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  const { status } = ZSearch.parse(await searchParams);
  const runs = await listRuns({ actor, query: { status, limit: 100 } });

  return (
    <>
      <PageHeader
        title="Runs"
        description="Playbook runs, newest first: who asked for them, where they are in suggest → dry-run → approval → execution, and how they ended."
        actions={
          can(actor, "runs.request") ? (
            <Link href="/runs/new" className={buttonClass("primary")}>
              Request a run
            </Link>
          ) : null
        }
      />
      <form method="get" action="/runs" role="search" aria-label="Filter runs" className="mb-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3 shadow-sm">
        <div className="w-52 space-y-1">
          <label htmlFor="f-status" className={labelClass}>
            Status
          </label>
          <select id="f-status" name="status" defaultValue={status ?? ""} className={selectClass}>
            <option value="">Any</option>
            {RUN_STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusText(s)}
              </option>
            ))}
          </select>
        </div>
        <div className="flex gap-2">
          <button type="submit" className={buttonClass("primary")}>
            Apply
          </button>
          {status ? (
            <Link href="/runs" className={buttonClass("secondary")}>
              Clear
            </Link>
          ) : null}
        </div>
      </form>

      {runs.length === 0 ? (
        <EmptyState>{status ? `No runs are ${statusText(status)}.` : "No runs yet. Request one from an incident or from a playbook's page."}</EmptyState>
      ) : (
        <DataTable caption={status ? `Runs that are ${statusText(status)}, newest first` : "Runs, newest first"}>
          <THead>
            <Th>Playbook</Th>
            <Th>Status</Th>
            <Th>Risk</Th>
            <Th>Incident</Th>
            <Th>Requested by</Th>
            <Th>Requested</Th>
            <Th>Finished</Th>
          </THead>
          <TBody>
            {runs.map((r) => (
              <Tr key={r.id}>
                <Td>
                  <Link href={`/runs/${r.id}`} className="font-medium text-indigo-700 hover:underline">
                    {r.playbookName} <span className="font-normal text-slate-500">v{r.playbookVersion}</span>
                  </Link>
                  <div className="font-mono text-xs text-slate-500">{r.id.slice(0, 8)}</div>
                </Td>
                <Td>
                  <RunStatusBadge status={r.status} />
                </Td>
                <Td>
                  <RiskBadge risk={r.risk} />
                </Td>
                <Td className="max-w-xs truncate">
                  {r.incident ? (
                    <Link href={`/incidents/${r.incident.id}`} className="text-indigo-700 hover:underline">
                      {r.incident.title}
                    </Link>
                  ) : (
                    <span className="text-slate-500">—</span>
                  )}
                </Td>
                <Td className="text-xs break-all">{r.requestedByLabel}</Td>
                <Td className="text-xs">
                  <Time value={r.createdAt} />
                </Td>
                <Td className="text-xs">
                  <Time value={r.finishedAt} />
                </Td>
              </Tr>
            ))}
          </TBody>
        </DataTable>
      )}
    </>
  );
}
