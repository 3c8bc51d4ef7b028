// Everything a dry-run or an execution needs about a run, loaded once: the playbook version it pinned
// (verified, and parsed from the verified bytes), the incident it is for, the template scope and the
// org's Prometheus.
import { db } from "@/lib/db";
import type { Run } from "@/lib/generated/prisma/client";
import { notFound } from "@/lib/errors";
import type { PlaybookSpec } from "@/lib/playbooks/schema";
import { verifyRunPlaybook, type Verification } from "@/lib/playbooks/verify-version";
import { prometheusConnection, type PrometheusConnection } from "@/lib/integrations/prometheus-source";
import type { Scope } from "@/lib/orchestrator/template";
import type { EgressPolicy } from "@/lib/egress/policy";

export type PinnedVersion = { id: string; version: number; digest: string };

/** The run's organization, as far as execution needs it: its secret namespace and grants, its egress policy. */
export type RunOrg = { slug: string; secretGrants: string[]; egress: EgressPolicy };

export type RunContext = {
  run: Run;
  org: RunOrg;
  version: PinnedVersion;
  verification: Verification;
  /** Parsed from the checked bytes; null when they do not match their digest. Acting on it requires verification.ok. */
  spec: PlaybookSpec | null;
  prometheus: PrometheusConnection | null;
  /** Template scope without `steps` (added as steps finish). */
  scope: Scope;
};

type Row = Run & { __org: RunOrg; __incident: { id: string; title: string; severity: string; status: string; service: string | null; labels: unknown } | null };

/** Two queries in parallel (the run with its incident; the version's bytes with the org's keys): they sit between an approval and the first step. */
export async function loadRunContext(runId: string): Promise<RunContext> {
  const [[row], checked] = await Promise.all([
    db.$queryRaw<Row[]>`
      SELECT r.*,
             (SELECT json_build_object('slug', o.slug, 'secretGrants', o."secretGrants",
                                       'egress', json_build_object('allowHosts', o."egressAllowHosts", 'allowCidrs', o."egressAllowCidrs"))
                FROM "Organization" o WHERE o.id = r."orgId") AS "__org",
             (SELECT json_build_object('id', i.id, 'title', i.title, 'severity', i.severity, 'status', i.status, 'service', i.service, 'labels', i.labels)
                FROM "Incident" i WHERE i.id = r."incidentId") AS "__incident"
      FROM "Run" r WHERE r.id = ${runId}::uuid`,
    verifyRunPlaybook(runId),
  ]);
  if (!row || !checked) throw notFound("run");
  const { __incident: incident, __org: org, ...run } = row;
  const scope: Scope = {
    params: run.params,
    run: { id: run.id, requestedBy: run.requestedByLabel, playbook: run.playbookName },
    incident: incident ? { ...incident, service: incident.service ?? "" } : null,
  };
  const { spec, verification, version } = checked;
  // Only verify steps talk to Prometheus; do not pay for the lookup otherwise.
  const prometheus = spec?.steps.some((s) => s.action === "verify") ? await prometheusConnection(run.orgId) : null;
  return { run, org, version, verification, spec, prometheus, scope };
}
