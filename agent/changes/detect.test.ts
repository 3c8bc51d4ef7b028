import { describe, expect, it } from "vitest";
import { ZGenericChange } from "@/lib/changes/sources/generic";
import { ChangeDetector, REVISION_ANNOTATION } from "./detect";

const NOW = new Date("2026-12-07T10:00:00Z");
let rv = 100;
const dep = (o: { revision?: string; image?: string; images?: Record<string, string>; replicas?: number; generation?: number; labels?: Record<string, string> } = {}) => ({
  metadata: { uid: "u-web", name: "web", namespace: "shop", resourceVersion: String(++rv), generation: o.generation ?? 1, labels: o.labels ?? { "app.kubernetes.io/name": "web-svc" }, annotations: o.revision === undefined ? { [REVISION_ANNOTATION]: "1" } : { [REVISION_ANNOTATION]: o.revision } },
  spec: { replicas: o.replicas ?? 2, template: { spec: { containers: Object.entries(o.images ?? { app: o.image ?? "web:1.0" }).map(([name, image]) => ({ name, image, env: [{ name: "DB_PASSWORD", value: "hunter2" }] })) } } },
});
const cm = (data: Record<string, string>, o: { annotations?: Record<string, string>; name?: string } = {}) => ({
  metadata: { uid: `u-${o.name ?? "cfg"}`, name: o.name ?? "cfg", namespace: "shop", resourceVersion: String(++rv), annotations: o.annotations, labels: { app: "web" } },
  data,
});

describe("Deployments", () => {
  it("a new revision is a deploy naming the image change; what the server would accept", () => {
    const d = new ChangeDetector();
    d.sync("deployments", [dep()], { report: false, now: NOW });
    // The template change comes first (still revision 1), then the controller's revision bump.
    expect(d.event("deployments", "MODIFIED", dep({ image: "web:1.1", generation: 2 }), NOW)).toEqual([]);
    const [c, ...rest] = d.event("deployments", "MODIFIED", dep({ image: "web:1.1", revision: "2", generation: 2 }), NOW);
    expect(rest).toEqual([]);
    expect(c).toEqual({
      id: "u-web:revision:2",
      source: "kubernetes",
      at: NOW.toISOString(),
      kind: "deploy",
      title: "Deployment shop/web rolled out revision 2: app web:1.0 → web:1.1",
      namespace: "shop",
      service: "web-svc",
      deployment: "web",
      labels: { "app.kubernetes.io/name": "web-svc" },
      revision: "2",
      version: "web:1.1",
    });
    expect(ZGenericChange.safeParse(c).success).toBe(true);
    // Nothing of the pod spec but images leaves: no env values.
    expect(JSON.stringify(c)).not.toContain("hunter2");
  });

  it("back to an earlier revision's images is a rollback", () => {
    const d = new ChangeDetector();
    d.sync("deployments", [dep()], { report: false, now: NOW });
    d.event("deployments", "MODIFIED", dep({ image: "web:1.1", revision: "2" }), NOW);
    const [c] = d.event("deployments", "MODIFIED", dep({ image: "web:1.0", revision: "3" }), NOW);
    expect(c).toMatchObject({ kind: "rollback", title: "Deployment shop/web rolled back to revision 3: app web:1.1 → web:1.0", revision: "3" });
  });

  it("a restart (same images, new revision) is a deploy; a scale is a scale; both at once are two", () => {
    const d = new ChangeDetector();
    d.sync("deployments", [dep()], { report: false, now: NOW });
    expect(d.event("deployments", "MODIFIED", dep({ revision: "2" }), NOW)).toMatchObject([{ kind: "deploy", title: "Deployment shop/web rolled out revision 2: pod template changed" }]);
    expect(d.event("deployments", "MODIFIED", dep({ revision: "2", replicas: 5, generation: 3 }), NOW)).toMatchObject([{ kind: "scale", title: "Deployment shop/web scaled 2 → 5 replicas", id: "u-web:generation:3:replicas:5" }]);
    expect(d.event("deployments", "MODIFIED", dep({ revision: "3", image: "web:2", replicas: 1, generation: 4 }), NOW).map((c) => c.kind)).toEqual(["deploy", "scale"]);
  });

  it("status-only updates are no change; creation and deletion are", () => {
    const d = new ChangeDetector();
    d.sync("deployments", [dep()], { report: false, now: NOW });
    expect(d.event("deployments", "MODIFIED", dep(), NOW)).toEqual([]);
    const other = { ...dep({ images: { app: "api:3", sidecar: "envoy:1.30" } }), metadata: { ...dep().metadata, uid: "u-api", name: "api", labels: {} } };
    expect(d.event("deployments", "ADDED", other, NOW)).toMatchObject([{ id: "u-api:created", kind: "deploy", title: "Deployment shop/api created: app api:3, sidecar envoy:1.30", deployment: "api" }]);
    expect(d.event("deployments", "DELETED", other, NOW)).toMatchObject([{ id: "u-api:deleted", kind: "other", title: "Deployment shop/api deleted" }]);
  });

  it("a relist reports what changed and what disappeared while the watch was down", () => {
    const d = new ChangeDetector();
    const gone = { ...dep(), metadata: { ...dep().metadata, uid: "u-old", name: "old" } };
    d.sync("deployments", [dep(), gone], { report: false, now: NOW });
    const out = d.sync("deployments", [dep({ image: "web:1.2", revision: "2" })], { report: true, now: NOW });
    expect(out.map((c) => c.title)).toEqual(["Deployment shop/web rolled out revision 2: app web:1.0 → web:1.2", "Deployment shop/old deleted"]);
  });
});

describe("ConfigMaps", () => {
  it("a data change names the keys, never the values; metadata-only updates are no change", () => {
    const d = new ChangeDetector();
    d.sync("configmaps", [cm({ POOL_SIZE: "10", MODE: "a", OLD: "x" })], { report: false, now: NOW });
    expect(d.event("configmaps", "MODIFIED", cm({ POOL_SIZE: "10", MODE: "a", OLD: "x" }, { annotations: { "control-plane.alpha.kubernetes.io/leader": "{}" } }), NOW)).toEqual([]);
    const [c] = d.event("configmaps", "MODIFIED", cm({ POOL_SIZE: "50", MODE: "a", NEW: "secret-ish-value" }), NOW);
    expect(c).toMatchObject({ kind: "config", title: "ConfigMap shop/cfg: changed POOL_SIZE; added NEW; removed OLD", service: "web", namespace: "shop", revision: expect.stringMatching(/^sha256:[0-9a-f]{12}$/) });
    expect(JSON.stringify(c)).not.toMatch(/secret-ish-value|"50"/);
    expect(ZGenericChange.safeParse(c).success).toBe(true);
  });

  it("the CA bundle Kubernetes publishes into every namespace is not an application's config", () => {
    const d = new ChangeDetector();
    expect(d.event("configmaps", "ADDED", cm({ "ca.crt": "x" }, { name: "kube-root-ca.crt" }), NOW)).toEqual([]);
  });
});
