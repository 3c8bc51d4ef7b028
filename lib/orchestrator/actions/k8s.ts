// Kubernetes actions. NeuralOps holds no cluster credentials: every request goes through the agent the
// customer runs in their cluster (BYOC), behind the AgentGateway below (lib/agents/k8s-steps.ts).
import type { z } from "zod";
import type { K8sActionName } from "@/lib/playbooks/action-names";
import { K8S_SCHEMAS } from "./k8s-schemas";

export { K8S_SCHEMAS };
import { PermanentActionError, type Action, type ActionEnv, type ExecuteContext } from "./types";
import type { CannotRunReason } from "@/lib/orchestrator/report";

export type K8sInput<N extends K8sActionName> = z.output<(typeof K8S_SCHEMAS)[N]>;
/** What the agent is asked to do: the action name plus its validated `with`. */
export type K8sRequest = { [N in K8sActionName]: { action: N } & K8sInput<N> }[K8sActionName];
export type K8sResult = { summary: string; output?: Record<string, unknown> };

export interface AgentGateway {
  /** Whether an agent can take the request now (enrolled for its cluster, connected, action allowed); asks nothing of the agent. */
  ready?(req: K8sRequest, env: ActionEnv): Promise<CannotRunReason | null>;
  /** Server-side dry run (`dryRun=All`) of a mutation, or an access check for a read. No side effects. */
  dryRun(req: K8sRequest, env: ActionEnv): Promise<K8sResult>;
  execute(req: K8sRequest & { idempotencyKey: string }, ctx: ExecuteContext): Promise<K8sResult>;
}

/** No agent can take the request; a plan reports it instead of failing. */
export class NoAgentError extends PermanentActionError {
  constructor(message = "no agent connected: Kubernetes actions run through the NeuralOps agent in your cluster (see the Agents page)") {
    // Keeps the name PermanentActionError: to everything but a plan it is exactly that.
    super(message);
  }
}

let override: AgentGateway | null = null;

/** Tests swap the gateway; `null` restores the real one (signed triggers to the org's agent, lib/agents). */
export function setAgentGateway(g: AgentGateway | null): void {
  override = g;
}

async function agentGateway(): Promise<AgentGateway> {
  // Imported lazily: the real gateway needs the database and Redis, this module only zod.
  return override ?? (await import("@/lib/agents/k8s-steps")).controlPlaneAgentGateway;
}

function describe(req: K8sRequest): string {
  const where = req.cluster ? ` in cluster ${req.cluster}` : "";
  switch (req.action) {
    case "k8s.rollout_restart":
      return `restart deployment ${req.namespace}/${req.deployment}${where}`;
    case "k8s.scale":
      return `scale deployment ${req.namespace}/${req.deployment} to ${req.replicas} replicas${where}`;
    case "k8s.delete_pod":
      return `delete pod ${req.namespace}/${req.pod}${where}`;
    case "k8s.cordon":
      return `cordon node ${req.node}${where}`;
    case "k8s.logs":
      return `read the last ${req.tailLines} log lines of pod ${req.namespace}/${req.pod}${req.container ? ` container ${req.container}` : ""}${where}`;
    case "k8s.events":
      return `list events in namespace ${req.namespace}${req.fieldSelector ? ` matching ${req.fieldSelector}` : ""}${where}`;
  }
}

function k8sAction<N extends K8sActionName>(action: N): Action<K8sInput<N>> {
  const request = (input: K8sInput<N>) => ({ action, ...input }) as K8sRequest;
  return {
    name: action,
    schema: K8S_SCHEMAS[action] as unknown as z.ZodType<K8sInput<N>>,
    // Every k8s action is safe to repeat: reads trivially; rollout_restart because the agent writes the
    // idempotency key (not a timestamp) as the restartedAt annotation, so a repeat applies the identical
    // patch and starts no second rollout; scale sets an absolute count; deleting or cordoning twice leaves
    // the same end state as once.
    idempotent: () => true,
    async check(input, env) {
      return (await agentGateway()).ready?.(request(input), env) ?? null;
    },
    async plan(input, env) {
      const req = request(input);
      try {
        const dry = await (await agentGateway()).dryRun(req, env);
        return { summary: `${describe(req)}: ${dry.summary}`, details: { request: req, ...(dry.output ? { dryRun: dry.output } : {}) } };
      } catch (e) {
        if (e instanceof NoAgentError) return { summary: `${describe(req)} (server-side dry run unavailable: ${e.message})`, details: { request: req } };
        throw e;
      }
    },
    async execute(input, ctx) {
      return (await agentGateway()).execute({ ...request(input), idempotencyKey: ctx.idempotencyKey }, ctx);
    },
  };
}

export const k8sRolloutRestartAction = k8sAction("k8s.rollout_restart");
export const k8sScaleAction = k8sAction("k8s.scale");
export const k8sDeletePodAction = k8sAction("k8s.delete_pod");
export const k8sCordonAction = k8sAction("k8s.cordon");
export const k8sLogsAction = k8sAction("k8s.logs");
export const k8sEventsAction = k8sAction("k8s.events");
