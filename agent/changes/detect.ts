// What counts as a change, from the objects the watch sees. Pure (no I/O, the clock is passed in): the
// agent keeps a small state per Deployment and ConfigMap and turns differences into change events in the
// generic shape of POST /api/v1/changes.
//
//   Deployment: a new `deployment.kubernetes.io/revision` (the controller's count of pod templates) is a
//     rollout, "rollback" when its images are those of an earlier revision; a new spec.replicas is a scale;
//     creation and deletion are changes too.
//   ConfigMap: a different set of keys or values is a config change. Only key names leave the cluster,
//     never values (they can be credentials someone put in the wrong place).
//
// Nothing else of an object is sent: not its env, not its annotations, not its data.
import { createHash } from "node:crypto";

export const REVISION_ANNOTATION = "deployment.kubernetes.io/revision";
export type Resource = "deployments" | "configmaps";
export type WatchType = "ADDED" | "MODIFIED" | "DELETED";

/** A change as POST /api/v1/changes takes it (the generic shape, source "kubernetes"). */
export type ChangeEvent = {
  id: string;
  source: "kubernetes";
  at: string;
  kind: "deploy" | "rollback" | "config" | "scale" | "other";
  title: string;
  namespace: string;
  service?: string;
  deployment?: string;
  labels: Record<string, string>;
  revision?: string;
  version?: string;
};

