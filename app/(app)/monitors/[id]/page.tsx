import type { Metadata } from "next";
import type { ReactNode } from "react";
import { notFound, redirect } from "next/navigation";
import { z } from "zod";
import { getSessionActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/assert-can";
import { detectorTypes } from "@/lib/insight/detectors/config";
import { SEVERITIES } from "@/lib/incidents/schemas";
import { getPrometheusSource } from "@/lib/integrations/prometheus-source";
import { enrolledClusters } from "@/lib/agents/clusters";
import { listMonitors } from "@/lib/monitors/manage-monitors";
import { monitorSeries, monitorSignals } from "@/lib/monitors/monitor-activity";
import { AppError } from "@/lib/errors";
import Link from "next/link";
import { Suspense } from "react";
import { DataTable, EmptyState, TBody, THead, Td, Th, Tr } from "@/components/data-table";
import { SeverityBadge, StatusBadge } from "@/components/incidents/incident-badges";
import { TimeSeriesChart } from "@/components/charts/time-series-chart";
import { formatValue, seriesLabel } from "@/components/charts/scales";
import { Alert } from "@/components/ui/alert";
import type { Actor } from "@/lib/context";
import { PageHeader, Section } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/time";
import { BackLink } from "@/components/ui/back-link";
import { MonitorForm } from "../_components/monitor-form";
import { DeleteMonitorButton } from "../_components/delete-monitor-button";
import { detectorDefaults, detectorTypeOf, monitorToFormValues } from "../_lib/monitor-form";

export const metadata: Metadata = { title: "Monitor" };

const ZParams = z.object({ id: z.string().uuid() });

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-slate-500">{label}</dt>
      <dd className="min-w-0 text-slate-900">{children}</dd>
    </>
  );
}

/** The last day of the query, anomalies marked; Prometheus being down says so instead of failing the page. */
async function MonitorChart({ actor, id, name }: { actor: Actor; id: string; name: string }) {
  let series;
  try {
    series = await monitorSeries({ actor, id });
  } catch (err) {
    if (!(err instanceof AppError)) console.error(JSON.stringify({ level: "error", msg: "monitor chart failed", monitorId: id, error: String((err as Error)?.stack ?? err) }));
    return <Alert tone="error">No chart: {err instanceof AppError ? err.message : "the metric could not be loaded."}</Alert>;
  }
  if (series === null) return <Alert tone="info">No chart: this organization has no Prometheus configured (see Integrations), or the monitor&apos;s cluster is gone.</Alert>;
  if (series.length === 0) return <Alert tone="info">The query returned no data for the last 24 hours.</Alert>;
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="monitor-chart">
      <TimeSeriesChart series={series.map((s) => ({ label: seriesLabel(s.labels), points: s.points, anomalies: s.anomalies }))} title={`${name}, last 24 hours`} height={240} showScores />
    </div>
  );
}

async function MonitorSignals({ actor, id }: { actor: Actor; id: string }) {
  const signals = await monitorSignals({ actor, id });
  if (signals.length === 0) return <EmptyState>This monitor has raised no signals yet.</EmptyState>;
  return (
    <DataTable caption="Signals this monitor raised, newest first">
      <THead>
        <Th>Started</Th>
        <Th>Status</Th>
        <Th>Severity</Th>
        <Th className="text-right">Score</Th>
        <Th className="text-right">Value</Th>
        <Th>Incident</Th>
      </THead>
      <TBody>
        {signals.map((s) => (
          <Tr key={s.id}>
            <Td className="text-xs">
              <Time value={s.startsAt} />
            </Td>
            <Td>
              <StatusBadge status={s.status} />
            </Td>
            <Td>
              <SeverityBadge severity={s.severity} />
            </Td>
            <Td className="text-right tabular-nums">{s.score == null ? "—" : s.score.toFixed(3)}</Td>
            <Td className="text-right tabular-nums">{s.value == null ? "—" : formatValue(s.value)}</Td>
            <Td className="max-w-md">
              {s.incidentId && s.incident ? (
                <Link href={`/incidents/${s.incidentId}`} className="font-medium break-words text-indigo-700 hover:underline" data-testid="monitor-signal-incident">
                  {s.incident.title}
                </Link>
              ) : (
                <span className="text-slate-500">—</span>
              )}
            </Td>
          </Tr>
        ))}
      </TBody>
    </DataTable>
  );
}

