// Everything a dry-run or an execution needs about a run, loaded once: the playbook version it pinned,
// the incident it is for, the template scope and the org's Prometheus.
import { db } from "@/lib/db";
import type { Run, PlaybookVersion } from "@/lib/generated/prisma/client";
import { notFound } from "@/lib/errors";
import type { PlaybookSpec } from "@/lib/playbooks/schema";
import { prometheusConnection, type PrometheusConnection } from "@/lib/integrations/prometheus-source";
import type { Scope } from "@/lib/orchestrator/template";

export type RunContext = {
  run: Run;
  version: PlaybookVersion;
  spec: PlaybookSpec;
  prometheus: PrometheusConnection | null;
  /** Template scope without `steps` (added as steps finish). */
  scope: Scope;
};

export async function loadRunContext(runId: string): Promise<RunContext> {
  const run = await db.run.findUnique({ where: { id: runId }, include: { playbookVersion: true, incident: true } });
  if (!run) throw notFound("run");
  const { playbookVersion: version, incident, ...rest } = run;
  const scope: Scope = {
    params: run.params,
    run: { id: run.id, requestedBy: run.requestedByLabel, playbook: run.playbookName },
    incident: incident
      ? { id: incident.id, title: incident.title, severity: incident.severity, status: incident.status, service: incident.service ?? "", labels: incident.labels }
      : null,
  };
  const spec = version.spec as unknown as PlaybookSpec;
  // Only verify steps talk to Prometheus; do not pay for the lookup otherwise.
  const prometheus = spec.steps.some((s) => s.action === "verify") ? await prometheusConnection(run.orgId) : null;
  return { run: rest, version, spec, prometheus, scope };
}
