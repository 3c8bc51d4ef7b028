import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { KubeConfig } from "@kubernetes/client-node";
import type { AgentK8sAction } from "@/lib/agents/protocol";
import { startFakeKubeApi, type FakeKubeApi } from "@/test/fake-kube-api";
import { EVENTS_CAP, LOG_OUTPUT_CAP_BYTES, runKubeAction } from "./actions";
import { kubeConfigFor } from "./client";

const SMP = "application/strategic-merge-patch+json";
let api: FakeKubeApi;
let kc: KubeConfig;

beforeEach(async () => {
  api = await startFakeKubeApi();
  kc = kubeConfigFor({ apiUrl: api.url });
});
afterEach(async () => {
  await api.close();
});

const run = (action: AgentK8sAction, params: Record<string, unknown>, dryRun = false, idempotencyKey?: string) => runKubeAction(kc, { action, params, dryRun, idempotencyKey });
const restartBody = (key: string) => ({ spec: { template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": key } } } } });

describe("k8s.rollout_restart", () => {
  it("patches the pod template annotation with the idempotency key", async () => {
    api.addDeployment("shop", "web", 3);
    const out = await run("k8s.rollout_restart", { namespace: "shop", deployment: "web" }, false, "run-1:step-a");

    expect(api.requests).toHaveLength(1);
    const [req] = api.requests;
    expect(req).toMatchObject({ method: "PATCH", path: "/apis/apps/v1/namespaces/shop/deployments/web", contentType: SMP });
    expect(req!.query).toEqual({});
    expect(req!.body).toEqual(restartBody("run-1:step-a"));
    expect(out).toMatchObject({ ok: true, exitStatus: 0, summary: "restarted deployment shop/web (generation 2)" });
    expect(out.output).toMatchObject({ deployment: "web", namespace: "shop", restartedAt: "run-1:step-a", generation: 2, observedGeneration: 1, dryRun: false });
    expect(out.output!.resourceVersion).toBe(api.getDeployment("shop", "web")!.metadata.resourceVersion);
    expect(api.getDeployment("shop", "web")!.spec.template.metadata.annotations).toEqual({ "kubectl.kubernetes.io/restartedAt": "run-1:step-a" });
  });

  it("dry run sends dryRun=All and changes nothing", async () => {
    api.addDeployment("shop", "web");
    const before = api.getDeployment("shop", "web");
    const out = await run("k8s.rollout_restart", { namespace: "shop", deployment: "web" }, true, "run-1:step-a");

    expect(api.requests[0]!.query).toEqual({ dryRun: "All" });
    expect(api.requests[0]!.contentType).toBe(SMP);
    expect(api.requests[0]!.body).toEqual(restartBody("run-1:step-a"));
    expect(out).toMatchObject({ ok: true, exitStatus: 0, summary: "server-side dry run accepted" });
    expect(out.output).toMatchObject({ dryRun: true, generation: 2 });
    expect(api.getDeployment("shop", "web")).toEqual(before);
  });

  it("a dry run without idempotency key uses a fixed placeholder; a real run without one is refused unsent", async () => {
    api.addDeployment("shop", "web");
    await run("k8s.rollout_restart", { namespace: "shop", deployment: "web" }, true);
    expect(api.requests[0]!.body).toEqual(restartBody("dry-run"));

    const out = await run("k8s.rollout_restart", { namespace: "shop", deployment: "web" }, false);
    expect(out).toMatchObject({ ok: false, exitStatus: 1 });
    expect(out.error).toMatch(/idempotency key/);
    expect(api.requests).toHaveLength(1);
  });

  it("repeating the same key sends the identical patch and starts no second rollout", async () => {
    api.addDeployment("shop", "web");
    const first = await run("k8s.rollout_restart", { namespace: "shop", deployment: "web" }, false, "key-1");
    const second = await run("k8s.rollout_restart", { namespace: "shop", deployment: "web" }, false, "key-1");

    expect(api.requests).toHaveLength(2);
    expect(api.requests[1]!.body).toEqual(api.requests[0]!.body);
    expect(first.output!.generation).toBe(2);
    expect(second.output!.generation).toBe(2);

    const third = await run("k8s.rollout_restart", { namespace: "shop", deployment: "web" }, false, "key-2");
    expect(third.output!.generation).toBe(3);
  });

  it("maps a 404 Status to the HTTP status and the Status message", async () => {
    const out = await run("k8s.rollout_restart", { namespace: "shop", deployment: "nope" }, false, "k");
    expect(out).toEqual({
      ok: false,
      exitStatus: 404,
      summary: 'k8s.rollout_restart failed: deployments.apps "nope" not found',
      error: 'deployments.apps "nope" not found',
    });
  });

  it("answers only once the API server answers (held request)", async () => {
    api.addDeployment("shop", "web");
    api.hold((r) => r.method === "PATCH");
    let settled = false;
    const pending = run("k8s.rollout_restart", { namespace: "shop", deployment: "web" }, false, "k").then((o) => ((settled = true), o));
    await api.waitFor((r) => r.method === "PATCH");
    expect(settled).toBe(false);
    expect(api.getDeployment("shop", "web")!.metadata.generation).toBe(1);
    api.release();
    expect((await pending).ok).toBe(true);
    expect(api.getDeployment("shop", "web")!.metadata.generation).toBe(2);
  });
});

describe("k8s.scale", () => {
  it("merge-patches the scale subresource and reports the count running before", async () => {
    api.addDeployment("shop", "web", 2);
    const out = await run("k8s.scale", { namespace: "shop", deployment: "web", replicas: 5 });

    const [req] = api.requests;
    expect(req).toMatchObject({ method: "PATCH", path: "/apis/apps/v1/namespaces/shop/deployments/web/scale", contentType: "application/merge-patch+json" });
    expect(req!.query).toEqual({});
    expect(req!.body).toEqual({ spec: { replicas: 5 } });
    expect(out).toMatchObject({ ok: true, exitStatus: 0, summary: "scaled deployment shop/web to 5 replicas (2 running before)" });
    expect(out.output).toMatchObject({ deployment: "web", namespace: "shop", replicas: 5, previousReplicas: 2, dryRun: false });
    expect(api.getDeployment("shop", "web")!.spec.replicas).toBe(5);
  });

  it("dry run sends dryRun=All and leaves the replica count", async () => {
    api.addDeployment("shop", "web", 2);
    const out = await run("k8s.scale", { namespace: "shop", deployment: "web", replicas: 0 }, true);

    expect(api.requests[0]!.query).toEqual({ dryRun: "All" });
    expect(api.requests[0]!.body).toEqual({ spec: { replicas: 0 } });
    expect(out).toMatchObject({ ok: true, summary: "server-side dry run accepted; 2 running now" });
    expect(out.output).toMatchObject({ replicas: 0, previousReplicas: 2, dryRun: true });
    expect(api.getDeployment("shop", "web")!.spec.replicas).toBe(2);
  });
});

describe("k8s.delete_pod", () => {
  it("deletes the pod and reports its uid", async () => {
    const uid = api.addPod("shop", "web-1");
    const out = await run("k8s.delete_pod", { namespace: "shop", pod: "web-1" });

    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]).toMatchObject({ method: "DELETE", path: "/api/v1/namespaces/shop/pods/web-1", query: {} });
    expect(out).toMatchObject({ ok: true, exitStatus: 0, summary: "deleted pod shop/web-1" });
    expect(out.output).toMatchObject({ pod: "web-1", namespace: "shop", uid, dryRun: false });
    expect(typeof out.output!.deletionTimestamp).toBe("string");
    expect(api.hasPod("shop", "web-1")).toBe(false);
  });

  it("dry run sends dryRun=All and keeps the pod", async () => {
    const uid = api.addPod("shop", "web-1");
    const out = await run("k8s.delete_pod", { namespace: "shop", pod: "web-1" }, true);

    expect(api.requests[0]).toMatchObject({ method: "DELETE", path: "/api/v1/namespaces/shop/pods/web-1", query: { dryRun: "All" } });
    expect(out).toMatchObject({ ok: true, summary: "server-side dry run accepted" });
    expect(out.output).toMatchObject({ uid, dryRun: true });
    expect(api.hasPod("shop", "web-1")).toBe(true);
  });

  it("maps a missing pod to 404", async () => {
    const out = await run("k8s.delete_pod", { namespace: "shop", pod: "gone" });
    expect(out).toMatchObject({ ok: false, exitStatus: 404, error: 'pods "gone" not found' });
  });
});

describe("k8s.cordon", () => {
  it("sets spec.unschedulable with a strategic-merge patch", async () => {
    api.addNode("node-7");
    const out = await run("k8s.cordon", { node: "node-7" });

    expect(api.requests[0]).toMatchObject({ method: "PATCH", path: "/api/v1/nodes/node-7", contentType: SMP, query: {} });
    expect(api.requests[0]!.body).toEqual({ spec: { unschedulable: true } });
    expect(out).toMatchObject({ ok: true, exitStatus: 0, summary: "cordoned node node-7" });
    expect(out.output).toMatchObject({ node: "node-7", unschedulable: true, dryRun: false });
    expect(api.getNode("node-7")!.spec.unschedulable).toBe(true);
  });

  it("dry run sends dryRun=All and leaves the node schedulable", async () => {
    api.addNode("node-7");
    const out = await run("k8s.cordon", { node: "node-7" }, true);

    expect(api.requests[0]).toMatchObject({ method: "PATCH", path: "/api/v1/nodes/node-7", contentType: SMP, query: { dryRun: "All" } });
    expect(out).toMatchObject({ ok: true, summary: "server-side dry run accepted" });
    expect(out.output).toMatchObject({ unschedulable: true, dryRun: true });
    expect(api.getNode("node-7")!.spec.unschedulable).toBeUndefined();
  });

  it("maps a missing node to 404", async () => {
    const out = await run("k8s.cordon", { node: "node-x" });
    expect(out).toMatchObject({ ok: false, exitStatus: 404, summary: 'k8s.cordon failed: nodes "node-x" not found' });
  });
});

describe("k8s.logs", () => {
  it("reads the last tailLines lines of the named container", async () => {
    api.addPod("shop", "web-1", { containers: ["app", "proxy"], logs: ["one", "two", "three"] });
    const out = await run("k8s.logs", { namespace: "shop", pod: "web-1", container: "proxy", tailLines: 2 });

    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]).toMatchObject({ method: "GET", path: "/api/v1/namespaces/shop/pods/web-1/log" });
    expect(api.requests[0]!.query).toEqual({ container: "proxy", tailLines: "2", limitBytes: String(4 * 1024 * 1024) });
    expect(out).toMatchObject({ ok: true, exitStatus: 0, summary: "read 2 log lines of pod shop/web-1 container proxy" });
    expect(out.output).toEqual({ pod: "web-1", namespace: "shop", container: "proxy", lines: ["two", "three"], truncated: false });
  });

  it("defaults to 200 lines and sends no container when none is given", async () => {
    api.addPod("shop", "web-1", { logs: Array.from({ length: 250 }, (_, i) => `line ${i}`) });
    const out = await run("k8s.logs", { namespace: "shop", pod: "web-1" });

    expect(api.requests[0]!.query.tailLines).toBe("200");
    expect("container" in api.requests[0]!.query).toBe(false);
    const lines = out.output!.lines as string[];
    expect(lines).toHaveLength(200);
    expect(lines[0]).toBe("line 50");
    expect(lines.at(-1)).toBe("line 249");
  });

  it("keeps the newest lines within the output cap and says it truncated", async () => {
    const long = (i: number) => `${String(i).padStart(4, "0")}${"x".repeat(1020)}`;
    api.addPod("shop", "web-1", { logs: Array.from({ length: 300 }, (_, i) => long(i)) });
    const out = await run("k8s.logs", { namespace: "shop", pod: "web-1", tailLines: 300 });

    const lines = out.output!.lines as string[];
    // 1024 bytes per line plus its newline.
    expect(lines).toHaveLength(Math.floor(LOG_OUTPUT_CAP_BYTES / 1025));
    expect(lines.at(-1)).toBe(long(299));
    expect(lines[0]).toBe(long(300 - lines.length));
    expect(out.output!.truncated).toBe(true);
    expect(out.summary).toBe(`read ${lines.length} log lines of pod shop/web-1 (truncated to the newest 256 KiB)`);
  });

  it("maps a 400 Status (container required) to the HTTP status", async () => {
    api.addPod("shop", "web-1", { containers: ["app", "proxy"] });
    const out = await run("k8s.logs", { namespace: "shop", pod: "web-1" });
    expect(out).toMatchObject({ ok: false, exitStatus: 400, error: "a container name must be specified for pod web-1, choose one of: [app proxy]" });
  });

  it("dry run asks a SelfSubjectAccessReview instead of reading", async () => {
    api.addPod("shop", "web-1", { logs: ["secret line"] });
    const out = await run("k8s.logs", { namespace: "shop", pod: "web-1", tailLines: 10 }, true);

    expect(api.requests).toHaveLength(1);
    const [req] = api.requests;
    expect(req).toMatchObject({ method: "POST", path: "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", query: {} });
    expect(req!.body).toEqual({
      apiVersion: "authorization.k8s.io/v1",
      kind: "SelfSubjectAccessReview",
      spec: { resourceAttributes: { group: "", verb: "get", resource: "pods", subresource: "log", namespace: "shop", name: "web-1" } },
    });
    expect(out).toMatchObject({ ok: true, exitStatus: 0, summary: "may read logs of pod shop/web-1 (access check: allowed)" });
    expect(JSON.stringify(out)).not.toContain("secret line");
  });

  it("dry run reports a denied access review as a failure", async () => {
    api.setAllowed("pods/log", false);
    const out = await run("k8s.logs", { namespace: "shop", pod: "web-1" }, true);
    expect(out).toMatchObject({ ok: false, exitStatus: 1, summary: "may not read logs of pod shop/web-1 (access check: denied)" });
    expect(out.error).toContain("may not get pods/log in namespace shop");
    expect(out.output).toMatchObject({ allowed: false });
  });
});

