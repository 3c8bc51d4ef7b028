"use client";

import Link from "next/link";
import { useApiQuery } from "../../../_lib/api-client";
import { TERMINAL, canRequestAgain, canTransition, type RunStatus } from "@/lib/orchestrator/policy";
import { asReport } from "@/lib/orchestrator/report";
import { PageHeader, Section } from "@/components/page-header";
import { DataTable, EmptyState, TBody, THead, Td, Th } from "@/components/data-table";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Fact } from "@/components/ui/fact";
import { Time } from "@/components/time";
import { buttonClass } from "@/components/ui/button";
import { asVerification, timeLeft, type RunDetail } from "../../_lib/run-types";
import { RiskBadge, RunStatusBadge, StepStatusBadge } from "../../_components/run-badges";
import { VerificationStatus } from "../../_components/verification-status";
import { RunRequestFacts } from "../../_components/run-request-facts";
import { DryRunReport } from "../../_components/dry-run-report";
import { JsonBlock } from "../../_components/json-block";
import { RunVerdict } from "../../_components/run-verdict";
import { StepOutput } from "../../_components/step-output";
import { CancelRunForm, DryRunAgainForm, RequestAgainForm } from "./run-controls";
import { OutcomeNote } from "./outcome-note";

const POLL_MS = 1000;

const isTerminal = (status: RunStatus) => TERMINAL.has(status);

/**
 * The run page body. Starts from the server-rendered run and polls GET /api/v1/runs/:id every second
 * while the run is not in a final state, so status, steps and outputs move without a reload.
 */
