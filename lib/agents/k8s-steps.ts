// The orchestrator's side of the agent: k8s.* steps become signed triggers for the cluster's agent, and
// the agent's result becomes the step's result. Plugged in as the default AgentGateway
// (lib/orchestrator/actions/k8s.ts).
import { db } from "@/lib/db";
import { NoAgentError, type AgentGateway, type K8sRequest, type K8sResult } from "@/lib/orchestrator/actions/k8s";
import { PermanentActionError, type ActionEnv } from "@/lib/orchestrator/actions/types";
import { clusterState } from "@/lib/agents/clusters";
import { awaitTrigger, issueTrigger, outcomeOf, rejectionOf, type IssueInput } from "@/lib/agents/triggers";
import type { AgentTrigger } from "@/lib/generated/prisma/client";
import { agentReason } from "@/lib/orchestrator/can-run-rules";

// A dry run is shown to an approver now; an agent that is not there now is reported, not waited for.
const DRY_RUN_WAIT_MS = 20_000;

// Labels alerts commonly carry to say which Kubernetes cluster they come from.
const CLUSTER_LABELS = ["cluster", "k8s_cluster", "kubernetes_cluster"];

/**
 * The cluster a request targets: the one the step names; else the org's only enrolled cluster; else the one
 * the run's incident names in a `cluster` label (as alerts from a per-cluster Prometheus usually do).
 */
export async function resolveCluster(orgId: string, name: string | undefined, runId?: string) {
  const clusters = await db.agentCluster.findMany({ where: { orgId, enrolledAt: { not: null }, ...(name ? { name } : {}) } });
  if (clusters.length === 1) return clusters[0]!;
  if (name) throw new NoAgentError(`no enrolled agent for cluster '${name}' (see the Agents page)`);
  if (clusters.length === 0) throw new NoAgentError();
  const run = runId ? await db.run.findFirst({ where: { id: runId, orgId }, select: { incident: { select: { labels: true } } } }) : null;
  const labels = (run?.incident?.labels ?? {}) as Record<string, string>;
  const named = CLUSTER_LABELS.map((l) => labels[l]).find((v) => v && clusters.some((c) => c.name === v));
  if (named) return clusters.find((c) => c.name === named)!;
  throw new PermanentActionError(
    `this organization has ${clusters.length} clusters (${clusters.map((c) => c.name).join(", ")}): name one with 'cluster' in the step's 'with', or run it for an incident labelled cluster=<name>`,
  );
}

function paramsOf(req: K8sRequest): Record<string, unknown> {
  const { action: _a, cluster: _c, ...params } = req as K8sRequest & { cluster?: string };
  return params;
}

/** A finished trigger → the step's result, or the error the executor records (and maybe retries). */
export function triggerResult(t: AgentTrigger, clusterName: string): K8sResult {
  const outcome = outcomeOf(t);
  const detail = { cluster: clusterName, trigger: t.id, exitStatus: outcome?.exitStatus };
  switch (t.status) {
    case "succeeded":
      return { summary: outcome!.summary, output: { ...outcome!.output, ...detail } };
    case "failed": {
      // The Kubernetes API refused (4xx): repeating will not help. 5xx and transport errors may pass.
      const status = outcome?.exitStatus ?? 1;
      const message = `agent in cluster ${clusterName}: ${outcome?.error ?? outcome?.summary ?? "failed"}`;
      if (status >= 400 && status < 500) throw new PermanentActionError(message, { ...outcome?.output, ...detail });
      throw new Error(message);
    }
    case "rejected": {
      const r = rejectionOf(t);
      throw new PermanentActionError(`the agent in cluster ${clusterName} rejected the trigger (${r?.code}): ${r?.reason}`, detail);
    }
    case "expired":
      throw new PermanentActionError(`the agent in cluster ${clusterName} did not pick the trigger up before it expired (is it connected? see the Agents page)`, detail);
    default:
      throw new Error(`trigger ${t.id} ended ${t.status}`);
  }
}

export const controlPlaneAgentGateway: AgentGateway = {
  async ready(req, env) {
    let cluster;
    try {
      cluster = await resolveCluster(env.orgId, req.cluster, env.runId);
    } catch (e) {
      if (e instanceof NoAgentError) return { code: "agent_missing", message: e.message };
      if (e instanceof PermanentActionError) return { code: "cluster_ambiguous", message: e.message };
      throw e;
    }
    return agentReason(req.action, [{ name: cluster.name, allowlist: cluster.allowlist, connected: clusterState(cluster) === "connected" }]);
  },

  async dryRun(req, env: ActionEnv) {
    const cluster = await resolveCluster(env.orgId, req.cluster, env.runId);
    if (clusterState(cluster) !== "connected") throw new NoAgentError(`the agent in cluster ${cluster.name} is not connected (last heartbeat ${cluster.lastHeartbeatAt?.toISOString() ?? "never"})`);
    const input: IssueInput = {
      orgId: env.orgId,
      clusterId: cluster.id,
      runId: env.runId,
      stepId: env.stepId,
      attempt: null,
      playbookDigest: env.playbookDigest,
      mode: "dryRun",
      action: req.action,
      params: paramsOf(req),
      ttlMs: DRY_RUN_WAIT_MS,
    };
    const t = await awaitTrigger((await issueTrigger(input)).id, AbortSignal.timeout(DRY_RUN_WAIT_MS));
    return triggerResult(t, cluster.name);
  },

  async execute(req, ctx) {
    const cluster = await resolveCluster(ctx.orgId, req.cluster, ctx.runId);
    // Only an approved run's step goes to a cluster: the executor claims the run (→ executing) before any step.
    const run = await db.run.findFirst({ where: { id: ctx.runId, orgId: ctx.orgId }, select: { status: true } });
    if (run?.status !== "executing") throw new PermanentActionError(`run is ${run?.status ?? "unknown"}: only steps of an approved, executing run are sent to an agent`);
    // A worker that stopped mid-step left its trigger behind, and the agent may have run it (or be running it):
    // that outcome is this attempt's outcome. Only a trigger that never reached the agent in time is replaced.
    const earlier = await db.agentTrigger.findFirst({
      where: { runId: ctx.runId, stepId: ctx.stepId, mode: "execute", attempt: { lt: ctx.attempt }, status: { in: ["pending", "sent", "accepted", "succeeded"] } },
      orderBy: { attempt: "desc" },
    });
    if (earlier) {
      const done = await awaitTrigger(earlier.id, ctx.signal);
      if (done.status !== "expired" && done.status !== "cancelled") return triggerResult(done, cluster.name);
    }
    const t = await issueTrigger({
      orgId: ctx.orgId,
      clusterId: cluster.id,
      runId: ctx.runId,
      stepId: ctx.stepId,
      attempt: ctx.attempt,
      playbookDigest: ctx.playbookDigest,
      mode: "execute",
      action: req.action,
      params: { ...paramsOf(req), idempotencyKey: req.idempotencyKey },
    });
    return triggerResult(await awaitTrigger(t.id, ctx.signal), cluster.name);
  },
};
