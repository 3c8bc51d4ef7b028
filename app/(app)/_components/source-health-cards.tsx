// The overview's "Sources" row: is each way signals reach us alive? Prometheus is probed (up to 3 s), so this
// streams in after the rest of the overview.
import Link from "next/link";
import type { ReactNode } from "react";
import type { Actor } from "@/lib/context";
import { prometheusHealth, sourceHealth } from "@/lib/health/source-health";
import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/time";

const linkClass = "font-medium text-indigo-700 underline-offset-2 hover:underline";

export function SourceCard({ title, children, href, linkText, testId }: { title: string; children: ReactNode; href: string; linkText: string; testId: string }) {
  return (
    <section aria-label={title} className="flex flex-col rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid={testId}>
      <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">{title}</h3>
      <div className="mt-2 flex-1 space-y-1 text-sm text-slate-700">{children}</div>
      <div className="mt-3 border-t border-slate-100 pt-2 text-xs">
        <Link href={href} className={linkClass}>
          {linkText}
        </Link>
      </div>
    </section>
  );
}

export async function SourceHealthCards({ actor }: { actor: Actor }) {
  const [prom, src] = await Promise.all([prometheusHealth({ actor }), sourceHealth({ actor })]);
  const { monitors, agents, ingest } = src;
  return (
    <div className="grid grid-cols-1 gap-4 md:grid-cols-2 xl:grid-cols-4">
      <SourceCard title="Prometheus" href="/integrations#prometheus" linkText="Integrations" testId="source-prometheus">
        {!prom.configured ? (
          <p className="text-slate-600">Not configured: monitors and incident charts have no metrics.</p>
        ) : prom.ok ? (
          <p className="flex items-center gap-2">
            <Badge tone="good">Reachable</Badge>
            <span className="text-slate-600 tabular-nums">
              v{prom.version}, {prom.latencyMs} ms
            </span>
          </p>
        ) : (
          <>
            <Badge tone="bad">Unreachable</Badge>
            <p className="text-xs break-words text-red-700">{prom.error}</p>
          </>
        )}
      </SourceCard>

      <SourceCard title="Monitors" href="/monitors" linkText="Monitors" testId="source-monitors">
        {monitors.enabled === 0 ? (
          <p className="text-slate-600">No enabled monitors{monitors.disabled ? ` (${monitors.disabled} disabled)` : ""}.</p>
        ) : (
          <>
            <p>
              {monitors.enabled} enabled{monitors.failing ? <>, <Badge tone="bad">{monitors.failing} failing</Badge></> : null}
              {monitors.neverScanned ? `, ${monitors.neverScanned} not scanned yet` : ""}
            </p>
            {monitors.newestScanAt ? (
              <p className="text-xs text-slate-600">
                Last scan <Time value={monitors.newestScanAt} />
                {monitors.oldestScanAt && monitors.oldestScanAt.getTime() !== monitors.newestScanAt.getTime() ? (
                  <>
                    ; stalest <Time value={monitors.oldestScanAt} />
                  </>
                ) : null}
              </p>
            ) : null}
          </>
        )}
      </SourceCard>

      <SourceCard title="Agents" href="/agents" linkText="Agents" testId="source-agents">
        {agents.clusters === 0 ? (
          <p className="text-slate-600">No clusters registered.</p>
        ) : (
          <p className="flex flex-wrap items-center gap-2">
            <Badge tone={agents.connected === agents.clusters ? "good" : agents.connected === 0 ? "bad" : "warn"}>
              {agents.connected} of {agents.clusters} connected
            </Badge>
            {agents.awaitingEnrollment ? <span className="text-xs text-slate-600">{agents.awaitingEnrollment} awaiting enrollment</span> : null}
          </p>
        )}
      </SourceCard>

      <SourceCard title="Alerts received" href="/integrations#push" linkText="Push signals in" testId="source-alerts">
        <p>
          Last alert:{" "}
          <span data-testid="last-alert-at">
            <Time value={ingest.lastAlertAt} fallback="never" />
          </span>
        </p>
        <p className="text-xs text-slate-600">
          {ingest.alertSignals24h} {ingest.alertSignals24h === 1 ? "alert" : "alerts"} active in the last 24 h ({ingest.alertDeliveries24h} deliveries)
        </p>
        {ingest.lastRemoteWriteAt ? (
          <p className="text-xs text-slate-600">
            Last remote_write anomaly <Time value={ingest.lastRemoteWriteAt} />
          </p>
        ) : null}
      </SourceCard>
    </div>
  );
}
