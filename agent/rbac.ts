// Least privilege: the Kubernetes permissions each allow-listed action needs, and nothing else. The Helm
// chart and the plain manifests under deploy/ grant exactly the union of these for the enabled actions
// (deploy/deploy.test.ts checks it), plus IDENTITY_RULE for the agent's own Secret.
//
// Dry runs need no extra verb: a server-side dry run (`dryRun=All`) is authorized like the real request,
// and reads are checked with a SelfSubjectAccessReview, which every authenticated identity may create.
import type { AgentAction } from "@/lib/agents/protocol";

export type PolicyRule = { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] };
/** Namespaced rules go into a ClusterRole bound per namespace (or cluster-wide); cluster-scoped ones need a ClusterRoleBinding. */
export type ActionRbac = { scope: "namespaced" | "cluster"; rules: PolicyRule[] };

export const ACTION_RBAC: Record<AgentAction, ActionRbac> = {
  // Strategic-merge patch of spec.template.metadata.annotations.
  "k8s.rollout_restart": { scope: "namespaced", rules: [{ apiGroups: ["apps"], resources: ["deployments"], verbs: ["patch"] }] },
  // Patch of the scale subresource.
  "k8s.scale": { scope: "namespaced", rules: [{ apiGroups: ["apps"], resources: ["deployments/scale"], verbs: ["patch"] }] },
  "k8s.delete_pod": { scope: "namespaced", rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["delete"] }] },
  // spec.unschedulable = true on a Node (cluster-scoped).
  "k8s.cordon": { scope: "cluster", rules: [{ apiGroups: [""], resources: ["nodes"], verbs: ["patch"] }] },
  "k8s.logs": { scope: "namespaced", rules: [{ apiGroups: [""], resources: ["pods/log"], verbs: ["get"] }] },
  "k8s.events": { scope: "namespaced", rules: [{ apiGroups: [""], resources: ["events"], verbs: ["list"] }] },
  // Plain HTTP to the in-cluster Prometheus: no Kubernetes API access at all.
  "prometheus.query_range": { scope: "namespaced", rules: [] },
};

/**
 * The change watch (agent/changes/): list and watch Deployments and ConfigMaps, nothing else (no get of a
 * single object, no Secrets). Bound like a namespaced action: in the watched namespaces, or cluster-wide.
 */
export const CHANGE_WATCH_RBAC: ActionRbac = {
  scope: "namespaced",
  rules: [
    { apiGroups: ["apps"], resources: ["deployments"], verbs: ["list", "watch"] },
    { apiGroups: [""], resources: ["configmaps"], verbs: ["list", "watch"] },
  ],
};

export const IDENTITY_SECRET_NAME = "neuralops-agent-identity";
export const ALLOWLIST_CONFIGMAP_NAME = "neuralops-agent-allowlist";

/** In the agent's own namespace only: read the bootstrap token, write the enrolled identity back. */
export const IDENTITY_RULE: PolicyRule = { apiGroups: [""], resources: ["secrets"], verbs: ["get", "update"], resourceNames: [IDENTITY_SECRET_NAME] };

/**
 * The relay secret Prometheus must present to the remote_write relay (agent/relay.ts). Mounted into the agent's
 * pod and into Prometheus' from a Secret of this name: no RBAC, and never the identity Secret, so Prometheus can
 * read it without reading the agent's key.
 */
export const RELAY_SECRET_NAME = "neuralops-agent-relay";
export const RELAY_SECRET_KEY = "token";
