// The incident's playbook runs, and (for operators) the form to request one: playbooks whose label
// selector matches the incident come first, and params named like an incident label start with its value.
import Link from "next/link";
import type { Actor } from "@/lib/context";
import { can } from "@/lib/authz/assert-can";
import { listRuns } from "@/lib/orchestrator/list-runs";
import { Section } from "@/components/page-header";
import { DataTable, EmptyState, TBody, THead, Td, Th, Tr } from "@/components/data-table";
import { Time } from "@/components/time";
import { RequestRunForm } from "@/app/(app)/runs/_components/request-run-form";
import { RiskBadge, RunStatusBadge } from "@/app/(app)/runs/_components/run-badges";
import { playbookChoices } from "@/app/(app)/runs/_lib/playbook-choices";

export async function IncidentRunsPanel({ actor, incidentId, labels }: { actor: Actor; incidentId: string; labels: Record<string, string> }) {
  const canRequest = can(actor, "runs.request");
  const [runs, choices] = await Promise.all([listRuns({ actor, query: { incidentId, limit: 50 } }), canRequest ? playbookChoices(actor, labels) : Promise.resolve([])]);

  return (
    <>
      {canRequest ? (
        <Section title="Run a playbook" id="run-playbook" description="The run is planned first (dry-run, no side effects), then waits for approval before anything is executed.">
          <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <RequestRunForm playbooks={choices} incidentId={incidentId} prefill={labels} label="Run a playbook" />
          </div>
        </Section>
      ) : null}
      <Section title={`Runs (${runs.length})`} id="runs">
        {runs.length === 0 ? (
          <EmptyState>No playbook runs for this incident.</EmptyState>
        ) : (
          <DataTable caption="Playbook runs for this incident, newest first">
            <THead>
              <Th>Playbook</Th>
              <Th>Status</Th>
              <Th>Risk</Th>
              <Th>Requested by</Th>
              <Th>Requested</Th>
            </THead>
            <TBody>
              {runs.map((r) => (
                <Tr key={r.id}>
                  <Td>
                    <Link href={`/runs/${r.id}`} className="font-medium text-indigo-700 hover:underline">
                      {r.playbookName} <span className="font-normal text-slate-500">v{r.playbookVersion}</span>
                    </Link>
                  </Td>
                  <Td>
                    <RunStatusBadge status={r.status} />
                  </Td>
                  <Td>
                    <RiskBadge risk={r.risk} />
                  </Td>
                  <Td className="text-xs break-all">{r.requestedByLabel}</Td>
                  <Td className="text-xs">
                    <Time value={r.createdAt} />
                  </Td>
                </Tr>
              ))}
            </TBody>
          </DataTable>
        )}
      </Section>
    </>
  );
}