describe("k8s.events", () => {
  it("lists events newest first, compacted, passing the field selector", async () => {
    api.addEvent("shop", { type: "Normal", reason: "Pulled", message: "pulled image", involvedObject: { kind: "Pod", name: "web-1" }, lastTimestamp: "2026-01-01T10:00:00Z" });
    api.addEvent("shop", { type: "Warning", reason: "BackOff", message: "back-off restarting", involvedObject: { kind: "Pod", name: "web-1" }, count: 7, lastTimestamp: "2026-01-01T10:05:00Z" });
    api.addEvent("shop", { type: "Warning", reason: "Failed", message: "other pod", involvedObject: { kind: "Pod", name: "web-2" }, lastTimestamp: "2026-01-01T10:06:00Z" });
    const out = await run("k8s.events", { namespace: "shop", fieldSelector: "involvedObject.name=web-1" });

    expect(api.requests[0]).toMatchObject({ method: "GET", path: "/api/v1/namespaces/shop/events", query: { fieldSelector: "involvedObject.name=web-1" } });
    expect(out).toMatchObject({ ok: true, exitStatus: 0, summary: "listed 2 events in namespace shop matching involvedObject.name=web-1 (1 Warning)" });
    expect(out.output).toEqual({
      namespace: "shop",
      total: 2,
      truncated: false,
      events: [
        { type: "Warning", reason: "BackOff", message: "back-off restarting", involvedObject: { kind: "Pod", name: "web-1" }, count: 7, lastTimestamp: "2026-01-01T10:05:00.000Z" },
        { type: "Normal", reason: "Pulled", message: "pulled image", involvedObject: { kind: "Pod", name: "web-1" }, count: 1, lastTimestamp: "2026-01-01T10:00:00.000Z" },
      ],
    });
  });

  it("keeps the newest 200 events", async () => {
    for (let i = 0; i < 205; i++)
      api.addEvent("shop", { reason: `R${i}`, message: "m", involvedObject: { kind: "Pod", name: "p" }, lastTimestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString() });
    const out = await run("k8s.events", { namespace: "shop" });

    expect(api.requests[0]!.query).toEqual({});
    const events = out.output!.events as Array<{ reason: string }>;
    expect(events).toHaveLength(EVENTS_CAP);
    expect(events[0]!.reason).toBe("R204");
    expect(events.at(-1)!.reason).toBe("R5");
    expect(out.output).toMatchObject({ total: 205, truncated: true });
  });

  it("dry run checks list access on events in the namespace", async () => {
    const out = await run("k8s.events", { namespace: "shop" }, true);
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]).toMatchObject({ method: "POST", path: "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews" });
    expect((api.requests[0]!.body as { spec: unknown }).spec).toEqual({ resourceAttributes: { group: "", verb: "list", resource: "events", namespace: "shop" } });
    expect(out).toMatchObject({ ok: true, summary: "may list events in namespace shop (access check: allowed)" });

    api.setAllowed("events", false);
    const denied = await run("k8s.events", { namespace: "shop" }, true);
    expect(denied).toMatchObject({ ok: false, exitStatus: 1, summary: "may not list events in namespace shop (access check: denied)" });
  });
});

