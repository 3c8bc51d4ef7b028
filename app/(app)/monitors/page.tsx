import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getSessionActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/assert-can";
import { detectorTypes } from "@/lib/insight/detectors/config";
import { SEVERITIES } from "@/lib/incidents/schemas";
import { getPrometheusSource } from "@/lib/integrations/prometheus-source";
import { enrolledClusters } from "@/lib/agents/clusters";
import { listMonitors } from "@/lib/monitors/manage-monitors";
import { PageHeader, Section } from "@/components/page-header";
import { DataTable, EmptyState, TBody, THead, Td, Th, Tr } from "@/components/data-table";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/time";
import { MonitorForm } from "./_components/monitor-form";
import { DeleteMonitorButton } from "./_components/delete-monitor-button";
import { detectorDefaults, detectorTypeOf, NEW_MONITOR_VALUES } from "./_lib/monitor-form";

export const metadata: Metadata = { title: "Monitors" };

export default async function MonitorsPage() {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  const manage = can(actor, "monitors.manage");
  const [monitors, prometheus, clusters] = await Promise.all([
    listMonitors({ actor }),
    can(actor, "integrations.read") ? getPrometheusSource({ actor }) : null,
    can(actor, "integrations.read") ? enrolledClusters(actor) : [],
  ]);

  return (
    <>
      <PageHeader
        title="Monitors"
        description="PromQL queries scored by an anomaly detector. Anomalous points become signals, and signals open incidents."
      />
      {!prometheus && !clusters.length ? (
        <Alert tone="info" className="mb-4">
          No Prometheus is configured, so monitors cannot scan or preview yet.{" "}
          <Link href="/integrations" className="font-medium text-indigo-700 hover:underline">
            Set it up on the Integrations page
          </Link>
          .
        </Alert>
      ) : null}

      <Section title="Monitors" id="monitor-list">
        {monitors.length === 0 ? (
          <EmptyState>No monitors yet.{manage ? " Create one below." : ""}</EmptyState>
        ) : (
          <DataTable caption="Monitors">
            <THead>
              <Th>Name</Th>
              <Th>Query</Th>
              <Th className="text-right">Step</Th>
              <Th>Detector</Th>
              <Th>Enabled</Th>
              <Th>Last scan</Th>
              <Th>Last error</Th>
              {manage ? (
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              ) : null}
            </THead>
            <TBody>
              {monitors.map((m) => (
                <Tr key={m.id}>
                  <Td id={`monitor-${m.id}-name`} className="font-medium">
                    <Link href={`/monitors/${m.id}`} className="text-indigo-700 hover:underline">
                      {m.name}
                    </Link>
                  </Td>
                  <Td className="max-w-sm">
                    <code className="block truncate text-xs text-slate-700" title={m.query}>
                      {m.query}
                    </code>
                    {m.cluster ? <span className="text-xs text-slate-500">via cluster {m.cluster.name}</span> : null}
                  </Td>
                  <Td className="text-right text-xs whitespace-nowrap tabular-nums">{m.stepSeconds}s</Td>
                  <Td className="text-xs">{detectorTypeOf(m.detector)}</Td>
                  <Td>{m.enabled ? <Badge tone="good">Enabled</Badge> : <Badge>Disabled</Badge>}</Td>
                  <Td className="text-xs">
                    <Time value={m.lastScanAt} fallback="Never" />
                  </Td>
                  <Td className="max-w-xs text-xs">
                    {m.lastError ? (
                      <span className="line-clamp-2 text-red-700" title={m.lastError}>
                        {m.lastError}
                      </span>
                    ) : (
                      <span className="text-slate-500">—</span>
                    )}
                  </Td>
                  {manage ? (
                    <Td>
                      <DeleteMonitorButton id={m.id} name={m.name} describedBy={`monitor-${m.id}-name`} />
                    </Td>
                  ) : null}
                </Tr>
              ))}
            </TBody>
          </DataTable>
        )}
      </Section>

      {manage ? (
        <Section title="New monitor" id="new-monitor" description="Preview runs the detector over recent data so you can tune it before saving.">
          <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <MonitorForm initial={NEW_MONITOR_VALUES} detectorTypes={detectorTypes} severities={SEVERITIES} detectorDefaults={detectorDefaults()} canPreview={!!prometheus || clusters.length > 0} clusters={clusters} />
          </div>
        </Section>
      ) : (
        <p className="text-sm text-slate-700">Operators and admins create and edit monitors; you can view them.</p>
      )}
    </>
  );
}
