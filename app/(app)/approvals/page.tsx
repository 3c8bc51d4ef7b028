import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getSessionActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/assert-can";
import { principalOf } from "@/lib/context";
import { listAwaitingApproval } from "@/lib/orchestrator/list-runs";
import { PageHeader } from "@/components/page-header";
import { EmptyState } from "@/components/data-table";
import { Time } from "@/components/time";
import { Fact } from "@/components/ui/fact";
import { RiskBadge } from "../runs/_components/run-badges";
import { VerificationStatus } from "../runs/_components/verification-status";
import { RunRequestFacts } from "../runs/_components/run-request-facts";
import { DryRunReport } from "../runs/_components/dry-run-report";
import { asReport } from "@/lib/orchestrator/report";
import { asVerification, timeLeft } from "../runs/_lib/run-types";
import { DecisionForm } from "./_components/decision-form";

export const metadata: Metadata = { title: "Approvals" };

export default async function ApprovalsPage() {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  const canDecide = can(actor, "runs.approve");
  const canOverride = can(actor, "runs.override");
  const me = principalOf(actor);
  const runs = await listAwaitingApproval({ actor });
  const now = Date.now();

  return (
    <>
      <PageHeader
        title="Approvals"
        description={
          canDecide
            ? "Runs waiting for a decision, oldest request last. Read the dry-run report: it is exactly what the run will do."
            : "Runs waiting for a decision. You can follow them here; approving or rejecting needs the approver role."
        }
      />
      {runs.length === 0 ? (
        <EmptyState>No runs are waiting for approval.</EmptyState>
      ) : (
        <ul className="space-y-6">
          {runs.map((run) => {
            const approved = run.approvals.filter((a) => a.decision === "approved");
            const mine = run.requestedById === me;
            const alreadyApproved = run.approvals.some((a) => a.userId === me);
            const note =
              mine && !run.policy.requesterMayApprove
                ? `You requested this run: ${run.risk}-risk runs must be approved by someone other than the requester.`
                : alreadyApproved
                  ? "You already approved this run; it needs another approver."
                  : undefined;
            const headingId = `run-${run.id}-title`;
            const params = Object.entries((run.params ?? {}) as Record<string, unknown>);
            const report = asReport(run.dryRunReport);
            return (
              <li key={run.id}>
                <article aria-labelledby={headingId} data-testid={`approval-${run.id}`} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
                  <header className="flex flex-wrap items-center gap-2">
                    <h2 id={headingId} className="text-base font-semibold text-slate-900">
                      <Link href={`/runs/${run.id}`} className="hover:underline">
                        {run.playbookName} <span className="font-normal text-slate-600">v{run.playbookVersion.version}</span>
                      </Link>
                    </h2>
                    <RiskBadge risk={run.risk} />
                    <span className="font-mono text-xs text-slate-500">{run.id.slice(0, 8)}</span>
                  </header>
                  <dl className="mt-3 grid grid-cols-[repeat(auto-fill,minmax(13rem,1fr))] gap-x-6 gap-y-3">
                    <RunRequestFacts
                      run={run}
                      approvalsDetail={approved.length ? <div className="text-xs break-all text-slate-600">by {approved.map((a) => a.userLabel).join(", ")}</div> : null}
                    />
                    <Fact label="Expires">
                      <Time value={run.approvalExpiresAt} fallback="no deadline" />
                      {run.approvalExpiresAt ? <div className="text-xs text-slate-600">{timeLeft(run.approvalExpiresAt, now)}</div> : null}
                    </Fact>
                    <Fact label="Signature">
                      <VerificationStatus v={asVerification(run.verification)} />
                    </Fact>
                    <Fact label="Parameters">
                      {params.length ? (
                        <span className="flex flex-wrap gap-1">
                          {params.map(([k, v]) => (
                            <code key={k} className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">
                              {k}={typeof v === "string" ? v : JSON.stringify(v)}
                            </code>
                          ))}
                        </span>
                      ) : (
                        <span className="text-slate-500">None</span>
                      )}
                    </Fact>
                    {run.reason ? (
                      <Fact label="Reason" wide>
                        {run.reason}
                      </Fact>
                    ) : null}
                  </dl>
                  <h3 className="mt-4 mb-2 text-sm font-semibold text-slate-900">Dry-run report</h3>
                  <DryRunReport report={report} />
                  <div className="mt-4 border-t border-slate-200 pt-3">
                    {canDecide ? (
                      <DecisionForm id={run.id} label={`${run.playbookName} run ${run.id.slice(0, 8)}`} note={note} cannotRun={report?.verdict.canRun === false} canOverride={canOverride} />
                    ) : (
                      <p className="text-sm text-slate-600">Read-only: approving or rejecting needs the approver role.</p>
                    )}
                  </div>
                </article>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
