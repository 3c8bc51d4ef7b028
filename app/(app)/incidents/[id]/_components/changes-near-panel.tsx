// "What changed?": deploys, rollbacks, config, flag and scale changes recorded shortly before this incident's
// first signal (and while it lasts), closest in time last. Reads lib/changes; a failure only empties this panel.
import Link from "next/link";
import type { Actor } from "@/lib/context";
import { AppError } from "@/lib/errors";
import { changesNearIncident, type NearChange } from "@/lib/changes/changes-near";
import { describeOffset, type MatchStrength } from "@/lib/changes/match";
import { Section } from "@/components/page-header";
import { EmptyState } from "@/components/data-table";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/time";

const MATCH: Record<MatchStrength, { label: string; tone: "bad" | "warn" | "neutral" }> = {
  service: { label: "same service", tone: "bad" },
  namespace: { label: "same namespace", tone: "warn" },
  org: { label: "org-wide", tone: "neutral" },
};

async function load(actor: Actor, id: string) {
  try {
    return { data: await changesNearIncident({ actor, incidentId: id }), error: null };
  } catch (err) {
    console.error(JSON.stringify({ level: "error", msg: "changes near incident failed", incidentId: id, error: String((err as Error)?.stack ?? err) }));
    return { data: null, error: err instanceof AppError ? err.message : "The changes could not be loaded." };
  }
}

/** Stored links are http(s) only; checked again here because this is where they become clickable. */
const safeHref = (url: string | null) => (url && /^https?:\/\//i.test(url) ? url : null);

function Subject({ c }: { c: NearChange }) {
  const parts = [c.service, c.deployment && c.deployment !== c.service ? `deployment ${c.deployment}` : null, c.namespace ? `ns ${c.namespace}` : null, c.cluster ? `cluster ${c.cluster}` : null].filter(Boolean);
  return parts.length ? <span>{parts.join(" · ")}</span> : <span className="text-slate-500">no service named</span>;
}

export async function ChangesNearPanel({ actor, incidentId }: { actor: Actor; incidentId: string }) {
  const { data, error } = await load(actor, incidentId);
  const what = data?.referenceIsFirstSignal === false ? "the incident opened" : "the first signal";
  const description = `Changes recorded up to ${(data?.windowMinutes ?? 120) / 60} h before ${what} and while the incident lasts, oldest first.`;
  return (
    <Section title="Changes near this incident" id="changes" description={description}>
      {error !== null ? (
        <Alert tone="error">
          <span data-testid="changes-error">Changes are unavailable: {error}</span>
        </Alert>
      ) : !data || data.changes.length === 0 ? (
        <EmptyState>
          <span data-testid="changes-empty">
            No change was recorded in this window. Send deploys, rollbacks, config and flag changes to <code className="rounded bg-slate-100 px-1 text-xs">POST /api/v1/changes</code> with an
            ingest token (<Link href="/integrations" className="text-indigo-700 hover:underline">Integrations</Link>): from Argo CD notifications, a LaunchDarkly webhook, the in-cluster agent or
            a script — see “Change events” in the README.
          </span>
        </EmptyState>
      ) : (
        <ol className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white shadow-sm" data-testid="changes-near">
          {data.changes.map((c) => {
            const href = safeHref(c.url);
            return (
              <li key={c.id} className="grid grid-cols-[11rem_minmax(0,1fr)] gap-x-4 px-3 py-2.5" data-testid="change" data-change-id={c.id}>
                <div className="text-xs text-slate-600">
                  <div className={`font-medium ${c.minutesBefore >= 0 ? "text-slate-900" : "text-slate-600"}`} data-testid="change-offset">
                    {describeOffset(c.minutesBefore, what)}
                  </div>
                  <Time value={c.at} />
                </div>
                <div className="min-w-0">
                  <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
                    <Badge tone="accent">{c.kind}</Badge>
                    {href ? (
                      <a href={href} target="_blank" rel="noopener noreferrer nofollow" className="font-medium break-words text-indigo-700 hover:underline">
                        {c.title}
                      </a>
                    ) : (
                      <span className="font-medium break-words text-slate-900">{c.title}</span>
                    )}
                    <Badge tone={MATCH[c.match].tone}>{MATCH[c.match].label}</Badge>
                  </div>
                  <div className="mt-0.5 flex flex-wrap gap-x-3 text-xs text-slate-600">
                    <Subject c={c} />
                    {c.revision ? (
                      <span>
                        revision <code className="font-mono break-all">{c.revision}</code>
                      </span>
                    ) : null}
                    {c.version && c.version !== c.revision ? (
                      <span>
                        version <code className="font-mono break-all">{c.version}</code>
                      </span>
                    ) : null}
                    {c.actor ? <span>by {c.actor}</span> : null}
                    <span className="text-slate-500">via {c.source}</span>
                  </div>
                </div>
              </li>
            );
          })}
        </ol>
      )}
    </Section>
  );
}