export default async function MonitorPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  const parsed = ZParams.safeParse(await params);
  if (!parsed.success) notFound();
  // lib has no getMonitorOrThrow yet; the org's list is small and already tenant-filtered.
  const [monitors, prometheus, clusters] = await Promise.all([
    listMonitors({ actor }),
    can(actor, "integrations.read") ? getPrometheusSource({ actor }) : null,
    can(actor, "integrations.read") ? enrolledClusters(actor) : [],
  ]);
  const monitor = monitors.find((m) => m.id === parsed.data.id);
  if (!monitor) notFound();
  const manage = can(actor, "monitors.manage");
  const values = monitorToFormValues(monitor);
  const scannedUntil = monitor.scannedUntil === null ? null : new Date(Number(monitor.scannedUntil));

  return (
    <>
      <BackLink href="/monitors">Monitors</BackLink>
      <PageHeader
        title={monitor.name}
        description={
          <span className="flex items-center gap-2">
            {monitor.enabled ? <Badge tone="good">Enabled</Badge> : <Badge>Disabled</Badge>}
            <span>{detectorTypeOf(monitor.detector)} detector, every {monitor.stepSeconds}s</span>
          </span>
        }
        actions={manage ? <DeleteMonitorButton id={monitor.id} name={monitor.name} from="detail" /> : undefined}
      />

      <Section title="Status" id="status">
        <dl className="grid max-w-3xl grid-cols-[9rem_1fr] gap-x-4 gap-y-1.5 rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm">
          <Fact label="Last scan">
            <Time value={monitor.lastScanAt} fallback="Never" />
          </Fact>
          <Fact label="Scanned until">
            {monitor.lastScanAt === null ? (
              // Before its first scan, scannedUntil is where that scan starts learning (the preview's window).
              <span className="text-slate-600">
                Not yet; the first scan learns from {scannedUntil ? <Time value={scannedUntil} /> : "the last 24 hours"}
              </span>
            ) : (
              <Time value={scannedUntil} fallback="—" />
            )}
          </Fact>
          <Fact label="Last error">{monitor.lastError ? <span className="break-words text-red-700">{monitor.lastError}</span> : <span className="text-slate-500">None</span>}</Fact>
          <Fact label="Created">
            <Time value={monitor.createdAt} />
          </Fact>
          <Fact label="Updated">
            <Time value={monitor.updatedAt} />
          </Fact>
        </dl>
      </Section>

      {can(actor, "incidents.read") ? (
        <>
          <Section title="Metric" id="metric" description="The query over the last 24 hours; red dots mark where the signals below began.">
            <Suspense fallback={<p className="text-sm text-slate-600">Loading the last 24 hours…</p>}>
              <MonitorChart actor={actor} id={monitor.id} name={monitor.name} />
            </Suspense>
          </Section>
          <Section title="Signals raised" id="signals">
            <MonitorSignals actor={actor} id={monitor.id} />
          </Section>
        </>
      ) : null}

      {manage ? (
        <Section title="Definition" id="definition" description="Changing the query or the detector resets what the detector has learned.">
          <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <MonitorForm id={monitor.id} initial={values} detectorTypes={detectorTypes} severities={SEVERITIES} detectorDefaults={detectorDefaults()} canPreview={!!prometheus || clusters.length > 0} clusters={clusters} />
          </div>
        </Section>
      ) : (
        <Section title="Definition" id="definition">
          <dl className="grid max-w-3xl grid-cols-[9rem_1fr] gap-x-4 gap-y-1.5 rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm">
            <Fact label="Query">
              <code className="text-xs break-all">{monitor.query}</code>
            </Fact>
            <Fact label="Step">{monitor.stepSeconds}s</Fact>
            <Fact label="Sensitivity">{monitor.sensitivity}</Fact>
            <Fact label="Severity">{monitor.severity}</Fact>
            <Fact label="Labels">{values.labels ? <pre className="text-xs whitespace-pre-wrap">{values.labels}</pre> : <span className="text-slate-500">None</span>}</Fact>
            <Fact label="Detector">
              <pre className="overflow-x-auto rounded bg-slate-50 p-2 text-xs">{JSON.stringify(monitor.detector, null, 2)}</pre>
            </Fact>
          </dl>
          <p className="mt-2 text-sm text-slate-700">Operators and admins can edit monitors.</p>
        </Section>
      )}
    </>
  );
}
