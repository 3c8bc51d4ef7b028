// The change watch against the Kubernetes API stand-in, over real HTTP: a list, then a chunked watch
// stream; resuming from the last resourceVersion when the stream ends, listing again on 410 Gone, backing
// off on 403. The reporter posts to a local receiver standing in for the control plane.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startFakeKubeApi, type FakeKubeApi } from "@/test/fake-kube-api";
import { kubeConfigFor } from "../kube/client";
import { ListWatch } from "./list-watch";
import { startChangeWatch } from "./watch-changes";
import type { ChangeEvent, KubeObject, WatchType } from "./detect";

let kube: FakeKubeApi;
const cleanups: (() => Promise<void> | void)[] = [];
beforeEach(async () => {
  kube = await startFakeKubeApi();
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await kube.close();
});

async function until<T>(what: string, fn: () => T | undefined | false, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function watchDeployments(namespace?: string) {
  const lists: { names: string[]; relist: boolean }[] = [];
  const events: { type: WatchType; name: string; image: string; revision?: string }[] = [];
  const log: string[] = [];
  const lw = new ListWatch({
    kc: kubeConfigFor({ apiUrl: kube.url }),
    resource: "deployments",
    namespace,
    onList: (items, relist) => lists.push({ names: items.map((i) => i.metadata!.name!), relist }),
    onEvent: (type, o: KubeObject) => events.push({ type, name: o.metadata!.name!, image: o.spec!.template!.spec!.containers![0]!.image!, revision: o.metadata!.annotations?.["deployment.kubernetes.io/revision"] }),
    log: (l) => log.push(l),
    backoff: { minMs: 20, maxMs: 100 },
  });
  lw.start();
  cleanups.push(() => lw.stop());
  return { lists, events, log };
}
const watchRequests = () => kube.requests.filter((r) => r.path.endsWith("/deployments") && r.query.watch === "true");

describe("ListWatch", () => {
  it("lists, then follows the watch stream: the template change and the controller's revision bump arrive as events", async () => {
    kube.addDeployment("shop", "web");
    const w = watchDeployments();
    await until("a watch", () => kube.openWatches("deployments") === 1);
    expect(w.lists).toEqual([{ names: ["web"], relist: false }]);
    const list = kube.requests.find((r) => r.path === "/apis/apps/v1/deployments" && !r.query.watch)!;
    expect(watchRequests()[0]!.query).toMatchObject({ watch: "true", allowWatchBookmarks: "true", timeoutSeconds: "300" });
    expect(Number(watchRequests()[0]!.query.resourceVersion)).toBeGreaterThan(0);
    expect(list).toBeDefined();

    kube.setDeploymentImage("shop", "web", "web:2", { controllerDelayMs: 30 });
    await until("two events", () => w.events.length === 2);
    expect(w.events).toEqual([
      { type: "MODIFIED", name: "web", image: "web:2", revision: "1" },
      { type: "MODIFIED", name: "web", image: "web:2", revision: "2" },
    ]);
  });

  it("a watch that ends resumes from the last resourceVersion seen, so nothing in between is lost", async () => {
    kube.addDeployment("shop", "web");
    const w = watchDeployments();
    await until("a watch", () => kube.openWatches() === 1);
    kube.scaleDeployment("shop", "web", 4);
    await until("the scale", () => w.events.length === 1);
    const lastRv = kube.getDeployment("shop", "web")!.metadata.resourceVersion;
    kube.closeWatches();
    kube.setDeploymentImage("shop", "web", "web:3");
    await until("the change made while no watch was open", () => w.events.length === 2);
    expect(watchRequests().at(-1)!.query.resourceVersion).toBe(lastRv);
    expect(w.events[1]).toMatchObject({ image: "web:3", revision: "2" });
    expect(w.lists).toHaveLength(1);
  });

  it("BOOKMARK events move the resourceVersion without being changes", async () => {
    kube.addDeployment("shop", "web");
    const w = watchDeployments();
    await until("a watch", () => kube.openWatches() === 1);
    kube.addConfigMap("shop", "unrelated", { a: "1" }); // moves the server's resourceVersion past the deployment's
    const serverRv = String(Number(kube.getDeployment("shop", "web")!.metadata.resourceVersion) + 1);
    kube.bookmark();
    await new Promise((r) => setTimeout(r, 50));
    kube.closeWatches();
    await until("a second watch", () => watchRequests().length === 2);
    expect(watchRequests()[1]!.query.resourceVersion).toBe(serverRv);
    expect(w.events).toEqual([]);
  });

  it("410 Gone (history compacted) starts over with a list, marked as a relist", async () => {
    kube.addDeployment("shop", "web");
    const w = watchDeployments();
    await until("a watch", () => kube.openWatches() === 1);
    kube.closeWatches();
    kube.setDeploymentImage("shop", "web", "web:4");
    kube.compactHistory();
    await until("a relist", () => w.lists.length === 2);
    expect(w.lists[1]).toEqual({ names: ["web"], relist: true });
    expect(w.log.join("\n")).toMatch(/is gone \(410\); listing again/);
    await until("a watch again", () => kube.openWatches() === 1);
  });

  it("without list/watch permission it says so and retries, then starts once allowed; one namespace only when asked", async () => {
    kube.addDeployment("shop", "web");
    kube.addDeployment("other", "api");
    kube.setWatchAllowed("deployments", false);
    const w = watchDeployments("shop");
    await until("a forbidden log", () => w.log.some((l) => l.includes("forbidden")));
    expect(w.log[0]).toMatch(/^change watch deployments \(namespace shop\): forbidden .*retrying in \d+ ms$/);
    kube.setWatchAllowed("deployments", true);
    await until("a list", () => w.lists.length === 1);
    expect(w.lists[0]!.names).toEqual(["web"]);
    await until("a watch", () => kube.openWatches() === 1);
    expect(watchRequests().at(-1)!.path).toBe("/apis/apps/v1/namespaces/shop/deployments");
  });
});

describe("startChangeWatch", () => {
  it("reports deploys, rollbacks, scales and config changes (keys only) to the control plane in batches", async () => {
    const received: { auth?: string; body: ChangeEvent[] }[] = [];
    const cp: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as ChangeEvent[];
        received.push({ auth: req.headers.authorization, body });
        res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ changes: body.map(() => ({ id: "x", deduplicated: false })) }));
      });
    });
    await new Promise<void>((r) => cp.listen(0, "127.0.0.1", r));
    cleanups.push(() => new Promise<void>((r) => cp.close(() => r())));
    kube.addDeployment("shop", "web", 2);
    kube.addConfigMap("shop", "web-config", { POOL: "10" });
    kube.addConfigMap("kube-system", "cluster-autoscaler-status", { status: "a" });
    const log: string[] = [];
    const watch = startChangeWatch({ kc: kubeConfigFor({ apiUrl: kube.url }), namespaces: [], controlPlaneUrl: `http://127.0.0.1:${(cp.address() as AddressInfo).port}`, ingestToken: "tok", log: (l) => log.push(l), backoff: { minMs: 20, maxMs: 100 }, flushMs: 20 });
    cleanups.push(() => watch.stop());
    await until("two watches", () => kube.openWatches() === 2);

    kube.setDeploymentImage("shop", "web", "web:2");
    kube.setDeploymentImage("shop", "web", "web:latest");
    kube.scaleDeployment("shop", "web", 5);
    kube.setConfigMapData("shop", "web-config", { POOL: "50" });
    kube.setConfigMapData("kube-system", "cluster-autoscaler-status", { status: "b" });
    const all = await until("four changes", () => {
      const flat = received.flatMap((r) => r.body);
      return flat.length >= 4 && flat;
    });
    expect(received.every((r) => r.auth === "Bearer tok")).toBe(true);
    expect(all.map((c) => [c.kind, c.title])).toEqual([
      ["deploy", "Deployment shop/web rolled out revision 2: app web:latest → web:2"],
      ["rollback", "Deployment shop/web rolled back to revision 3: app web:2 → web:latest"],
      ["scale", "Deployment shop/web scaled 2 → 5 replicas"],
      ["config", "ConfigMap shop/web-config: changed POOL"],
    ]);
    expect(all.every((c) => c.source === "kubernetes" && c.namespace === "shop")).toBe(true);
    expect(JSON.stringify(all)).not.toContain('"50"');
    expect(log.some((l) => l.startsWith("changes: reported"))).toBe(true);
  });
});
