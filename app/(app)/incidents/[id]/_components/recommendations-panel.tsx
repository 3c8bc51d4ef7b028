// What most likely went wrong and which playbook to run for it: the diagnosis of lib/recommend first (the
// leading hypothesis with its evidence), then the top playbooks as ranked, each with its justification in
// plain words, the factors behind its score folded away, and (for operators) a request that never dead-ends:
// one click when the incident filled every param, a short form for the ones it could not, and the reasons
// instead of a button when the playbook cannot run here. A ranking problem only replaces this panel with its
// message.
import Link from "next/link";
import type { Actor } from "@/lib/context";
import { can } from "@/lib/authz/assert-can";
import { AppError } from "@/lib/errors";
import { rankPlaybooks } from "@/lib/recommend/rank-playbooks";
import type { Readiness } from "@/lib/recommend/readiness";
import { Section } from "@/components/page-header";
import { EmptyState } from "@/components/data-table";
import { Alert } from "@/components/ui/alert";
import { RiskBadge } from "@/app/(app)/runs/_components/run-badges";
import { RecommendRunButton } from "./recommend-run-button";
import { DiagnosisSummary } from "./diagnosis-summary";
import { RecommendationFactors } from "./recommendation-factors";

const LIMIT = 3;
const DESCRIPTION = "What most likely went wrong, read from the alerts, recent changes and notes on similar incidents, then the playbooks most likely to help, best first.";

async function load(actor: Actor, id: string) {
  try {
    return { data: await rankPlaybooks({ actor, incidentId: id, limit: LIMIT }), error: null };
  } catch (err) {
    console.error(JSON.stringify({ level: "error", msg: "recommendations failed", incidentId: id, error: String((err as Error)?.stack ?? err) }));
    const message = err instanceof Error && err.message ? err.message : String(err);
    return { data: null, error: err instanceof AppError ? message : message.slice(0, 300) };
  }
}

/** Why a playbook cannot be requested here as things stand (no agent, a secret not granted, no Prometheus). */
function CannotRun({ problems }: { problems: Readiness["problems"] }) {
  return (
    <div className="max-w-3xl rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="recommendation-cannot-run">
      <p className="font-medium">Cannot run here:</p>
      <ul className="mt-1 list-disc space-y-0.5 pl-5">
        {problems.map((p) => (
          <li key={p} className="break-words">
            {p}
          </li>
        ))}
      </ul>
    </div>
  );
}

export async function RecommendationsPanel({ actor, incidentId }: { actor: Actor; incidentId: string }) {
  const { data, error } = await load(actor, incidentId);
  const items = data?.items ?? [];
  const canRequest = can(actor, "runs.request");

  return (
    <Section title="Recommended playbooks" id="recommendations" description={DESCRIPTION}>
      <div data-testid="recommendations">
        {error !== null ? (
          <Alert tone="error">
            <span data-testid="recommendations-error">Recommendations are unavailable: {error}</span>
          </Alert>
        ) : (
          <>
            {data && data.warnings.length > 0 ? (
              <Alert tone="info" className="mb-2">
                <ul className="list-disc pl-4" data-testid="recommendations-warnings">
                  {data.warnings.map((w) => (
                    <li key={w}>{w}</li>
                  ))}
                </ul>
              </Alert>
            ) : null}
            {data ? <DiagnosisSummary items={data.diagnosis} /> : null}
            {items.length === 0 ? (
              <EmptyState>No playbooks in the catalog to recommend.</EmptyState>
            ) : (
              <ol className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white shadow-sm" aria-label="Playbooks, best first">
                {items.map((item) => {
                  const pct = Math.round(item.score * 100);
                  const params = Object.fromEntries(Object.entries(item.suggestedParams).map(([k, v]) => [k, String(v)]));
                  const paramList = Object.entries(params);
                  const { canRun, problems, missingParams } = item.readiness;
                  return (
                    <li key={item.playbook.name} className="space-y-2 p-4" data-testid="recommendation" data-playbook={item.playbook.name} data-rank={item.rank}>
                      <div className="flex flex-wrap items-center gap-2">
                        <span className="inline-flex size-6 shrink-0 items-center justify-center rounded-full bg-indigo-50 text-xs font-semibold text-indigo-700" data-testid="recommendation-rank" aria-label={`Rank ${item.rank}`}>
                          {item.rank}
                        </span>
                        <Link href={`/playbooks/${encodeURIComponent(item.playbook.name)}`} className="font-medium break-all text-indigo-700 hover:underline" data-testid="recommendation-name">
                          {item.playbook.name}
                        </Link>
                        <span className="text-xs text-slate-500">v{item.playbook.version}</span>
                        <RiskBadge risk={item.playbook.risk} />
                        <span className="text-sm font-semibold text-slate-800 tabular-nums" data-testid="recommendation-score" title={`score ${item.score}`}>
                          {pct}%
                        </span>
                      </div>
                      <p className="max-w-4xl text-sm break-words text-slate-700" data-testid="recommendation-justification">
                        {item.justification}
                      </p>
                      {paramList.length ? (
                        <p className="text-xs break-words text-slate-500">
                          Suggested params:{" "}
                          {paramList.map(([k, v]) => (
                            <code key={k} className="mr-1 rounded bg-slate-100 px-1 font-mono break-all text-slate-700">
                              {k}={v}
                            </code>
                          ))}
                        </p>
                      ) : null}
                      {!canRun ? (
                        <CannotRun problems={problems} />
                      ) : canRequest ? (
                        <RecommendRunButton playbook={item.playbook.name} incidentId={incidentId} params={params} missing={missingParams} />
                      ) : null}
                      <RecommendationFactors playbook={item.playbook.name} factors={item.factors} />
                    </li>
                  );
                })}
              </ol>
            )}
            {data ? (
              <p className="mt-1 text-xs text-slate-500">
                {data.considered.playbooks} playbooks considered, informed by {data.considered.similarIncidents} similar past incidents.
              </p>
            ) : null}
          </>
        )}
      </div>
    </Section>
  );
}
