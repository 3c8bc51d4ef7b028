// The agent's change watch end to end: the real agent process enrolls through the real route, lists and
// watches the Kubernetes API stand-in over real HTTP watch streams, and reports what changed to the real
// POST /api/v1/changes handler with its ingest token; the rows land in the database under the agent's
// cluster and show up near an incident of the same service.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createCluster } from "@/lib/agents/clusters";
import { changesNearIncident } from "@/lib/changes/changes-near";
import { POST as enrollRoute } from "@/app/api/v1/agent/enroll/route";
import { POST as changesRoute } from "@/app/api/v1/changes/route";
import { makeActor, makeOrg } from "@/test/factories";
import { startFakeKubeApi, type FakeKubeApi } from "@/test/fake-kube-api";
import { killAllAgents, startAgentProcess, type AgentProc } from "@/test/agent-process";
import { startRouteServer } from "@/test/prom/route-server";
import { until } from "@/test/worker-process";

let kube: FakeKubeApi;
let app: Awaited<ReturnType<typeof startRouteServer>>;
let agent: AgentProc;
let orgId: string;
let clusterName: string;

beforeAll(async () => {
  const org = await makeOrg("chg-agent");
  orgId = org.id;
  const admin = await makeActor(org.id, "admin");
  const { cluster, bootstrapToken } = await createCluster({ actor: admin, input: { name: "prod-eu" } });
  clusterName = cluster.name;
  kube = await startFakeKubeApi();
  kube.addDeployment("shop", "web", 2);
  kube.addConfigMap("shop", "web-config", { POOL_SIZE: "10", FEATURE_X: "off" }, { app: "web" });
  app = await startRouteServer({ "POST /api/v1/agent/enroll": enrollRoute, "POST /api/v1/changes": changesRoute });
  agent = startAgentProcess({
    controlPlaneUrl: app.url,
    // No gateway here: the agent keeps redialling it, which the change watch does not depend on.
    gatewayUrl: "ws://127.0.0.1:9/api/v1/agent/connect",
    kubeApiUrl: kube.url,
    bootstrapToken,
    allowlist: ["k8s.events"],
    env: { NEURALOPS_WATCH_CHANGES: "true" },
  });
  await agent.waitFor(/change watch deployments \(all namespaces\): listed 1, watching/);
  await agent.waitFor(/change watch configmaps \(all namespaces\): listed 1, watching/);
});

afterAll(async () => {
  await agent?.stop();
  killAllAgents();
  await kube?.close();
  await app?.stop();
});

const changes = (where: object = {}) => db.change.findMany({ where: { orgId, ...where }, orderBy: { createdAt: "asc" } });

describe("agent change watch", () => {
  it("an image change on a Deployment becomes a deploy change of that service, filed under the agent's cluster", async () => {
    kube.setDeploymentImage("shop", "web", "ghcr.io/acme/web:2.0.0", { controllerDelayMs: 50 });
    const [row] = await until("a deploy change", async () => {
      const r = await changes({ kind: "deploy" });
      return r.length ? r : null;
    }, 20_000);
    expect(row).toMatchObject({
      source: "kubernetes",
      kind: "deploy",
      title: "Deployment shop/web rolled out revision 2: app web:latest → ghcr.io/acme/web:2.0.0",
      service: "web",
      deployment: "web",
      namespace: "shop",
      cluster: clusterName,
      revision: "2",
      version: "ghcr.io/acme/web:2.0.0",
    });
    expect(row!.dedupKey).toBe(`kubernetes:id:${kube.getDeployment("shop", "web")!.metadata.uid}:revision:2`);
    expect(agent.output.join("")).toMatch(/changes: reported 1 \(1 new\)/);
  });

  it("a ConfigMap data change is a config change naming the keys, never the values", async () => {
    kube.annotateConfigMap("shop", "web-config", { "example.com/touched": "yes" });
    kube.setConfigMapData("shop", "web-config", { POOL_SIZE: "50", FEATURE_X: "off" });
    const [row] = await until("a config change", async () => {
      const r = await changes({ kind: "config" });
      return r.length ? r : null;
    }, 20_000);
    expect(row).toMatchObject({ title: "ConfigMap shop/web-config: changed POOL_SIZE", namespace: "shop", service: "web", cluster: clusterName });
    expect(JSON.stringify(row)).not.toContain('"50"');
    // The annotation alone was no change.
    expect(await changes({ kind: "config" })).toHaveLength(1);
  });

  it("after the API server's history is compacted (410 Gone) it lists again and reports what it missed", async () => {
    kube.closeWatches();
    kube.scaleDeployment("shop", "web", 6);
    kube.compactHistory();
    await agent.waitFor(/change watch deployments \(all namespaces\): resourceVersion \d+ is gone \(410\); listing again/, 20_000);
    const [row] = await until("a scale change", async () => {
      const r = await changes({ kind: "scale" });
      return r.length ? r : null;
    }, 20_000);
    expect(row).toMatchObject({ title: "Deployment shop/web scaled 2 → 6 replicas", deployment: "web", cluster: clusterName });
    // Nothing was reported twice.
    expect((await changes()).map((c) => c.kind).sort()).toEqual(["config", "deploy", "scale"]);
  });

  it("the deploy shows as the strongest evidence near an incident of that service", async () => {
    const viewer = await makeActor(orgId, "viewer");
    const opened = new Date(Date.now() + 60_000);
    const incident = await db.incident.create({ data: { orgId, title: "web 5xx", service: "web", labels: { namespace: "shop", cluster: clusterName }, openedAt: opened, lastSignalAt: opened } });
    const near = await changesNearIncident({ actor: viewer, incidentId: incident.id, now: opened });
    expect(near.changes.map((c) => [c.kind, c.match])).toEqual([
      ["deploy", "service"],
      ["config", "service"],
      ["scale", "service"],
    ]);
    expect(near.changes.every((c) => c.minutesBefore >= 0 && c.minutesBefore <= 2)).toBe(true);
  });
});
