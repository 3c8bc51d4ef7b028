// The k8s.* actions through the agent gateway (real gateway without an agent, and a registered one).
import { afterEach, describe, expect, it } from "vitest";
import { PermanentActionError } from "./types";
import { makeOrg } from "@/test/factories";
import { K8S_SCHEMAS, NoAgentError, setAgentGateway, k8sRolloutRestartAction, k8sScaleAction, type AgentGateway, type K8sRequest } from "./k8s";
import { execCtx, failure, plan, planCtx, run } from "./actions.testing";

describe("k8s", () => {
  afterEach(() => setAgentGateway(null));

  it("real gateway, org without an enrolled cluster: execute fails permanently with 'no agent connected', plan does not throw", async () => {
    const org = await makeOrg();
    const e = await failure(run(k8sRolloutRestartAction, { namespace: "prod", deployment: "checkout" }, execCtx({ orgId: org.id })));
    expect(e).toBeInstanceOf(PermanentActionError);
    expect(e.message).toMatch(/^no agent connected: Kubernetes actions run through the NeuralOps agent/);

    const p = await plan(k8sScaleAction, { namespace: "prod", deployment: "checkout", replicas: 3 }, planCtx({ orgId: org.id }));
    expect(p.summary).toBe("scale deployment prod/checkout to 3 replicas (server-side dry run unavailable: no agent connected: Kubernetes actions run through the NeuralOps agent in your cluster (see the Agents page))");
    expect(p.details).toEqual({ request: { action: "k8s.scale", namespace: "prod", deployment: "checkout", replicas: 3 } });
  });

  it("a registered gateway gets the dry run and the request with the idempotency key", async () => {
    const seen: { dryRun: K8sRequest[]; execute: (K8sRequest & { idempotencyKey: string })[] } = { dryRun: [], execute: [] };
    const fake: AgentGateway = {
      dryRun: async (req) => {
        seen.dryRun.push(req);
        return { summary: "server-side dry run ok", output: { replicas: { from: 5, to: 3 } } };
      },
      execute: async (req) => {
        seen.execute.push(req);
        return { summary: "scaled", output: { replicas: 3 } };
      },
    };
    setAgentGateway(fake);
    const input = { cluster: "eu-1", namespace: "prod", deployment: "checkout", replicas: 3 };

    const p = await plan(k8sScaleAction, input);
    expect(p.summary).toBe("scale deployment prod/checkout to 3 replicas in cluster eu-1: server-side dry run ok");
    expect(p.details).toEqual({ request: { action: "k8s.scale", ...input }, dryRun: { replicas: { from: 5, to: 3 } } });

    const ctx = execCtx();
    await expect(run(k8sScaleAction, input, ctx)).resolves.toEqual({ summary: "scaled", output: { replicas: 3 } });
    expect(seen.execute).toEqual([{ action: "k8s.scale", ...input, idempotencyKey: ctx.idempotencyKey }]);
  });

  it("a dry-run rejection other than 'no agent' reaches the caller", async () => {
    setAgentGateway({
      dryRun: async () => {
        throw new PermanentActionError('deployments.apps "checkout" not found');
      },
      execute: async () => ({ summary: "" }),
    });
    await expect(plan(k8sScaleAction, { namespace: "prod", deployment: "checkout", replicas: 1 })).rejects.toThrow(/not found/);
    expect(new NoAgentError()).toBeInstanceOf(PermanentActionError);
  });

  it("validates names, replicas and defaults", () => {
    const restart = K8S_SCHEMAS["k8s.rollout_restart"];
    expect(restart.safeParse({ namespace: "prod", deployment: "api.v2-blue" }).success).toBe(true);
    for (const deployment of ["Checkout", "-api", "api-", "api_v2", "a".repeat(254), "api;rm -rf"]) {
      expect(restart.safeParse({ namespace: "prod", deployment }).success, deployment).toBe(false);
    }
    expect(restart.safeParse({ namespace: "prod.eu", deployment: "api" }).success).toBe(false);
    expect(restart.safeParse({ namespace: "prod", deployment: "api", replicas: 2 }).success).toBe(false); // strict

    const scale = K8S_SCHEMAS["k8s.scale"];
    expect(scale.safeParse({ namespace: "prod", deployment: "api", replicas: 0 }).success).toBe(true);
    expect(scale.safeParse({ namespace: "prod", deployment: "api", replicas: 1001 }).success).toBe(false);
    expect(scale.safeParse({ namespace: "prod", deployment: "api", replicas: 1.5 }).success).toBe(false);

    expect(K8S_SCHEMAS["k8s.logs"].parse({ namespace: "prod", pod: "api-7d9f-x2" })).toEqual({ namespace: "prod", pod: "api-7d9f-x2", tailLines: 200 });
    expect(K8S_SCHEMAS["k8s.cordon"].safeParse({ node: "ip-10-0-1-23.eu-west-1.compute.internal" }).success).toBe(true);
  });
});
