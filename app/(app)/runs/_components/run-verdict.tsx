// The dry-run's verdict, first thing an approver reads: "Cannot run" with every reason, or that every check passed.
import { Alert } from "@/components/ui/alert";
import type { Verdict } from "@/lib/orchestrator/report";
import { isBroken } from "@/lib/orchestrator/report";

export function RunVerdict({ verdict, className = "" }: { verdict: Verdict; className?: string }) {
  if (verdict.canRun) {
    return (
      <Alert tone="success" className={className}>
        <p data-testid="run-verdict">
          <span className="font-semibold">Can run:</span> secrets, agents, egress and Prometheus were checked and nothing stands in the way.
        </p>
      </Alert>
    );
  }
  const fixable = verdict.reasons.every((r) => !isBroken(r.code));
  return (
    <Alert tone="error" role="alert" className={className}>
      <div data-testid="run-verdict">
        <p className="font-semibold">Cannot run</p>
        <p className="mt-0.5">
          {fixable
            ? "Approving is refused until this is fixed: fix it, then request the run again (an admin may override, stating why)."
            : "The plan itself is broken; no approval or override can make it run. Request a run with other parameters or another playbook version."}
        </p>
        <ul className="mt-1 list-disc space-y-0.5 pl-5" data-testid="verdict-reasons">
          {verdict.reasons.map((r, i) => (
            <li key={i} data-code={r.code}>
              {r.stepId ? <code className="mr-1 rounded bg-red-100 px-1 text-xs">{r.stepId}</code> : null}
              {r.message} <span className="text-xs text-red-700/80">({r.code.replaceAll("_", " ")})</span>
            </li>
          ))}
        </ul>
      </div>
    </Alert>
  );
}
