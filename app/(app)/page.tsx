import type { Metadata } from "next";
import Link from "next/link";
import { Suspense, type ReactNode } from "react";
import { redirect } from "next/navigation";
import { getSessionActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/assert-can";
import { checkHealth } from "@/lib/health/check-health";
import { incidentStats, topOpenIncidents } from "@/lib/incidents/incident-stats";
import { lastAuditCheck } from "@/lib/audit/check-audit-chain";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/time";
import { HourlyBarChart } from "@/components/charts/hourly-bar-chart";
import { SeverityBadge, StatusBadge } from "@/components/incidents/incident-badges";
import { SourceHealthCards } from "./_components/source-health-cards";
import { formatDuration } from "./_lib/format-duration";

export const metadata: Metadata = { title: "Overview" };

function Card({ title, children, footer, className = "" }: { title: string; children: ReactNode; footer?: ReactNode; className?: string }) {
  return (
    <section aria-label={title} className={`flex flex-col rounded-lg border border-slate-200 bg-white p-4 shadow-sm ${className}`}>
      <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">{title}</h3>
      <div className="mt-2 flex-1">{children}</div>
      {footer ? <div className="mt-3 border-t border-slate-100 pt-2 text-xs">{footer}</div> : null}
    </section>
  );
}

function Group({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="mb-6" aria-label={title}>
      <h2 className="mb-2 text-sm font-semibold text-slate-900">{title}</h2>
      {children}
    </section>
  );
}

const linkClass = "font-medium text-indigo-700 underline-offset-2 hover:underline";

const SEVERITY_CARDS = [
  { key: "critical", label: "Critical", accent: "text-red-700", bar: "bg-red-500" },
  { key: "warning", label: "Warning", accent: "text-amber-700", bar: "bg-amber-500" },
  { key: "info", label: "Info", accent: "text-slate-700", bar: "bg-slate-400" },
] as const;

export default async function OverviewPage() {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");

  const [health, stats, top, lastCheck] = await Promise.all([
    checkHealth(),
    can(actor, "incidents.read") ? incidentStats({ actor }) : null,
    can(actor, "incidents.read") ? topOpenIncidents({ actor }) : null,
    can(actor, "audit.read") ? lastAuditCheck({ actor }) : null,
  ]);
  const unresolved = stats ? stats.openBySeverity.critical + stats.openBySeverity.warning + stats.openBySeverity.info : 0;
  const signalsToday = stats ? stats.signalsPerHour.reduce((n, h) => n + h.count, 0) : 0;

  return (
    <>
      <PageHeader title="Overview" description={`State of the ${actor.orgSlug} organization and the platform it runs on.`} />

      {stats ? (
        <>
          <Group title={`Unresolved incidents (${unresolved})`}>
            <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
              {SEVERITY_CARDS.map((s) => (
                <Card key={s.key} title={s.label} footer={<Link href={`/incidents?severity=${s.key}`} className={linkClass}>View {s.label.toLowerCase()} incidents</Link>}>
                  <div className="flex items-baseline gap-2">
                    <span className={`inline-block size-2.5 rounded-full ${s.bar}`} aria-hidden="true" />
                    <p className={`text-3xl font-semibold tabular-nums ${stats.openBySeverity[s.key] > 0 ? s.accent : "text-slate-900"}`} data-testid={`open-${s.key}`}>
                      {stats.openBySeverity[s.key]}
                    </p>
                    <span className="text-xs text-slate-500">open or acknowledged</span>
                  </div>
                </Card>
              ))}
            </div>
          </Group>

          {top ? (
            <Group title="Needs attention">
              {top.length === 0 ? (
                <p className="rounded-lg border border-slate-200 bg-white p-4 text-sm text-slate-600 shadow-sm">No open incidents.</p>
              ) : (
                <ol className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white shadow-sm" data-testid="top-incidents" aria-label="Open incidents, most urgent first">
                  {top.map((i) => (
                    <li key={i.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-2.5" data-testid="top-incident">
                      <SeverityBadge severity={i.severity} />
                      <StatusBadge status={i.status} />
                      <Link href={`/incidents/${i.id}`} className={`${linkClass} min-w-0 flex-1 truncate`}>
                        {i.title}
                      </Link>
                      {i.service ? <span className="max-w-48 truncate text-xs text-slate-500">{i.service}</span> : null}
                      <span className="text-xs text-slate-500">
                        last signal <Time value={i.lastSignalAt} />
                      </span>
                    </li>
                  ))}
                </ol>
              )}
            </Group>
          ) : null}

          <Group title="Activity">
            <div className="grid grid-cols-1 gap-4 lg:grid-cols-4">
              <Card title="Signals per hour, last 24 h" className="lg:col-span-2" footer={<span className="text-slate-600">{signalsToday} signals in the last 24 hours</span>}>
                <HourlyBarChart data={stats.signalsPerHour} label="Signals per hour over the last 24 hours" />
              </Card>
              <Card title="Mean time to acknowledge" footer={<span className="text-slate-600">Incidents opened in the last {stats.windowDays} days</span>}>
                <p className="text-3xl font-semibold text-slate-900 tabular-nums" data-testid="mtta">
                  {formatDuration(stats.mttaSeconds)}
                </p>
                {stats.mttaSeconds === null ? <p className="mt-1 text-xs text-slate-500">No incident acknowledged yet.</p> : null}
              </Card>
              <Card title="Mean time to resolve" footer={<span className="text-slate-600">Incidents opened in the last {stats.windowDays} days</span>}>
                <p className="text-3xl font-semibold text-slate-900 tabular-nums" data-testid="mttr">
                  {formatDuration(stats.mttrSeconds)}
                </p>
                {stats.mttrSeconds === null ? <p className="mt-1 text-xs text-slate-500">No incident resolved yet.</p> : null}
              </Card>
            </div>
          </Group>
        </>
      ) : null}

      {can(actor, "integrations.read") ? (
        <Group title="Sources">
          <Suspense fallback={<p className="text-sm text-slate-600">Checking Prometheus, monitors, agents and alerts…</p>}>
            <SourceHealthCards actor={actor} />
          </Suspense>
        </Group>
      ) : null}

      {/* Platform: the stores /api/health checks. The worker's scheduler belongs here too (its own card, from the same health check). */}
      <Group title="Platform">
        <div className="grid grid-cols-1 gap-4 md:grid-cols-2 xl:grid-cols-4">
          {(["postgres", "redis"] as const).map((name) => {
            const c = health.checks[name];
            return (
              <Card key={name} title={name === "postgres" ? "Postgres" : "Redis"}>
                <div className="flex items-center gap-2">
                  <Badge tone={c.ok ? "good" : "bad"}>{c.ok ? "Up" : "Down"}</Badge>
                  <span className="text-sm text-slate-600 tabular-nums">{c.latencyMs} ms</span>
                </div>
                {c.error ? <p className="mt-2 text-xs break-words text-red-700">{c.error}</p> : null}
              </Card>
            );
          })}

          <Card title="Job schedulers">
            {health.schedulers === null ? (
              <p className="text-sm text-slate-600">Not checked while a store is down.</p>
            ) : health.schedulers.ok ? (
              <Badge tone="good">All scheduled</Badge>
            ) : (
              <div className="space-y-1" data-testid="schedulers-missing">
                <Badge tone="warn">{health.schedulers.error ? "Not checked" : `${health.schedulers.count} missing`}</Badge>
                {health.schedulers.missing.length ? <p className="text-sm break-words text-slate-700">{health.schedulers.missing.join(", ")}</p> : null}
                {health.schedulers.error ? <p className="text-xs break-words text-red-700">{health.schedulers.error}</p> : null}
                <p className="text-xs text-slate-500">A running worker re-creates them within a minute; if this stays, start a worker for these jobs&apos; queues.</p>
              </div>
            )}
          </Card>

          {can(actor, "audit.read") ? (
            <Card title="Last audit check" footer={<Link href="/audit" className={linkClass}>Open audit log</Link>}>
              {lastCheck ? (
                <div className="space-y-1" data-testid="audit-card">
                  <Badge tone={lastCheck.ok ? "good" : "bad"}>{lastCheck.ok ? "Chain intact" : "Chain broken"}</Badge>
                  <p className="text-sm text-slate-700">
                    {lastCheck.ok
                      ? `${lastCheck.verdict.checked} events checked`
                      : `At event #${lastCheck.verdict.firstBrokenSeq ?? "?"}${lastCheck.verdict.reason ? `: ${lastCheck.verdict.reason}` : ""}`}
                  </p>
                  {/* Who ran it stays in the record (JobResult.data.by), not on the card: it is the same chain either way. */}
                  <p className="text-xs text-slate-500">
                    <Time value={lastCheck.at} />
                  </p>
                </div>
              ) : (
                <p className="text-sm text-slate-600" data-testid="audit-card">
                  The chain has not been verified yet. <Link href="/audit" className={linkClass}>Verify it now</Link>.
                </p>
              )}
            </Card>
          ) : null}
        </div>
      </Group>
    </>
  );
}
