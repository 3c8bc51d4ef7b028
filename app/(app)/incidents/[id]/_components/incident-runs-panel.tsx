// The incident's playbook runs, and (for operators) the form to request one: playbooks whose label
// selector matches the incident come first, and params named like an incident label start with its value.
import Link from "next/link";
import type { Actor } from "@/lib/context";
import { can } from "@/lib/authz/assert-can";
import { listRuns } from "@/lib/orchestrator/list-runs";
import { Section } from "@/components/page-header";
import { EmptyState } from "@/components/data-table";
import { RequestRunForm } from "@/app/(app)/runs/_components/request-run-form";
import { RunsTable } from "@/app/(app)/runs/_components/runs-table";
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
      <Section
        title={`Runs (${runs.length})`}
        id="runs"
        description={
          <Link href={`/audit?target=${encodeURIComponent(`incident:${incidentId}`)}`} className="text-indigo-700 hover:underline">
            Audit events of this incident
          </Link>
        }
      >
        {runs.length === 0 ? (
          <EmptyState>No playbook runs for this incident.</EmptyState>
        ) : (
          <RunsTable runs={runs} caption="Playbook runs for this incident, newest first" forIncident />
        )}
      </Section>
    </>
  );
}
