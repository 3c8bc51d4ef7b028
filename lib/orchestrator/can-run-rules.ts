// The rules that decide whether a step can run here, each stated once: the dry-run and the approval check
// (lib/orchestrator/can-run.ts) apply them with the real values, the recommender (lib/recommend/readiness.ts)
// with what it can tell cheaply before anyone clicks.
import { isGranted, notGrantedMessage } from "@/lib/secrets/grants";
import { SecretError } from "@/lib/secrets/providers";
import type { CannotRunReason } from "@/lib/orchestrator/report";

export type AgentCandidate = { name: string; allowlist: readonly string[]; connected: boolean };

/**
 * A Kubernetes step needs a connected agent whose allow-list has the action. `clusters` are the ones the
 * step may go to: its named (or resolved) cluster, or every cluster of the org when that is not known yet.
 */
export function agentReason(action: string, clusters: readonly AgentCandidate[]): CannotRunReason | null {
  const one = clusters.length === 1 ? clusters[0]! : null;
  if (!clusters.length) return { code: "agent_missing", message: `no cluster has an agent (its ${action} step needs one)` };
  const live = clusters.filter((c) => c.connected);
  if (!live.length) {
    return { code: "agent_disconnected", message: one ? `the agent in cluster ${one.name} is not connected (its ${action} step needs it; see the Agents page)` : `no agent is connected (its ${action} step needs one)` };
  }
  if (!live.some((c) => c.allowlist.includes(action))) {
    return {
      code: "agent_action_not_allowed",
      message: one ? `the agent in cluster ${one.name} does not allow ${action} (its allow-list: ${one.allowlist.join(", ") || "empty"})` : `no connected agent allows ${action}`,
    };
  }
  return null;
}

/** A secret the org was not granted (checked without reading anything). */
export function secretGrantReason(name: string, grants: readonly string[]): CannotRunReason | null {
  return isGranted(name, grants) ? null : { code: "secret_not_granted", message: notGrantedMessage(name) };
}

/** Why a secret could not be read, from the provider's error (whose messages never carry a value). */
export function secretReadReason(err: unknown): CannotRunReason {
  if (err instanceof SecretError) {
    if (err.code === "not_granted") return { code: "secret_not_granted", message: err.message };
    if (err.code === "not_found") return { code: "secret_missing", message: err.message };
    return { code: "secret_unavailable", message: err.message };
  }
  return { code: "secret_unavailable", message: err instanceof Error ? err.message : String(err) };
}

export const NO_PROMETHEUS: CannotRunReason = { code: "prometheus_missing", message: "no Prometheus is configured for its verify step (Integrations → Prometheus)" };
