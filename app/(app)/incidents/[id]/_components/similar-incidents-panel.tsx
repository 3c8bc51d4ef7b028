// "Have we seen this before?": the nearest past incidents of this org by their redacted text, and which
// playbooks were run on them with how those runs ended. A vector-store problem only empties this panel.
import Link from "next/link";
import type { Actor } from "@/lib/context";
import { AppError } from "@/lib/errors";
import { similarIncidents } from "@/lib/vectors/similar-incidents";
import { Section } from "@/components/page-header";
import { EmptyState } from "@/components/data-table";
import { Alert } from "@/components/ui/alert";
import { Time } from "@/components/time";
import { SeverityBadge, StatusBadge } from "@/components/incidents/incident-badges";
import { RunStatusBadge } from "@/app/(app)/runs/_components/run-badges";

const LIMIT = 5;
const DESCRIPTION = "Earlier incidents whose redacted text is closest to this one, most similar first, with the playbooks that were run on them.";

async function load(actor: Actor, id: string) {
  try {
    return { data: await similarIncidents({ actor, id, k: LIMIT }), error: null };
  } catch (err) {
    console.error(JSON.stringify({ level: "error", msg: "similar incidents failed", incidentId: id, error: String((err as Error)?.stack ?? err) }));
    const message = err instanceof Error && err.message ? err.message : String(err);
    return { data: null, error: err instanceof AppError ? message : message.slice(0, 300) };
  }
}

export async function SimilarIncidentsPanel({ actor, incidentId }: { actor: Actor; incidentId: string }) {
  const { data, error } = await load(actor, incidentId);
  const items = data?.items ?? [];

  return (
    <Section title="Similar past incidents" id="similar" description={DESCRIPTION}>
      {error !== null ? (
        <Alert tone="error">
          <span data-testid="similar-error">Similar incidents are unavailable: {error}</span>
        </Alert>
      ) : items.length === 0 ? (
        <EmptyState>No similar past incidents yet.</EmptyState>
      ) : (
        <>
          <ol className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white shadow-sm" data-testid="similar-incidents">
            {items.map(({ incident, similarity, runs }) => {
              const pct = Math.round(similarity * 100);
              return (
                <li key={incident.id} className="grid grid-cols-[4rem_minmax(0,1fr)] gap-x-3 px-3 py-2.5" data-testid="similar-incident" data-incident-id={incident.id}>
                  <div className="pt-0.5 text-right">
                    <span className="text-sm font-semibold text-slate-900 tabular-nums" data-testid="similarity" title={`Cosine similarity ${similarity.toFixed(3)}`}>
                      {pct}%
                    </span>
                    <span className="sr-only"> similar: </span>
                    <div className="mt-1 h-1 overflow-hidden rounded-full bg-slate-200" aria-hidden="true">
                      <div className="h-full rounded-full bg-indigo-500" style={{ width: `${Math.max(0, Math.min(100, pct))}%` }} />
                    </div>
                  </div>
                  <div className="min-w-0">
                    <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
                      <Link href={`/incidents/${incident.id}`} className="font-medium break-words text-indigo-700 hover:underline">
                        {incident.title}
                      </Link>
                      <SeverityBadge severity={incident.severity} />
                      <StatusBadge status={incident.status} />
                    </div>
                    <div className="mt-0.5 text-xs text-slate-600">
                      {incident.service ? <>{incident.service} · </> : null}
                      opened <Time value={incident.openedAt} />
                      {incident.resolvedAt ? (
                        <>
                          {" "}
                          · resolved <Time value={incident.resolvedAt} />
                        </>
                      ) : null}
                    </div>
                    {runs.length === 0 ? (
                      <p className="mt-1 text-xs text-slate-500">No playbook was run.</p>
                    ) : (
                      <ul className="mt-1 flex flex-wrap gap-x-3 gap-y-1 text-xs" aria-label={`Playbook runs on ${incident.title}`}>
                        {runs.map((r) => (
                          <li key={r.id} className="flex items-center gap-1.5">
                            <Link href={`/runs/${r.id}`} className="font-medium text-indigo-700 hover:underline">
                              {r.playbookName}
                            </Link>
                            <RunStatusBadge status={r.status} />
                          </li>
                        ))}
                      </ul>
                    )}
                  </div>
                </li>
              );
            })}
          </ol>
          {data && "embedder" in data ? (
            <p className="mt-1 text-xs text-slate-500">
              Compared with {data.embedder} ({data.backend} search).
            </p>
          ) : null}
        </>
      )}
    </Section>
  );
}