describe("parameters and transport", () => {
  it.each([
    ["k8s.rollout_restart", { namespace: "Shop", deployment: "web" }, "namespace"],
    ["k8s.scale", { namespace: "shop", deployment: "web", replicas: -1 }, "replicas"],
    ["k8s.scale", { namespace: "shop", deployment: "web" }, "replicas"],
    ["k8s.delete_pod", { namespace: "shop", pod: "web-1", force: true }, "force"],
    ["k8s.cordon", { node: "node/../x" }, "node"],
    ["k8s.logs", { namespace: "shop", pod: "web-1", tailLines: 100_000 }, "tailLines"],
    ["k8s.events", { namespace: "shop", cluster: "c1" }, "cluster"],
  ] as const)("%s with invalid params %j sends nothing", async (action, params, field) => {
    const out = await run(action, params as Record<string, unknown>, false, "k");
    expect(out).toMatchObject({ ok: false, exitStatus: 1, summary: `${action}: invalid parameters` });
    expect(out.error).toContain(field);
    expect(api.requests).toHaveLength(0);
  });

  it("a refused connection is exitStatus 1", async () => {
    const gone = await startFakeKubeApi();
    await gone.close();
    const out = await runKubeAction(kubeConfigFor({ apiUrl: gone.url }), { action: "k8s.cordon", params: { node: "n1" }, dryRun: false });
    expect(out.ok).toBe(false);
    expect(out.exitStatus).toBe(1);
    expect(out.error).toMatch(/ECONNREFUSED/);
  });
});