export function RunLive({
  initial,
  me,
  canCancel,
  canDryRun,
  canApprove,
  canNote,
  canRequest,
}: {
  initial: RunDetail;
  me: string;
  canCancel: boolean;
  canDryRun: boolean;
  canApprove: boolean;
  canNote: boolean;
  canRequest: boolean;
}) {
  const { data: run, error } = useApiQuery<RunDetail>(["run", initial.id], `/api/v1/runs/${initial.id}`, {
    initial,
    refetchOnMount: false,
    pollMs: POLL_MS,
    poll: (latest) => !isTerminal(latest.status),
  });
  const terminal = isTerminal(run.status);
  const report = asReport(run.dryRunReport);
  const verification = asVerification(run.verification);
  const planNames = new Map(report?.steps.map((s) => [s.stepId, s.name]) ?? []);
  const mine = run.requestedById === me;
  const selfApprovalBlocked = mine && !run.policy.requesterMayApprove;
  // What the buttons offer is what lib/orchestrator/policy.ts allows from this status.
  const mayApprove = canApprove && canTransition(run.status, "approved");
  const mayDryRun = canDryRun && canTransition(run.status, "dry_run") && run.status !== "dry_run";
  const mayCancel = canCancel && canTransition(run.status, "cancelled") && !run.cancelRequestedAt;
  const mayRequestAgain = canRequest && canRequestAgain(run);

  return (
    <>
      <PageHeader
        title={`Run of ${run.playbookName}`}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <RunStatusBadge status={run.status} testId="run-status" />
            <RiskBadge risk={run.risk} />
            <span className="text-slate-600">
              version {run.playbookVersion.version} · <code className="text-xs" title={run.playbookVersion.digest}>{run.playbookVersion.digest.slice(0, 12)}</code>
            </span>
            <span role="status" className="text-xs text-slate-500" data-testid="live-state">
              {error ? (
                <span className="text-red-700">Live updates failed ({error.message}); retrying.</span>
              ) : terminal ? (
                "Final state."
              ) : (
                <>
                  <span aria-hidden="true" className="mr-1 inline-block size-2 animate-pulse rounded-full bg-indigo-500" />
                  Updating live
                </>
              )}
            </span>
          </span>
        }
      />

      <dl className="mb-6 grid grid-cols-[repeat(auto-fill,minmax(13rem,1fr))] gap-x-6 gap-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <Fact label="Playbook">
          <Link href={`/playbooks/${encodeURIComponent(run.playbookName)}`} className="font-medium text-indigo-700 hover:underline">
            {run.playbookName}
          </Link>{" "}
          <span className="text-slate-600">v{run.playbookVersion.version}</span>
        </Fact>
        <RunRequestFacts
          run={run}
          mine={mine}
          approvalsDetail={<span className="text-xs text-slate-600"> {run.policy.requesterMayApprove ? "(the requester may approve)" : "(not by the requester)"}</span>}
        />
        {run.approvalExpiresAt && run.status === "awaiting_approval" ? (
          <Fact label="Approval window">
            <Time value={run.approvalExpiresAt} />
            <div className="text-xs text-slate-600">{timeLeft(run.approvalExpiresAt)}</div>
          </Fact>
        ) : null}
        <Fact label="Started / finished">
          <Time value={run.startedAt} fallback="not started" />
          <div>
            <Time value={run.finishedAt} fallback={terminal ? "—" : "not finished"} />
          </div>
        </Fact>
        <Fact label="Signature" wide>
          <VerificationStatus v={verification} testId="run-verification" />
        </Fact>
        {run.reason ? (
          <Fact label="Reason" wide>
            {run.reason}
          </Fact>
        ) : null}
        <Fact label="History" wide>
          <span className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
            <Link href={`/audit?target=${encodeURIComponent(`run:${run.id}`)}`} className="text-indigo-700 hover:underline" data-testid="run-audit-link">
              Audit events of this run
            </Link>
            {run.incident ? (
              <Link href={`/audit?target=${encodeURIComponent(`incident:${run.incident.id}`)}`} className="text-indigo-700 hover:underline">
                Audit events of its incident
              </Link>
            ) : null}
            {run.previousRun ? (
              <Link href={`/runs/${run.previousRun.id}`} className="text-indigo-700 hover:underline" data-testid="previous-run-link">
                Requested again from run {run.previousRun.id.slice(0, 8)} ({run.previousRun.status.replaceAll("_", " ")})
              </Link>
            ) : null}
            {run.nextRuns.map((n) => (
              <Link key={n.id} href={`/runs/${n.id}`} className="text-indigo-700 hover:underline" data-testid="next-run-link">
                Requested again as run {n.id.slice(0, 8)} ({n.status.replaceAll("_", " ")})
              </Link>
            ))}
          </span>
        </Fact>
      </dl>
      {report && run.status !== "dry_run" ? <RunVerdict verdict={report.verdict} className="mb-4" /> : null}

      {run.error ? (
        <Alert tone="error" className="mb-4">
          <span data-testid="run-error">{run.error}</span>
        </Alert>
      ) : null}
      {run.cancelRequestedAt && !terminal ? (
        <Alert tone="info" className="mb-4">
          Cancellation requested at <Time value={run.cancelRequestedAt} />: the run stops after its current step.
        </Alert>
      ) : null}

      {mayApprove || mayDryRun || mayCancel || mayRequestAgain ? (
        <div className="mb-6 flex flex-wrap items-start gap-6 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
          {mayApprove ? (
            <div className="space-y-1">
              <Link href="/approvals" className={buttonClass("primary")}>
                Review in Approvals
              </Link>
              {selfApprovalBlocked ? <p className="text-xs text-slate-600">You requested this run; {run.risk}-risk runs need someone else&apos;s approval.</p> : null}
            </div>
          ) : null}
          {mayRequestAgain ? <RequestAgainForm id={run.id} supersedes={!terminal} /> : null}
          {mayDryRun ? <DryRunAgainForm id={run.id} /> : null}
          {mayCancel ? <CancelRunForm id={run.id} executing={run.status === "executing"} /> : null}
        </div>
      ) : null}

      {terminal || run.outcomeNote ? (
        <Section title="Outcome note" id="outcome" description={canNote ? "Once a run has finished, say how it went: the recommender learns from it for similar incidents." : undefined}>
          <OutcomeNote id={run.id} note={run} canWrite={canNote && terminal} />
        </Section>
      ) : null}

      <Section title="Steps" id="steps" description={terminal ? undefined : "Status, attempts and output update as the worker executes each step."}>
        {run.steps.length === 0 ? (
          <EmptyState>No steps.</EmptyState>
        ) : (
          <DataTable caption="Steps of this run, in order">
            <THead>
              <Th className="text-right">#</Th>
              <Th>Step</Th>
              <Th>Status</Th>
              <Th className="text-right">Attempts</Th>
              <Th>Started / finished</Th>
              <Th>Output / error</Th>
            </THead>
            <TBody>
              {run.steps.map((s) => (
                <tr key={s.id} data-testid={`step-${s.stepId}`} className="align-top hover:bg-slate-50/70">
                  <Td className="text-right text-xs text-slate-500 tabular-nums">{s.idx + 1}</Td>
                  <Td>
                    <div className="font-medium text-slate-900">{planNames.get(s.stepId) ?? s.stepId}</div>
                    <div className="flex items-center gap-1.5 text-xs text-slate-600">
                      <code>{s.stepId}</code>
                      <Badge tone="accent">{s.action}</Badge>
                    </div>
                  </Td>
                  <Td>
                    <StepStatusBadge status={s.status} testId="step-status" />
                  </Td>
                  <Td className="text-right tabular-nums">{s.attempts}</Td>
                  <Td className="text-xs">
                    <Time value={s.startedAt} />
                    <div>
                      <Time value={s.finishedAt} />
                    </div>
                  </Td>
                  <Td className="max-w-xl min-w-64">
                    {s.error ? (
                      <p className="mb-1 text-sm break-words text-red-800" data-testid="step-error">
                        {s.error}
                      </p>
                    ) : null}
                    {s.output != null ? <StepOutput output={s.output} action={s.action} status={s.status} stepId={s.stepId} /> : s.error ? null : <span className="text-slate-500">—</span>}
                  </Td>
                </tr>
              ))}
            </TBody>
          </DataTable>
        )}
      </Section>

      <Section title="Parameters" id="params">
        {Object.keys((run.params ?? {}) as object).length === 0 ? <p className="text-sm text-slate-600">None.</p> : <JsonBlock value={run.params} label="Run parameters" />}
      </Section>

      <Section title="Approvals" id="approvals">
        {run.approvals.length === 0 ? (
          <p className="text-sm text-slate-600">No decisions yet.</p>
        ) : (
          <ul className="space-y-2" data-testid="approvals">
            {run.approvals.map((a) => (
              <li key={a.id} className="rounded-md border border-slate-200 bg-white p-3 text-sm">
                <div className="flex flex-wrap items-center gap-2">
                  <Badge tone={a.decision === "approved" ? "good" : "bad"}>{a.decision}</Badge>
                  <span className="font-medium break-all">{a.userLabel}</span>
                  <span className="text-xs text-slate-600">
                    <Time value={a.createdAt} />
                  </span>
                </div>
                {a.comment ? <p className="mt-1 text-slate-800">“{a.comment}”</p> : null}
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section title="Dry-run report" id="dry-run" description="What each step would do, rendered with secrets as placeholders. This is what approvers decide on.">
        {run.status === "dry_run" ? <p className="text-sm text-slate-600">Planning… the report appears here when the worker has rendered every step.</p> : <DryRunReport report={report} showVerdict={false} />}
      </Section>
    </>
  );
}
