import Link from "next/link";
import type { listRuns } from "@/lib/orchestrator/list-runs";
import { DataTable, TBody, THead, Td, Th, Tr } from "@/components/data-table";
import { Time } from "@/components/time";
import { RiskBadge, RunStatusBadge } from "./run-badges";

type RunRow = Awaited<ReturnType<typeof listRuns>>[number];

/**
 * Runs, one a row. `forIncident` is the compact table on an incident's page: the incident column would
 * only repeat the page, and the short id and finish time are left to the Runs page.
 */
export function RunsTable({ runs, caption, forIncident = false }: { runs: RunRow[]; caption: string; forIncident?: boolean }) {
  return (
    <DataTable caption={caption}>
      <THead>
        <Th>Playbook</Th>
        <Th>Status</Th>
        <Th>Risk</Th>
        {forIncident ? null : <Th>Incident</Th>}
        <Th>Requested by</Th>
        <Th>Requested</Th>
        {forIncident ? null : <Th>Finished</Th>}
      </THead>
      <TBody>
        {runs.map((r) => (
          <Tr key={r.id}>
            <Td>
              <Link href={`/runs/${r.id}`} className="font-medium text-indigo-700 hover:underline">
                {r.playbookName} <span className="font-normal text-slate-500">v{r.playbookVersion}</span>
              </Link>
              {forIncident ? null : <div className="font-mono text-xs text-slate-500">{r.id.slice(0, 8)}</div>}
            </Td>
            <Td>
              <RunStatusBadge status={r.status} />
            </Td>
            <Td>
              <RiskBadge risk={r.risk} />
            </Td>
            {forIncident ? null : (
              <Td className="max-w-xs truncate">
                {r.incident ? (
                  <Link href={`/incidents/${r.incident.id}`} className="text-indigo-700 hover:underline">
                    {r.incident.title}
                  </Link>
                ) : (
                  <span className="text-slate-500">—</span>
                )}
              </Td>
            )}
            <Td className="text-xs break-all">{r.requestedByLabel}</Td>
            <Td className="text-xs">
              <Time value={r.createdAt} />
            </Td>
            {forIncident ? null : (
              <Td className="text-xs">
                <Time value={r.finishedAt} />
              </Td>
            )}
          </Tr>
        ))}
      </TBody>
    </DataTable>
  );
}
