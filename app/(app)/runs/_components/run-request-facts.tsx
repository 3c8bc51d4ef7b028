// Shared by the run page (live, client-side) and the approvals inbox (server-side), so it takes the
// run as either a database row or its JSON form.
import Link from "next/link";
import type { ReactNode } from "react";
import { Fact } from "@/components/ui/fact";
import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/time";

type RunRequest = {
  requestedByLabel: string;
  createdAt: Date | string;
  incident: { id: string; title: string } | null;
  requiredApprovals: number;
  approvals: { decision: string }[];
};

/** Who requested the run and when, the incident it is for, and how many of the approvals it needs it has. */
export function RunRequestFacts({ run, mine = false, approvalsDetail }: { run: RunRequest; mine?: boolean; approvalsDetail?: ReactNode }) {
  const approved = run.approvals.filter((a) => a.decision === "approved").length;
  return (
    <>
      <Fact label="Requested by">
        <span className="break-all">{run.requestedByLabel}</span>
        {mine ? <Badge className="ml-1">You</Badge> : null}
        <div className="text-xs text-slate-600">
          <Time value={run.createdAt} />
        </div>
      </Fact>
      <Fact label="Incident">
        {run.incident ? (
          <Link href={`/incidents/${run.incident.id}`} className="text-indigo-700 hover:underline">
            {run.incident.title}
          </Link>
        ) : (
          <span className="text-slate-500">None</span>
        )}
      </Fact>
      <Fact label="Approvals">
        <span data-testid="approval-count">
          {approved} of {run.requiredApprovals}
        </span>
        {approvalsDetail}
      </Fact>
    </>
  );
}
