import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getSessionActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/assert-can";
import { listRuns } from "@/lib/orchestrator/list-runs";
import { RUN_STATUSES } from "@/lib/orchestrator/policy";
import { PageHeader } from "@/components/page-header";
import { EmptyState } from "@/components/data-table";
import { buttonClass } from "@/components/ui/button";
import { labelClass, selectClass } from "@/components/ui/field";
import { statusText } from "./_components/run-badges";
import { RunsTable } from "./_components/runs-table";

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
        <RunsTable runs={runs} caption={status ? `Runs that are ${statusText(status)}, newest first` : "Runs, newest first"} />
      )}
    </>
  );
}
