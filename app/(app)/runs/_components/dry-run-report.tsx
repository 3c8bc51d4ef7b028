// The dry-run report exactly as stored on the run: its verdict (can it run, and if not why), what each
// step would do, whether it will run, whether it is safe to repeat, the secrets it reads (by name only),
// the hosts it connects to with the egress policy's verdict, and any problem found while planning.
import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/time";
import type { DryRunReport as Report } from "@/lib/orchestrator/report";
import { JsonBlock } from "./json-block";
import { VerificationStatus } from "./verification-status";
import { RunVerdict } from "./run-verdict";

function yesNo(v: boolean | null, unknown: string) {
  if (v === null) return <span className="text-slate-600">{unknown}</span>;
  return v ? <span>yes</span> : <span className="font-medium text-amber-800">no</span>;
}

function formatMs(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000}m` : ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** `showVerdict` false where the page shows the verdict elsewhere (the run page, at its top). */
export function DryRunReport({ report, testId = "dry-run-report", showVerdict = true }: { report: Report | null; testId?: string; showVerdict?: boolean }) {
  if (!report) return <p className="text-sm text-slate-600">No dry-run report yet.</p>;
  const { verdict } = report;
  return (
    <div className="space-y-3" data-testid={testId}>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-slate-700">
        <span>
          Planned <Time value={report.generatedAt} />
        </span>
        <span className="flex items-center gap-1.5">
          Signature: <VerificationStatus v={report.verification} />
        </span>
      </div>
      {showVerdict ? <RunVerdict verdict={verdict} /> : null}
      <ol className="space-y-2">
        {report.steps.map((s, i) => {
          const blocking = verdict.reasons.filter((r) => r.stepId === s.stepId);
          return (
          <li key={s.stepId} className="rounded-md border border-slate-200 bg-white p-3" data-testid={`plan-${s.stepId}`}>
            <div className="flex flex-wrap items-baseline gap-x-2 gap-y-1">
              <span className="text-xs text-slate-500 tabular-nums">{i + 1}.</span>
              <span className="font-medium text-slate-900">{s.name ?? s.stepId}</span>
              <code className="rounded bg-slate-100 px-1 text-xs text-slate-700">{s.stepId}</code>
              <Badge tone="accent">{s.action}</Badge>
              {s.error ? <Badge tone="bad">error</Badge> : blocking.length ? <Badge tone="bad">cannot run</Badge> : null}
            </div>
            {s.plan ? <p className="mt-1 font-mono text-sm break-all text-slate-800">{s.plan.summary}</p> : null}
            {s.error ? (
              <p className="mt-1 text-sm text-red-800" role="note">
                Error: {s.error}
              </p>
            ) : null}
            {!s.error && blocking.length ? (
              <ul className="mt-1 text-sm text-red-800" data-testid={`blocking-${s.stepId}`}>
                {blocking.map((r, j) => (
                  <li key={j}>Cannot run: {r.message}</li>
                ))}
              </ul>
            ) : null}
            <dl className="mt-2 grid grid-cols-[repeat(auto-fill,minmax(9rem,1fr))] gap-x-4 gap-y-1 text-xs">
              <div>
                <dt className="text-slate-500">Will run</dt>
                {/* Never "yes" for a run that cannot run. */}
                <dd>{verdict.canRun ? yesNo(s.willRun, "depends on earlier steps") : <span className="font-medium text-red-800">no: the run cannot run</span>}</dd>
              </div>
              <div>
                <dt className="text-slate-500">Idempotent</dt>
                <dd>{yesNo(s.idempotent, "unknown")}</dd>
              </div>
              <div>
                <dt className="text-slate-500">Timeout / retries</dt>
                <dd>
                  {formatMs(s.timeoutMs)} / {s.retries}
                </dd>
              </div>
              <div>
                <dt className="text-slate-500">Secrets used</dt>
                <dd className="font-mono">{s.secrets.length ? s.secrets.join(", ") : <span className="font-sans text-slate-600">none</span>}</dd>
              </div>
              {(s.egress ?? []).length ? (
                <div className="col-span-2" data-testid={`egress-${s.stepId}`}>
                  <dt className="text-slate-500">Connects to (egress policy)</dt>
                  <dd>
                    {(s.egress ?? []).map((d, j) => (
                      <span key={j} className="mr-2 inline-flex items-center gap-1" title={d.reason}>
                        <span className="font-mono">{d.host ?? "(from a secret)"}</span>
                        <Badge tone={d.allowed === false ? "bad" : d.allowed ? "good" : "warn"}>{d.allowed === false ? "denied" : d.allowed ? "allowed" : "checked at run time"}</Badge>
                      </span>
                    ))}
                  </dd>
                </div>
              ) : null}
              {s.when ? (
                <div className="col-span-2">
                  <dt className="text-slate-500">Only when</dt>
                  <dd className="font-mono">{s.when}</dd>
                </div>
              ) : null}
            </dl>
            {s.plan?.details ? (
              <details className="mt-2">
                <summary className="cursor-pointer text-xs font-medium text-indigo-700">Details of step {s.stepId}</summary>
                <div className="mt-1">
                  <JsonBlock value={s.plan.details} />
                </div>
              </details>
            ) : null}
          </li>
          );
        })}
      </ol>
    </div>
  );
}
