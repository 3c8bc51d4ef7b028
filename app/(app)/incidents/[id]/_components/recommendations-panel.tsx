// "Which playbook should I run?": the top playbooks for this incident as ranked by lib/recommend, each with
// the factors behind its score and (for operators) a button that requests a run with the suggested params.
// A ranking problem only replaces this panel with its message.
import Link from "next/link";
import type { Actor } from "@/lib/context";
import { can } from "@/lib/authz/assert-can";
import { AppError } from "@/lib/errors";
import { rankPlaybooks } from "@/lib/recommend/rank-playbooks";
import { Section } from "@/components/page-header";
import { EmptyState } from "@/components/data-table";
import { Alert } from "@/components/ui/alert";
import { RiskBadge } from "@/app/(app)/runs/_components/run-badges";
import { RecommendRunButton } from "./recommend-run-button";

const LIMIT = 3;
const DESCRIPTION = "The playbooks most likely to help, best first, scored from their selectors, what worked on similar past incidents, their text, risk and track record.";

async function load(actor: Actor, id: string) {
  try {
    return { data: await rankPlaybooks({ actor, incidentId: id, limit: LIMIT }), error: null };
  } catch (err) {
    console.error(JSON.stringify({ level: "error", msg: "recommendations failed", incidentId: id, error: String((err as Error)?.stack ?? err) }));
    const message = err instanceof Error && err.message ? err.message : String(err);
    return { data: null, error: err instanceof AppError ? message : message.slice(0, 300) };
  }
}

const num = (v: number, digits: number) => (Object.is(v, -0) ? 0 : v).toFixed(digits);
const signed = (v: number, digits: number) => (v > 0 ? "+" : "") + num(v, digits);

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
            {items.length === 0 ? (
              <EmptyState>No playbooks in the catalog to recommend.</EmptyState>
            ) : (
              <ol className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white shadow-sm">
                {items.map((item) => {
                  const pct = Math.round(item.score * 100);
                  const params = Object.fromEntries(Object.entries(item.suggestedParams).map(([k, v]) => [k, String(v)]));
                  const paramList = Object.entries(params);
                  return (
                    <li key={item.playbook.name} className="p-4" data-testid="recommendation" data-playbook={item.playbook.name} data-rank={item.rank}>
                      <div className="flex flex-wrap items-start justify-between gap-3">
                        <div className="min-w-0 space-y-1">
                          <div className="flex flex-wrap items-center gap-2">
                            <span className="inline-flex size-6 items-center justify-center rounded-full bg-indigo-50 text-xs font-semibold text-indigo-700" data-testid="recommendation-rank" aria-label={`Rank ${item.rank}`}>
                              {item.rank}
                            </span>
                            <Link href={`/playbooks/${encodeURIComponent(item.playbook.name)}`} className="font-medium text-indigo-700 hover:underline" data-testid="recommendation-name">
                              {item.playbook.name}
                            </Link>
                            <span className="text-xs text-slate-500">v{item.playbook.version}</span>
                            <RiskBadge risk={item.playbook.risk} />
                            <span className="text-sm font-semibold text-slate-800 tabular-nums" data-testid="recommendation-score" title={`score ${item.score}`}>
                              {pct}%
                            </span>
                          </div>
                          <p className="text-sm text-slate-700" data-testid="recommendation-justification">
                            {item.justification}
                          </p>
                          {paramList.length ? (
                            <p className="text-xs text-slate-500">
                              Suggested params:{" "}
                              {paramList.map(([k, v]) => (
                                <code key={k} className="mr-1 rounded bg-slate-100 px-1 font-mono text-slate-700">
                                  {k}={v}
                                </code>
                              ))}
                            </p>
                          ) : null}
                        </div>
                        {canRequest ? <RecommendRunButton playbook={item.playbook.name} incidentId={incidentId} params={params} /> : null}
                      </div>
                      <details className="mt-2 text-sm">
                        <summary className="cursor-pointer text-xs font-medium text-slate-600">Why this score</summary>
                        <div className="mt-2 overflow-x-auto">
                          <table className="min-w-full text-left text-xs" data-testid="recommendation-factors">
                            <caption className="sr-only">Factors behind the score of {item.playbook.name}</caption>
                            <thead className="text-slate-500">
                              <tr>
                                <th scope="col" className="py-1 pr-3 font-medium">Factor</th>
                                <th scope="col" className="py-1 pr-3 text-right font-medium">Value</th>
                                <th scope="col" className="py-1 pr-3 text-right font-medium">Weight</th>
                                <th scope="col" className="py-1 pr-3 text-right font-medium">Contribution</th>
                                <th scope="col" className="py-1 font-medium">Detail</th>
                              </tr>
                            </thead>
                            <tbody className="divide-y divide-slate-100">
                              {item.factors.map((f) => (
                                <tr key={f.name} data-factor={f.name}>
                                  <td className="py-1 pr-3 font-mono text-slate-800">{f.name}</td>
                                  <td className="py-1 pr-3 text-right tabular-nums">{num(f.value, 2)}</td>
                                  <td className="py-1 pr-3 text-right tabular-nums">{num(f.weight, 2)}</td>
                                  <td className="py-1 pr-3 text-right tabular-nums">{signed(f.contribution, 3)}</td>
                                  <td className="py-1 text-slate-600">{f.detail}</td>
                                </tr>
                              ))}
                            </tbody>
                          </table>
                        </div>
                      </details>
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
