// Everything a dry-run or an execution needs about a run, loaded once: the playbook version it pinned,
// the incident it is for, the template scope and the org's Prometheus.
import { db } from "@/lib/db";
import type { Run, PlaybookVersion } from "@/lib/generated/prisma/client";
import { notFound } from "@/lib/errors";
import type { PlaybookSpec } from "@/lib/playbooks/schema";
import { prometheusConnection, type PrometheusConnection } from "@/lib/integrations/prometheus-source";
import type { Scope } from "@/lib/orchestrator/template";

export type PinnedVersion = Pick<PlaybookVersion, "id" | "orgId" | "version" | "digest" | "spec" | "signature" | "source">;

export type RunContext = {
  run: Run;
  version: PinnedVersion;
  spec: PlaybookSpec;
  prometheus: PrometheusConnection | null;
  /** Template scope without `steps` (added as steps finish). */
  scope: Scope;
};

type Row = Run & { __version: Omit<PinnedVersion, "source">; __source: PinnedVersion["source"]; __incident: { id: string; title: string; severity: string; status: string; service: string | null; labels: unknown } | null };

/** One query (the run, its pinned version, its incident): it sits between an approval and the first step. */
export async function loadRunContext(runId: string): Promise<RunContext> {
  const [row] = await db.$queryRaw<Row[]>`
    SELECT r.*,
           json_build_object('id', v.id, 'orgId', v."orgId", 'version', v.version, 'digest', v.digest, 'spec', v.spec, 'signature', v.signature) AS "__version",
           v.source AS "__source",
           (SELECT json_build_object('id', i.id, 'title', i.title, 'severity', i.severity, 'status', i.status, 'service', i.service, 'labels', i.labels)
              FROM "Incident" i WHERE i.id = r."incidentId") AS "__incident"
    FROM "Run" r JOIN "PlaybookVersion" v ON v.id = r."playbookVersionId"
    WHERE r.id = ${runId}::uuid`;
  if (!row) throw notFound("run");
  const { __version, __source, __incident: incident, ...run } = row;
  const version: PinnedVersion = { ...__version, source: __source };
  const scope: Scope = {
    params: run.params,
    run: { id: run.id, requestedBy: run.requestedByLabel, playbook: run.playbookName },
    incident: incident ? { ...incident, service: incident.service ?? "" } : null,
  };
  const spec = version.spec as unknown as PlaybookSpec;
  // Only verify steps talk to Prometheus; do not pay for the lookup otherwise.
  const prometheus = spec.steps.some((s) => s.action === "verify") ? await prometheusConnection(run.orgId) : null;
  return { run, version, spec, prometheus, scope };
}
