import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getSessionActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/assert-can";
import { env } from "@/lib/env";
import { getPrometheusSource } from "@/lib/integrations/prometheus-source";
import { sourceHealth } from "@/lib/health/source-health";
import { Time } from "@/components/time";
import { PageHeader, Section } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { PrometheusSourceForm } from "./_components/prometheus-source-form";
import { SnippetPanel } from "./_components/snippet-panel";

export const metadata: Metadata = { title: "Integrations" };

/** Where Alertmanager and Prometheus reach this app: NEXTAUTH_URL when set, else the request's host. */
async function publicOrigin(): Promise<string> {
  const configured = env().NEXTAUTH_URL;
  if (configured) return new URL(configured).origin;
  const h = await headers();
  const host = h.get("x-forwarded-host") ?? h.get("host") ?? "localhost:3000";
  const proto = h.get("x-forwarded-proto")?.split(",")[0]?.trim() ?? (host.startsWith("localhost") || host.startsWith("127.") ? "http" : "https");
  return `${proto}://${host}`;
}

const AUTH_LABELS: Record<string, string> = { none: "None", bearer: "Bearer token", basic: "Basic" };

export default async function IntegrationsPage() {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  const readable = can(actor, "integrations.read");
  const [source, origin, health] = await Promise.all([readable ? getPrometheusSource({ actor }) : null, publicOrigin(), readable ? sourceHealth({ actor }) : null]);
  const manage = can(actor, "integrations.manage");
  const canCreateToken = can(actor, "tokens.manage");

  return (
    <>
      <PageHeader title="Integrations" description="Connect the Prometheus that monitors query, and let Alertmanager and Prometheus push signals in." />

      <Section
        title="Prometheus source"
        id="prometheus"
        description="Monitors run their PromQL queries against this Prometheus, and incident pages chart from it."
      >
        {manage ? (
          <div className="max-w-3xl rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <PrometheusSourceForm source={source} />
          </div>
        ) : source ? (
          <dl className="grid max-w-xl grid-cols-[8rem_1fr] gap-x-4 gap-y-1.5 rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm">
            <dt className="text-slate-500">URL</dt>
            <dd className="break-all">{source.url}</dd>
            <dt className="text-slate-500">Authentication</dt>
            <dd>{AUTH_LABELS[source.authType] ?? source.authType}</dd>
            {source.username ? (
              <>
                <dt className="text-slate-500">Username</dt>
                <dd>{source.username}</dd>
              </>
            ) : null}
            <dt className="text-slate-500">Secret</dt>
            <dd>{source.hasSecret ? <Badge tone="good">Secret stored</Badge> : <span className="text-slate-500">None</span>}</dd>
          </dl>
        ) : (
          <p className="text-sm text-slate-700">No Prometheus is configured. An admin can set one here.</p>
        )}
        {manage && source?.hasSecret ? (
          <p className="mt-2 text-xs text-slate-600">
            <Badge tone="good">Secret stored</Badge> <span className="ml-1">It is encrypted at rest and never shown.</span>
          </p>
        ) : null}
      </Section>

      <Section
        title="Push signals in"
        id="push"
        description="Paste these into your configuration. Each needs an API token with only the signals.ingest permission."
      >
        {health ? (
          <dl className="mb-4 grid max-w-3xl grid-cols-1 gap-x-6 gap-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm sm:grid-cols-2" data-testid="ingest-health">
            <div>
              <dt className="text-xs font-medium text-slate-500">Alertmanager: last alert received</dt>
              <dd data-testid="integrations-last-alert">
                <Time value={health.ingest.lastAlertAt} fallback="never" />
              </dd>
              <dd className="text-xs text-slate-600" data-testid="integrations-deliveries">
                {health.ingest.alertSignals24h} {health.ingest.alertSignals24h === 1 ? "alert" : "alerts"}, {health.ingest.alertDeliveries24h}{" "}
                {health.ingest.alertDeliveries24h === 1 ? "delivery" : "deliveries"} in the last 24 h
              </dd>
            </div>
            <div>
              <dt className="text-xs font-medium text-slate-500">remote_write: last anomaly raised</dt>
              <dd>
                <Time value={health.ingest.lastRemoteWriteAt} fallback="never" />
              </dd>
              <dd className="text-xs text-slate-600">
                {health.ingest.remoteWriteSignals24h} {health.ingest.remoteWriteSignals24h === 1 ? "signal" : "signals"} in the last 24 h
              </dd>
            </div>
          </dl>
        ) : null}
        <div className="grid gap-4 xl:grid-cols-2">
          <SnippetPanel
            kind="alertmanager"
            title="Alertmanager webhook"
            description="Firing and resolved alerts become signals and open incidents."
            origin={origin}
            canCreateToken={canCreateToken}
          />
          <SnippetPanel
            kind="remote-write"
            title="Prometheus remote_write"
            description="Samples of series that match a monitor's query are scored as they arrive."
            origin={origin}
            canCreateToken={canCreateToken}
          />
        </div>
      </Section>
    </>
  );
}
