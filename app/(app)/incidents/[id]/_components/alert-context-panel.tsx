// The alert's own words and where to look next: its description, runbook and the Prometheus graph that
// fired it. Only http(s) URLs become links (lib/incidents/alert-context); anything else is shown as text.
import type { AlertContext, AlertLink } from "@/lib/incidents/alert-context";
import { Section } from "@/components/page-header";

const linkClass = "font-medium break-all text-indigo-700 underline-offset-2 hover:underline";

function Links({ links, label, testId }: { links: AlertLink[]; label: string; testId: string }) {
  return (
    <ul className="space-y-1">
      {links.map((l) => (
        <li key={l.text} className="min-w-0 break-all">
          {l.href ? (
            <a href={l.href} target="_blank" rel="noopener noreferrer nofollow" className={linkClass} data-testid={testId}>
              {label}
              <span className="sr-only"> (opens in a new tab)</span>
            </a>
          ) : (
            <span className="text-slate-600" data-testid={`${testId}-refused`}>
              {label}: <code className="rounded bg-slate-100 px-1 text-xs break-all">{l.text}</code> <span className="text-xs">(not an http(s) link, so not clickable)</span>
            </span>
          )}
          {l.href && links.length > 1 ? <span className="ml-2 font-mono text-xs break-all text-slate-500">{l.href}</span> : null}
        </li>
      ))}
    </ul>
  );
}

export function AlertContextPanel({ context }: { context: AlertContext }) {
  const { descriptions, runbooks, sources } = context;
  if (!descriptions.length && !runbooks.length && !sources.length) return null;
  return (
    <Section title="What the alert says" id="alert-context">
      <div className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="alert-context">
        {descriptions.map((d) => (
          <p key={d} className="max-w-4xl text-sm break-words whitespace-pre-line text-slate-800" data-testid="alert-description">
            {d}
          </p>
        ))}
        {runbooks.length || sources.length ? (
          <div className="flex flex-col gap-2 text-sm sm:flex-row sm:gap-8">
            {runbooks.length ? <Links links={runbooks} label="Runbook" testId="alert-runbook" /> : null}
            {sources.length ? <Links links={sources} label="Open in Prometheus" testId="alert-source" /> : null}
          </div>
        ) : null}
      </div>
    </Section>
  );
}