// Kubernetes objects arrive as parsed JSON; only these fields are read.
export type KubeObject = {
  metadata?: { uid?: string; name?: string; namespace?: string; resourceVersion?: string; generation?: number; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: { replicas?: number; template?: { spec?: { containers?: { name: string; image?: string }[] } } };
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
};

type Meta = { uid: string; namespace: string; name: string; labels: Record<string, string>; resourceVersion: string };
export type DeploymentState = Meta & { revision: string | null; images: [string, string][]; replicas: number | null; generation: number | null };
export type ConfigMapState = Meta & { keys: Record<string, string> };

// The server's limits for a change (lib/changes/schemas.ts): at most 50 labels of ≤ 200-character names.
const MAX_LABELS = 50;
const TITLE_MAX = 500;
const NAME_MAX = 253;
// Cluster plumbing, not an application's configuration: the CA bundle published into every namespace.
const IGNORED_CONFIGMAPS = new Set(["kube-root-ca.crt"]);
const REVISIONS_KEPT = 20;

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
const sha = (s: string) => createHash("sha256").update(s).digest("hex");

function meta(o: KubeObject): Meta | null {
  const m = o.metadata;
  if (!m?.uid || !m.name || !m.namespace) return null;
  const labels = Object.fromEntries(Object.entries(m.labels ?? {}).filter(([k]) => k.length <= 200).slice(0, MAX_LABELS));
  return { uid: m.uid, namespace: m.namespace, name: m.name, labels, resourceVersion: m.resourceVersion ?? "" };
}

export function deploymentState(o: KubeObject): DeploymentState | null {
  const m = meta(o);
  if (!m) return null;
  const images = (o.spec?.template?.spec?.containers ?? []).map((c) => [c.name, c.image ?? ""] as [string, string]).sort(([a], [b]) => a.localeCompare(b));
  return { ...m, revision: o.metadata?.annotations?.[REVISION_ANNOTATION] ?? null, images, replicas: typeof o.spec?.replicas === "number" ? o.spec.replicas : null, generation: o.metadata?.generation ?? null };
}

export function configMapState(o: KubeObject): ConfigMapState | null {
  const m = meta(o);
  if (!m || IGNORED_CONFIGMAPS.has(m.name)) return null;
  const keys: Record<string, string> = {};
  for (const [k, v] of Object.entries(o.data ?? {})) keys[k] = sha(v);
  for (const [k, v] of Object.entries(o.binaryData ?? {})) keys[`${k} (binary)`] = sha(v);
  return { ...m, keys };
}

/** The service a workload belongs to, by the labels people use for it. */
const serviceOf = (labels: Record<string, string>) => labels["app.kubernetes.io/name"] ?? labels.app ?? labels["k8s-app"];
const sameImages = (a: [string, string][], b: [string, string][]) => JSON.stringify(a) === JSON.stringify(b);

function imageChanges(from: [string, string][], to: [string, string][]): string {
  const before = new Map(from);
  const parts = to.filter(([c, img]) => before.get(c) !== img).map(([c, img]) => (before.has(c) ? `${c} ${before.get(c)} → ${img}` : `+${c} ${img}`));
  const removed = from.filter(([c]) => !to.some(([x]) => x === c)).map(([c]) => `-${c}`);
  return [...parts, ...removed].join(", ") || "pod template changed";
}

export class ChangeDetector {
  private deployments = new Map<string, DeploymentState>();
  private configMaps = new Map<string, ConfigMapState>();
  // Images per revision of each Deployment, to tell a rollback (back to an earlier revision's images).
  private revisionImages = new Map<string, Map<string, [string, string][]>>();

  /**
   * After a list: the objects as they are now. The first list only sets the baseline (what happened before
   * the agent started is not known); a relist (after 410 Gone) reports what differs from what was known.
   */
  sync(resource: Resource, objects: KubeObject[], { report, now, namespace }: { report: boolean; now: Date; namespace?: string }): ChangeEvent[] {
    const known = resource === "deployments" ? this.deployments : this.configMaps;
    const seen = new Set<string>();
    const out: ChangeEvent[] = [];
    for (const o of objects) {
      const uid = o.metadata?.uid;
      if (uid) seen.add(uid);
      if (report) out.push(...this.event(resource, uid && known.has(uid) ? "MODIFIED" : "ADDED", o, now));
      else this.remember(resource, o);
    }
    for (const [uid, state] of [...known]) {
      // A list of one namespace says nothing about the objects of another.
      if (seen.has(uid) || (namespace !== undefined && state.namespace !== namespace)) continue;
      if (report) out.push(...this.gone(resource, state, now));
      else this.forget(resource, uid);
    }
    return out;
  }

  /** One watch event → zero or more changes. */
  event(resource: Resource, type: WatchType, o: KubeObject, now: Date): ChangeEvent[] {
    if (resource === "deployments") {
      const next = deploymentState(o);
      if (!next) return [];
      if (type === "DELETED") return this.gone(resource, next, now);
      const prev = this.deployments.get(next.uid);
      this.remember(resource, o);
      return prev ? this.deploymentChanges(prev, next, now) : [this.deploymentCreated(next, now)];
    }
    const next = configMapState(o);
    if (!next) return [];
    if (type === "DELETED") return this.gone(resource, next, now);
    const prev = this.configMaps.get(next.uid);
    this.remember(resource, o);
    return prev ? this.configMapChanges(prev, next, now) : [this.configMapCreated(next, now)];
  }

  private remember(resource: Resource, o: KubeObject) {
    if (resource === "deployments") {
      const s = deploymentState(o);
      if (!s) return;
      this.deployments.set(s.uid, s);
      const revs = this.revisionImages.get(s.uid) ?? new Map<string, [string, string][]>();
      // The first images seen at a revision are that revision's: the template change arrives before the
      // controller's revision bump, so a later write at the same revision may already carry the next images.
      if (s.revision && !revs.has(s.revision)) revs.set(s.revision, s.images);
      // Like the Deployment's own revisionHistoryLimit: a rollback goes to a recent revision.
      for (const old of [...revs.keys()].slice(0, Math.max(0, revs.size - REVISIONS_KEPT))) revs.delete(old);
      this.revisionImages.set(s.uid, revs);
    } else {
      const s = configMapState(o);
      if (s) this.configMaps.set(s.uid, s);
    }
  }

  private forget(resource: Resource, uid: string) {
    if (resource === "deployments") {
      this.deployments.delete(uid);
      this.revisionImages.delete(uid);
    } else this.configMaps.delete(uid);
  }

  private base(s: Meta, now: Date) {
    const service = serviceOf(s.labels);
    return { source: "kubernetes" as const, at: now.toISOString(), namespace: s.namespace, ...(service ? { service: clip(service, NAME_MAX) } : {}), labels: s.labels };
  }

  private deploymentChanges(prev: DeploymentState, next: DeploymentState, now: Date): ChangeEvent[] {
    const out: ChangeEvent[] = [];
    const where = `${next.namespace}/${next.name}`;
    if (prev.revision && next.revision && prev.revision !== next.revision) {
      const revs = this.revisionImages.get(next.uid)!;
      const from = revs.get(prev.revision) ?? prev.images;
      const rollback = !sameImages(from, next.images) && [...revs].some(([r, imgs]) => r !== prev.revision && r !== next.revision && Number(r) < Number(next.revision) && sameImages(imgs, next.images));
      out.push({
        ...this.base(next, now),
        id: `${next.uid}:revision:${next.revision}`,
        kind: rollback ? "rollback" : "deploy",
        title: clip(`Deployment ${where} ${rollback ? "rolled back to" : "rolled out"} revision ${next.revision}: ${imageChanges(from, next.images)}`, TITLE_MAX),
        deployment: next.name,
        revision: next.revision,
        ...(next.images.length === 1 ? { version: clip(next.images[0]![1], NAME_MAX) } : {}),
      });
    }
    if (prev.replicas !== null && next.replicas !== null && prev.replicas !== next.replicas) {
      out.push({
        ...this.base(next, now),
        id: `${next.uid}:generation:${next.generation ?? next.resourceVersion}:replicas:${next.replicas}`,
        kind: "scale",
        title: `Deployment ${where} scaled ${prev.replicas} → ${next.replicas} replicas`,
        deployment: next.name,
      });
    }
    return out;
  }

  private deploymentCreated(s: DeploymentState, now: Date): ChangeEvent {
    return {
      ...this.base(s, now),
      id: `${s.uid}:created`,
      kind: "deploy",
      title: clip(`Deployment ${s.namespace}/${s.name} created: ${s.images.map(([c, i]) => `${c} ${i}`).join(", ")}`, TITLE_MAX),
      deployment: s.name,
      ...(s.revision ? { revision: s.revision } : {}),
      ...(s.images.length === 1 ? { version: clip(s.images[0]![1], NAME_MAX) } : {}),
    };
  }

  private configMapChanges(prev: ConfigMapState, next: ConfigMapState, now: Date): ChangeEvent[] {
    const keys = new Set([...Object.keys(prev.keys), ...Object.keys(next.keys)]);
    const changed: string[] = [];
    const added: string[] = [];
    const removed: string[] = [];
    for (const k of [...keys].sort()) {
      if (!(k in prev.keys)) added.push(k);
      else if (!(k in next.keys)) removed.push(k);
      else if (prev.keys[k] !== next.keys[k]) changed.push(k);
    }
    // Labels or annotations only (leader election, kubectl annotate): not a configuration change.
    if (!changed.length && !added.length && !removed.length) return [];
    const what = [changed.length ? `changed ${changed.join(", ")}` : "", added.length ? `added ${added.join(", ")}` : "", removed.length ? `removed ${removed.join(", ")}` : ""].filter(Boolean).join("; ");
    return [
      {
        ...this.base(next, now),
        id: `${next.uid}:rv:${next.resourceVersion}`,
        kind: "config",
        title: clip(`ConfigMap ${next.namespace}/${next.name}: ${what}`, TITLE_MAX),
        revision: contentVersion(next),
      },
    ];
  }

  private configMapCreated(s: ConfigMapState, now: Date): ChangeEvent {
    const keys = Object.keys(s.keys).sort();
    return { ...this.base(s, now), id: `${s.uid}:created`, kind: "config", title: clip(`ConfigMap ${s.namespace}/${s.name} created${keys.length ? ` with ${keys.join(", ")}` : ""}`, TITLE_MAX), revision: contentVersion(s) };
  }

  private gone(resource: Resource, s: DeploymentState | ConfigMapState, now: Date): ChangeEvent[] {
    this.forget(resource, s.uid);
    const what = resource === "deployments" ? "Deployment" : "ConfigMap";
    return [
      {
        ...this.base(s, now),
        id: `${s.uid}:deleted`,
        kind: resource === "deployments" ? "other" : "config",
        title: `${what} ${s.namespace}/${s.name} deleted`,
        ...(resource === "deployments" ? { deployment: s.name } : {}),
      },
    ];
  }
}

/** A short digest of a ConfigMap's content (its keys' digests), to tell versions apart without its values. */
const contentVersion = (s: ConfigMapState) => `sha256:${sha(JSON.stringify(Object.entries(s.keys).sort())).slice(0, 12)}`;
