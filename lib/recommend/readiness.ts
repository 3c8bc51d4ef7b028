// Can this playbook run here, now, for this incident? What the recommender can tell cheaply before anyone
// clicks: its Kubernetes steps need a connected agent that allows them, its secrets must be granted to the
// org, its verify steps need a Prometheus, and its required params must be known (else a short form asks
// for them). The rules are lib/orchestrator/can-run-rules.ts; the dry-run applies them again, with the real values.
import { db } from "@/lib/db";
import { clusterState } from "@/lib/agents/clusters";
import { agentReason, NO_PROMETHEUS, secretGrantReason } from "@/lib/orchestrator/can-run-rules";
import type { ParamSpec } from "@/lib/playbooks/schema";
import type { Candidate, ParamValue } from "@/lib/recommend/score";

export type OrgCapabilities = { secretGrants: readonly string[]; clusters: { name: string; allowlist: readonly string[]; connected: boolean }[]; prometheus: boolean };

export type MissingParam = { name: string } & Pick<ParamSpec, "type" | "description" | "pattern" | "enum" | "min" | "max">;
export type Readiness = { canRun: boolean; problems: string[]; missingParams: MissingParam[] };

/** One round trip: the org's secret grants, its agents and whether it has a Prometheus. */
export async function orgCapabilities(orgId: string): Promise<OrgCapabilities> {
  const [org, clusters] = await Promise.all([
    db.organization.findUnique({ where: { id: orgId }, select: { secretGrants: true, promSources: { select: { id: true } } } }),
    db.agentCluster.findMany({ where: { orgId }, select: { name: true, allowlist: true, enrolledAt: true, bootstrapExpiresAt: true, connectedAt: true, disconnectedAt: true, lastHeartbeatAt: true } }),
  ]);
  const connected = clusters.map((c) => ({ name: c.name, allowlist: c.allowlist, connected: clusterState(c) === "connected" }));
  // A verify step reads the org's Prometheus, or a cluster's through its agent.
  return { secretGrants: org?.secretGrants ?? [], clusters: connected, prometheus: Boolean(org?.promSources.length) || connected.some((c) => c.connected) };
}

export function readiness(c: Pick<Candidate, "k8sActions" | "secrets" | "usesPrometheus" | "params">, caps: OrgCapabilities, filled: Record<string, ParamValue>): Readiness {
  const problems: string[] = [];
  // The target cluster is not known before the run is rendered: any of the org's clusters may do.
  const agent = c.k8sActions.map((action) => agentReason(action, caps.clusters)).find(Boolean);
  if (agent) problems.push(agent.message);
  for (const name of c.secrets) {
    const r = secretGrantReason(name, caps.secretGrants);
    if (r) problems.push(r.message);
  }
  if (c.usesPrometheus && !caps.prometheus) problems.push(NO_PROMETHEUS.message);
  const missingParams: MissingParam[] = [];
  for (const [name, spec] of Object.entries(c.params)) {
    if (filled[name] !== undefined || !spec.required) continue;
    missingParams.push({ name, type: spec.type, description: spec.description, pattern: spec.pattern, enum: spec.enum, min: spec.min, max: spec.max });
  }
  return { canRun: problems.length === 0, problems, missingParams };
}
