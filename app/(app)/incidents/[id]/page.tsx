import type { Metadata } from "next";
import { Suspense } from "react";
import { notFound, redirect } from "next/navigation";
import { z } from "zod";
import { getSessionActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/assert-can";
import { AppError } from "@/lib/errors";
import { getIncidentOrThrow } from "@/lib/incidents/get-incident";
import { incidentSeries } from "@/lib/incidents/incident-series";
import { PageHeader, Section } from "@/components/page-header";
import { DataTable, EmptyState, TBody, THead, Td, Th, Tr } from "@/components/data-table";
import { SeverityBadge, StatusBadge } from "@/components/incidents/incident-badges";
import { TimeSeriesChart, type ChartSeries } from "@/components/charts/time-series-chart";
import { formatValue, seriesLabel } from "@/components/charts/scales";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/time";
import { BackLink } from "@/components/ui/back-link";
import { Fact } from "@/components/ui/fact";
import { orNotFound } from "../../_lib/or-not-found";
import { IncidentStatusForm } from "./_components/incident-status-form";
import { IncidentRunsPanel } from "./_components/incident-runs-panel";
import { SimilarIncidentsPanel } from "./_components/similar-incidents-panel";
import { RecommendationsPanel } from "./_components/recommendations-panel";
import { ChangesNearPanel } from "./_components/changes-near-panel";
import { IncidentTimeline } from "./_components/incident-timeline";
import { PagingPanel } from "./_components/paging-panel";
import { AlertContextPanel } from "./_components/alert-context-panel";
import { RoleNote } from "./_components/role-note";
import { alertContext } from "@/lib/incidents/alert-context";

export const metadata: Metadata = { title: "Incident" };

const ZParams = z.object({ id: z.string().uuid() });

/** The chart data, or why there is none. Prometheus being down must not take the page with it. */
async function loadSeries(actor: Parameters<typeof incidentSeries>[0]["actor"], id: string) {
  try {
    return { data: await incidentSeries({ actor, id }), error: null };
  } catch (err) {
    if (err instanceof AppError) return { data: null, error: err.message };
    console.error(JSON.stringify({ level: "error", msg: "incident chart failed", incidentId: id, error: String((err as Error)?.stack ?? err) }));
    return { data: null, error: "The metric could not be loaded." };
  }
}

function When({ at, by }: { at: Date | null; by: string | null }) {
  if (!at) return <span className="text-slate-500">—</span>;
  return (
    <span className="flex flex-col">
      <Time value={at} />
      {by ? <span className="truncate text-xs text-slate-600">by {by}</span> : null}
    </span>
  );
}

function toChartSeries(series: NonNullable<Awaited<ReturnType<typeof incidentSeries>>>["series"]): ChartSeries[] {
  return series.map((s) => ({ label: seriesLabel(s.labels), points: s.points, anomalies: s.anomalies }));
}

export default async function IncidentPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  const parsed = ZParams.safeParse(await params);
  if (!parsed.success) notFound();
  const { id } = parsed.data;

  const [incident, chart] = await Promise.all([orNotFound(getIncidentOrThrow({ actor, id })), loadSeries(actor, id)]);
  const showAck = incident.status === "open" && can(actor, "incidents.ack");
  const showResolve = incident.status !== "resolved" && can(actor, "incidents.resolve");
  const hasAnomalySignals = incident.signals.some((s) => s.kind === "anomaly");
  const labels = Object.entries((incident.labels ?? {}) as Record<string, string>);
  // What this person could do here were their role higher: said, not silently left out.
  const roleNotes = [
    ...(incident.status === "open" && !can(actor, "incidents.ack") ? [{ permission: "incidents.ack" as const, what: "acknowledge this incident" }] : []),
    ...(incident.status !== "resolved" && !can(actor, "incidents.resolve") ? [{ permission: "incidents.resolve" as const, what: "resolve this incident" }] : []),
    ...(!can(actor, "runs.request") ? [{ permission: "runs.request" as const, what: "request a playbook run" }] : []),
  ];

  return (
    <>
      <BackLink href="/incidents">Incidents</BackLink>
      <PageHeader
        title={incident.title}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <SeverityBadge severity={incident.severity} />
            <StatusBadge status={incident.status} testId="incident-status" />
            {incident.groupKey ? <code className="max-w-full truncate rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700" title={incident.groupKey}>
                {incident.groupKey}
              </code> : null}
          </span>
        }
      />

      <div className="mb-6 grid items-start gap-4 lg:grid-cols-[minmax(0,1fr)_auto]">
        <dl className="grid grid-cols-[repeat(auto-fill,minmax(12rem,1fr))] gap-x-6 gap-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
          <Fact label="Service">{incident.service ? <span className="break-all">{incident.service}</span> : <span className="text-slate-500">—</span>}</Fact>
          <Fact label="Group key">
            <span className="font-mono text-xs break-all">{incident.groupKey || "—"}</span>
          </Fact>
          <Fact label="Opened">
            <Time value={incident.openedAt} />
          </Fact>
          <Fact label="Last signal">
            <Time value={incident.lastSignalAt} />
          </Fact>
          <Fact label="Acknowledged">
            <When at={incident.acknowledgedAt} by={incident.acknowledgedBy} />
          </Fact>
          <Fact label="Resolved">
            <When at={incident.resolvedAt} by={incident.resolvedBy} />
          </Fact>
          {labels.length ? (
            <div className="col-span-full">
              <dt className="text-xs font-medium text-slate-500">Labels</dt>
              <dd className="mt-1 flex flex-wrap gap-1" data-testid="incident-labels">
                {/* A label value can be 2,000 characters: clipped to a few lines, whole on hover. */}
                {labels.map(([k, v]) => (
                  <span key={k} className="line-clamp-3 max-w-full rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs break-all text-slate-700" title={`${k}=${String(v)}`}>
                    {k}={String(v)}
                  </span>
                ))}
              </dd>
            </div>
          ) : null}
        </dl>
        {showAck || showResolve || roleNotes.length ? (
          <div className="max-w-sm space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            {showAck || showResolve ? <IncidentStatusForm id={incident.id} showAck={showAck} showResolve={showResolve} /> : null}
            <RoleNote role={actor.role} notes={roleNotes} />
          </div>
        ) : null}
      </div>

      <AlertContextPanel context={alertContext(incident.signals)} />

      <PagingPanel actor={actor} incidentId={incident.id} />

      {/* Streams in after the rest of the page, like similar incidents (which it consults). */}
      <Suspense
        fallback={
          <Section title="Recommended playbooks" id="recommendations">
            <p className="text-sm text-slate-600">Ranking playbooks for this incident…</p>
          </Section>
        }
      >
        <RecommendationsPanel actor={actor} incidentId={incident.id} />
      </Suspense>

      {/* Streams in after the rest of the page: it may embed this incident first. */}
      <Suspense
        fallback={
          <Section title="Similar past incidents" id="similar">
            <p className="text-sm text-slate-600">Looking for similar past incidents…</p>
          </Section>
        }
      >
        <SimilarIncidentsPanel actor={actor} incidentId={incident.id} />
      </Suspense>

      <ChangesNearPanel actor={actor} incidentId={incident.id} />

      <IncidentRunsPanel actor={actor} incidentId={incident.id} labels={Object.fromEntries(labels.map(([k, v]) => [k, String(v)]))} />

      <Section
        title="Metric"
        id="metric"
        description={
          chart.data ? (
            <>
              Monitor <strong className="font-medium text-slate-800">{chart.data.monitorName}</strong>: <code className="rounded bg-slate-100 px-1 text-xs">{chart.data.query}</code>. Red dots mark where anomalies began.
            </>
          ) : undefined
        }
      >
        {chart.data && chart.data.series.length > 0 ? (
          <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <TimeSeriesChart series={toChartSeries(chart.data.series)} title={`${chart.data.monitorName} around this incident`} height={260} showScores />
          </div>
        ) : chart.error ? (
          <Alert tone="error">No chart: {chart.error}</Alert>
        ) : (
          <Alert tone="info">
            {chart.data
              ? "The monitor's query returned no data for this incident's time range."
              : hasAnomalySignals
                ? "No chart: the monitor behind these signals no longer exists, or this organization has no Prometheus configured (see Integrations)."
                : "No chart: this incident's signals came from Alertmanager, not from an anomaly monitor, so there is no metric to plot."}
          </Alert>
        )}
      </Section>

      <Section title={`Signals (${incident.signals.length})`} id="signals">
        {incident.signals.length === 0 ? (
          <EmptyState>No signals.</EmptyState>
        ) : (
          <DataTable caption="Signals of this incident, oldest first">
            <THead>
              <Th>Kind</Th>
              <Th>Title</Th>
              <Th>Status</Th>
              <Th>Severity</Th>
              <Th className="text-right">Score</Th>
              <Th className="text-right">Value</Th>
              <Th>Starts / ends / arrived</Th>
              <Th className="text-right">Hits</Th>
            </THead>
            <TBody>
              {incident.signals.map((s) => (
                <Tr key={s.id}>
                  <Td>
                    <Badge tone={s.kind === "anomaly" ? "accent" : "neutral"}>{s.kind}</Badge>
                  </Td>
                  <Td className="max-w-md">
                    <div className="font-medium break-words text-slate-900">{s.title}</div>
                    <div className="truncate font-mono text-xs text-slate-500" title={s.fingerprint}>
                      {s.source}
                    </div>
                  </Td>
                  <Td>
                    <StatusBadge status={s.status} />
                  </Td>
                  <Td>
                    <SeverityBadge severity={s.severity} />
                  </Td>
                  <Td className="text-right tabular-nums">{s.score == null ? <span className="text-slate-500">—</span> : s.score.toFixed(3)}</Td>
                  <Td className="text-right tabular-nums">{s.value == null ? <span className="text-slate-500">—</span> : formatValue(s.value)}</Td>
                  <Td className="text-xs">
                    <div>
                      <Time value={s.startsAt} />
                    </div>
                    <div>
                      <Time value={s.endsAt} fallback="still firing" />
                    </div>
                    {/* When NeuralOps received it: hours after it started for history a new monitor loaded. */}
                    <div className="text-slate-500">
                      arrived <Time value={s.createdAt} />
                    </div>
                  </Td>
                  <Td className="text-right tabular-nums">{s.hits}</Td>
                </Tr>
              ))}
            </TBody>
          </DataTable>
        )}
      </Section>

      <IncidentTimeline events={incident.events} signals={incident.signals} />
    </>
  );
}
