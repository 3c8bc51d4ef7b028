// A stand-in for the Kubernetes API server: no real one can run in tests. It serves the handful of
// endpoints the agent uses, answers with the documented JSON shapes (Deployment, Scale, Pod, Node, EventList,
// SelfSubjectAccessReview, Secret, and `Status` for failures) and records every request, so tests can assert
// exactly what went over the wire. Objects exist only once a test declares them; anything else is a 404.
//
// Deployments and ConfigMaps can also be listed and watched, as the API server does it: a list carries the
// collection's resourceVersion; `?watch=true&resourceVersion=N` answers 200 with a chunked stream of
// newline-delimited JSON events ({type: ADDED|MODIFIED|DELETED|BOOKMARK|ERROR, object}) for every change
// after N, ends after `timeoutSeconds`, and for an N older than the compacted history sends one ERROR event
// carrying a 410 `Expired` Status and closes. The deployment controller's part (bumping the
// `deployment.kubernetes.io/revision` annotation when the pod template changes) is folded into the write,
// or done a moment later as its own MODIFIED event when a test asks for that.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type RecordedRequest = { method: string; path: string; query: Record<string, string>; contentType: string | undefined; body: unknown };
// Kubernetes objects are free-form JSON here: the fake checks shapes only where the real server would.
type Obj = { [key: string]: any };
type Reply = { status: number; body: Obj | string };
export type FakeEvent = { type?: string; reason: string; message: string; involvedObject: { kind: string; name: string }; count?: number; lastTimestamp?: string };

const status = (code: number, reason: string, message: string): Reply => ({
  status: code,
  body: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code },
});
const notFound = (resource: string, name: string) => status(404, "NotFound", `${resource} "${name}" not found`);
const clone = <T>(o: T): T => structuredClone(o);
const REVISION = "deployment.kubernetes.io/revision";
type Watched = "deployments" | "configmaps";
type WatchEvent = { rv: number; resource: Watched; type: "ADDED" | "MODIFIED" | "DELETED"; object: Obj };
const COLLECTIONS: Record<Watched, { re: RegExp; apiVersion: string; kind: string; group: string }> = {
  deployments: { re: /^\/apis\/apps\/v1\/(?:namespaces\/([^/]+)\/)?deployments$/, apiVersion: "apps/v1", kind: "Deployment", group: "apps" },
  configmaps: { re: /^\/api\/v1\/(?:namespaces\/([^/]+)\/)?configmaps$/, apiVersion: "v1", kind: "ConfigMap", group: "" },
};

// Enough of strategic-merge / JSON merge patch for maps and scalars: objects merge, null deletes, anything else
// replaces. (Lists would need the schema's merge keys; the agent never patches a list.)
function mergePatch(target: Obj, patch: Obj): Obj {
  const out: Obj = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (typeof v === "object" && !Array.isArray(v) && typeof out[k] === "object" && out[k] !== null && !Array.isArray(out[k])) out[k] = mergePatch(out[k], v);
    else out[k] = clone(v);
  }
  return out;
}

export async function startFakeKubeApi(opts: { denied?: string[] } = {}) {
  const requests: RecordedRequest[] = [];
  let rv = 1000;
  const nextRv = () => String(++rv);

  const eventLine = (type: string, object: Obj) => `${JSON.stringify({ type, object })}\n`;
  /** Stores a watched object and tells every open watch of its kind (and namespace). */
  function record(resource: Watched, type: WatchEvent["type"], object: Obj) {
    const store = resource === "deployments" ? deployments : configMaps;
    const key = `${object.metadata.namespace}/${object.metadata.name}`;
    if (type === "DELETED") store.delete(key);
    else store.set(key, object);
    const e: WatchEvent = { rv: Number(object.metadata.resourceVersion), resource, type, object: clone(object) };
    history.push(e);
    for (const w of watches) if (w.resource === resource && (!w.namespace || w.namespace === object.metadata.namespace) && !w.res.writableEnded) w.res.write(eventLine(type, e.object));
  }
  /** What the deployment controller does when the pod template changes: a new ReplicaSet, the next revision. */
  const nextRevision = (d: Obj): Obj => ({
    ...d,
    metadata: { ...d.metadata, annotations: { ...d.metadata.annotations, [REVISION]: String(Number(d.metadata.annotations?.[REVISION] ?? "0") + 1) } },
  });
  const deployments = new Map<string, Obj>();
  const configMaps = new Map<string, Obj>();
  // Every write to a watched kind, in order; a watch replays what came after its resourceVersion.
  const history: WatchEvent[] = [];
  let compactedBefore = 0;
  const watchDenied = new Set<string>();
  const watches = new Set<{ resource: Watched; namespace?: string; res: ServerResponse }>();
  const pods = new Map<string, { pod: Obj; logs: string[] }>();
  const nodes = new Map<string, Obj>();
  const events = new Map<string, Obj[]>();
  const secrets = new Map<string, Obj>();
  // Keyed "resource" or "resource/subresource"; everything not listed is allowed.
  const denied = new Set(opts.denied ?? []);
  let holdWhen: ((r: RecordedRequest) => boolean) | null = null;
  const held: Array<() => void> = [];
  const arrivals: Array<() => void> = [];

  const meta = (name: string, namespace?: string) => ({
    name,
    ...(namespace ? { namespace } : {}),
    uid: randomUUID(),
    resourceVersion: nextRv(),
    creationTimestamp: new Date().toISOString(),
  });

  function patchOf(req: RecordedRequest): Obj | Reply {
    if (req.contentType === "application/json-patch+json")
      return Array.isArray(req.body) ? status(415, "UnsupportedMediaType", "fake API: JSON patch not implemented") : status(400, "BadRequest", "json: cannot unmarshal object into Go value of type jsonpatch.Patch");
    if (req.contentType !== "application/strategic-merge-patch+json" && req.contentType !== "application/merge-patch+json")
      return status(415, "UnsupportedMediaType", `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`);
    if (typeof req.body !== "object" || req.body === null || Array.isArray(req.body)) return status(400, "BadRequest", "invalid patch body");
    return req.body as Obj;
  }
  const isReply = (x: Obj | Reply): x is Reply => typeof (x as Reply).status === "number" && "body" in x;

  function handle(req: RecordedRequest): Reply {
    const dry = req.query.dryRun !== undefined;
    if (dry && req.query.dryRun !== "All") return status(400, "BadRequest", `Invalid dryRun value: ${req.query.dryRun}`);
    const m = (re: RegExp) => req.path.match(re)?.slice(1).map((v) => (v === undefined ? undefined : decodeURIComponent(v)));
    let p: Array<string | undefined> | undefined;

    if ((p = m(/^\/apis\/apps\/v1\/namespaces\/([^/]+)\/deployments\/([^/]+)(\/scale)?$/))) {
      const [ns, name, scale] = p as [string, string, string | undefined];
      if (req.method !== "PATCH") return status(405, "MethodNotAllowed", "fake API: only PATCH is served here");
      const current = deployments.get(`${ns}/${name}`);
      if (!current) return notFound("deployments.apps", name);
      const patch = patchOf(req);
      if (isReply(patch)) return patch;
      let next: Obj;
      if (scale) {
        if (typeof patch.spec?.replicas !== "number") return status(422, "Invalid", `Scale.autoscaling "${name}" is invalid: spec.replicas: Required value`);
        next = mergePatch(current, { spec: { replicas: patch.spec.replicas } });
      } else next = mergePatch(current, patch);
      // The API server bumps generation (and the controller rolls out) only when the spec actually changes.
      if (JSON.stringify(next.spec) !== JSON.stringify(current.spec)) {
        next.metadata = { ...next.metadata, generation: current.metadata.generation + 1, ...(dry ? {} : { resourceVersion: nextRv() }) };
      }
      if (!dry && next.metadata.resourceVersion !== current.metadata.resourceVersion) {
        const templateChanged = JSON.stringify(next.spec.template) !== JSON.stringify(current.spec.template);
        next = templateChanged ? nextRevision(next) : next;
        record("deployments", "MODIFIED", next);
      } else if (!dry) deployments.set(`${ns}/${name}`, next);
      if (!scale) return { status: 200, body: next };
      return {
        status: 200,
        body: {
          kind: "Scale",
          apiVersion: "autoscaling/v1",
          metadata: { name, namespace: ns, uid: next.metadata.uid, resourceVersion: next.metadata.resourceVersion, creationTimestamp: next.metadata.creationTimestamp },
          spec: { replicas: next.spec.replicas },
          // The controller has not reacted yet: status still shows the running count.
          status: { replicas: next.status.replicas, selector: `app=${name}` },
        },
      };
    }

    if ((p = m(/^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log$/))) {
      const [ns, name] = p as [string, string];
      if (req.method !== "GET") return status(405, "MethodNotAllowed", "fake API: only GET is served here");
      const entry = pods.get(`${ns}/${name}`);
      if (!entry) return notFound("pods", name);
      const containers: string[] = entry.pod.spec.containers.map((c: Obj) => c.name);
      const container = req.query.container;
      if (container === undefined && containers.length > 1)
        return status(400, "BadRequest", `a container name must be specified for pod ${name}, choose one of: [${containers.join(" ")}]`);
      if (container !== undefined && !containers.includes(container)) return status(400, "BadRequest", `container ${container} is not valid for pod ${name}`);
      const tail = req.query.tailLines ? Number(req.query.tailLines) : entry.logs.length;
      let text = entry.logs.slice(Math.max(0, entry.logs.length - tail)).map((l) => `${l}\n`).join("");
      if (req.query.limitBytes) text = Buffer.from(text).subarray(0, Number(req.query.limitBytes)).toString("utf8");
      return { status: 200, body: text };
    }

    if ((p = m(/^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)$/))) {
      const [ns, name] = p as [string, string];
      if (req.method !== "DELETE") return status(405, "MethodNotAllowed", "fake API: only DELETE is served here");
      const entry = pods.get(`${ns}/${name}`);
      if (!entry) return notFound("pods", name);
      if (!dry) pods.delete(`${ns}/${name}`);
      // A graceful delete answers with the Pod, now carrying its deletion timestamp.
      const pod = clone(entry.pod);
      pod.metadata.deletionTimestamp = new Date(Date.now() + 30_000).toISOString();
      pod.metadata.deletionGracePeriodSeconds = 30;
      return { status: 200, body: pod };
    }

    if ((p = m(/^\/api\/v1\/nodes\/([^/]+)$/))) {
      const [name] = p as [string];
      if (req.method !== "PATCH") return status(405, "MethodNotAllowed", "fake API: only PATCH is served here");
      const current = nodes.get(name);
      if (!current) return notFound("nodes", name);
      const patch = patchOf(req);
      if (isReply(patch)) return patch;
      const next = mergePatch(current, patch);
      if (!dry) nodes.set(name, { ...next, metadata: { ...next.metadata, resourceVersion: nextRv() } });
      return { status: 200, body: dry ? next : nodes.get(name)! };
    }

    if ((p = m(/^\/api\/v1\/namespaces\/([^/]+)\/events$/))) {
      const [ns] = p as [string];
      if (req.method !== "GET") return status(405, "MethodNotAllowed", "fake API: only GET is served here");
      // Equality terms only (`involvedObject.name=web,type=Warning`), which is what the agent passes through.
      const terms = (req.query.fieldSelector ?? "").split(",").filter(Boolean).map((t) => t.split("=") as [string, string]);
      const get = (o: Obj, path: string) => path.split(".").reduce<unknown>((v, k) => (v as Obj | undefined)?.[k], o);
      const items = (events.get(ns) ?? []).filter((e) => terms.every(([k, v]) => String(get(e, k)) === v));
      return { status: 200, body: { kind: "EventList", apiVersion: "v1", metadata: { resourceVersion: String(rv) }, items } };
    }

    if (req.path === "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews") {
      if (req.method !== "POST") return status(405, "MethodNotAllowed", "fake API: only POST is served here");
      const attrs = (req.body as Obj | undefined)?.spec?.resourceAttributes;
      if (!attrs) return status(422, "Invalid", "SelfSubjectAccessReview.authorization.k8s.io is invalid: spec.resourceAttributes: Required value");
      const key = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : String(attrs.resource);
      const allowed = !denied.has(key);
      return {
        status: 201,
        body: {
          kind: "SelfSubjectAccessReview",
          apiVersion: "authorization.k8s.io/v1",
          metadata: { creationTimestamp: null },
          spec: (req.body as Obj).spec,
          status: allowed ? { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "neuralops-agent"' } : { allowed: false },
        },
      };
    }

    if ((p = m(/^\/api\/v1\/namespaces\/([^/]+)\/secrets\/([^/]+)$/))) {
      const [ns, name] = p as [string, string];
      const current = secrets.get(`${ns}/${name}`);
      if (req.method === "GET") return current ? { status: 200, body: current } : notFound("secrets", name);
      if (req.method !== "PUT") return status(405, "MethodNotAllowed", "fake API: only GET and PUT are served here");
      if (!current) return notFound("secrets", name);
      const body = req.body as Obj;
      if (body?.metadata?.name !== name) return status(400, "BadRequest", `the name of the object (${body?.metadata?.name}) does not match the name on the URL (${name})`);
      const sent = body.metadata.resourceVersion;
      if (sent !== undefined && sent !== current.metadata.resourceVersion)
        return status(409, "Conflict", `Operation cannot be fulfilled on secrets "${name}": the object has been modified; please apply your changes to the latest version and try again`);
      const next = { apiVersion: "v1", kind: "Secret", type: "Opaque", ...body, metadata: { ...body.metadata, uid: current.metadata.uid, namespace: ns, resourceVersion: dry ? current.metadata.resourceVersion : nextRv() } };
      if (!dry) secrets.set(`${ns}/${name}`, next);
      return { status: 200, body: next };
    }

    return status(404, "NotFound", "the server could not find the requested resource");
  }

  /** A list or watch of Deployments or ConfigMaps (cluster-wide or in one namespace), or null for other paths. */
  function serveCollection(req: RecordedRequest, res: ServerResponse): boolean {
    if (req.method !== "GET") return false;
    const hit = (Object.keys(COLLECTIONS) as Watched[]).map((resource) => ({ resource, m: COLLECTIONS[resource].re.exec(req.path) })).find((x) => x.m);
    if (!hit) return false;
    const { resource } = hit;
    const namespace = hit.m![1] ? decodeURIComponent(hit.m![1]) : undefined;
    const spec = COLLECTIONS[resource];
    const watching = req.query.watch === "true" || req.query.watch === "1";
    if (watchDenied.has(resource)) {
      const scope = namespace ? `in the namespace "${namespace}"` : "at the cluster scope";
      send(res, status(403, "Forbidden", `${resource}${spec.group ? `.${spec.group}` : ""} is forbidden: User "system:serviceaccount:neuralops:neuralops-agent" cannot ${watching ? "watch" : "list"} resource "${resource}" in API group "${spec.group}" ${scope}`));
      return true;
    }
    const store = resource === "deployments" ? deployments : configMaps;
    const current = [...store.values()].filter((o) => !namespace || o.metadata.namespace === namespace);
    if (!watching) {
      // List items carry no kind or apiVersion; the list does.
      const items = current.map(({ kind: _k, apiVersion: _a, ...o }) => clone(o));
      send(res, { status: 200, body: { kind: `${spec.kind}List`, apiVersion: spec.apiVersion, metadata: { resourceVersion: String(rv) }, items } });
      return true;
    }
    // Headers at once, as the API server sends them: the client's watch starts before any event.
    res.writeHead(200, { "content-type": "application/json", "transfer-encoding": "chunked" });
    res.flushHeaders();
    const from = req.query.resourceVersion ? Number(req.query.resourceVersion) : 0;
    if (from && from < compactedBefore) {
      res.end(eventLine("ERROR", { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: `too old resource version: ${from} (${compactedBefore})`, reason: "Expired", code: 410 }));
      return true;
    }
    // No resourceVersion: the current objects first, as synthetic ADDED events.
    if (!from) for (const o of current) res.write(eventLine("ADDED", clone(o)));
    else for (const e of history) if (e.resource === resource && e.rv > from && (!namespace || e.object.metadata.namespace === namespace)) res.write(eventLine(e.type, clone(e.object)));
    const w = { resource, namespace, res };
    watches.add(w);
    const timer = req.query.timeoutSeconds
      ? setTimeout(() => {
          watches.delete(w);
          res.end();
        }, Number(req.query.timeoutSeconds) * 1000)
      : null;
    res.on("close", () => {
      watches.delete(w);
      if (timer) clearTimeout(timer);
    });
    arrivals.splice(0).forEach((f) => f());
    return true;
  }

  function send(res: ServerResponse, reply: Reply) {
    if (res.writableEnded || res.destroyed) return;
    const text = typeof reply.body === "string";
    res.writeHead(reply.status, { "content-type": text ? "text/plain" : "application/json" });
    res.end(text ? reply.body : JSON.stringify(reply.body));
  }

  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://fake");
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: unknown = undefined;
      if (raw) {
        try {
          body = JSON.parse(raw);
        } catch {
          body = raw;
        }
      }
      const rec: RecordedRequest = { method: req.method ?? "", path: url.pathname, query: Object.fromEntries(url.searchParams), contentType: req.headers["content-type"], body };
      requests.push(rec);
      arrivals.splice(0).forEach((f) => f());
      if (serveCollection(rec, res)) return;
      // A held request is handled only on release, as if the API server had not got to it yet.
      if (holdWhen?.(rec)) held.push(() => send(res, handle(rec)));
      else send(res, handle(rec));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    addDeployment(namespace: string, name: string, replicas = 1, labels: Record<string, string> = { app: name }): void {
      record("deployments", "ADDED", {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { ...meta(name, namespace), generation: 1, labels, annotations: { [REVISION]: "1" } },
        spec: {
          replicas,
          selector: { matchLabels: { app: name } },
          template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "app", image: `${name}:latest` }] } },
        },
        status: { observedGeneration: 1, replicas, readyReplicas: replicas, updatedReplicas: replicas, availableReplicas: replicas },
      });
    },
    getDeployment: (namespace: string, name: string): Obj | undefined => clone(deployments.get(`${namespace}/${name}`)),
    /**
     * `kubectl set image`: a new pod template (generation + 1). The controller's revision bump comes in the
     * same write, or `controllerDelayMs` later as its own MODIFIED event, as it does in a real cluster.
     */
    setDeploymentImage(namespace: string, name: string, image: string, o: { container?: string; controllerDelayMs?: number } = {}): void {
      const current = deployments.get(`${namespace}/${name}`);
      if (!current) throw new Error(`fake kube API: no deployment ${namespace}/${name}`);
      const next = clone(current);
      const c = next.spec.template.spec.containers.find((x: Obj) => x.name === (o.container ?? x.name));
      c.image = image;
      next.metadata.generation += 1;
      next.metadata.resourceVersion = nextRv();
      if (o.controllerDelayMs === undefined) return record("deployments", "MODIFIED", nextRevision(next));
      record("deployments", "MODIFIED", next);
      setTimeout(() => {
        const latest = deployments.get(`${namespace}/${name}`);
        if (!latest) return;
        const bumped = nextRevision(latest);
        record("deployments", "MODIFIED", { ...bumped, metadata: { ...bumped.metadata, resourceVersion: nextRv() } });
      }, o.controllerDelayMs);
    },
    /** `kubectl scale` (or an autoscaler): spec.replicas, no new revision. */
    scaleDeployment(namespace: string, name: string, replicas: number): void {
      const current = deployments.get(`${namespace}/${name}`);
      if (!current) throw new Error(`fake kube API: no deployment ${namespace}/${name}`);
      record("deployments", "MODIFIED", { ...clone(current), spec: { ...clone(current.spec), replicas }, metadata: { ...current.metadata, generation: current.metadata.generation + 1, resourceVersion: nextRv() } });
    },
    deleteDeployment(namespace: string, name: string): void {
      const current = deployments.get(`${namespace}/${name}`);
      if (current) record("deployments", "DELETED", { ...clone(current), metadata: { ...current.metadata, resourceVersion: nextRv() } });
    },
    addConfigMap(namespace: string, name: string, data: Record<string, string>, labels?: Record<string, string>): void {
      record("configmaps", "ADDED", { apiVersion: "v1", kind: "ConfigMap", metadata: { ...meta(name, namespace), ...(labels ? { labels } : {}) }, data: { ...data } });
    },
    setConfigMapData(namespace: string, name: string, data: Record<string, string>): void {
      const current = configMaps.get(`${namespace}/${name}`);
      if (!current) throw new Error(`fake kube API: no configmap ${namespace}/${name}`);
      record("configmaps", "MODIFIED", { ...clone(current), metadata: { ...current.metadata, resourceVersion: nextRv() }, data: { ...data } });
    },
    /** Metadata only (an annotation), as leader election and `kubectl annotate` do: no data change. */
    annotateConfigMap(namespace: string, name: string, annotations: Record<string, string>): void {
      const current = configMaps.get(`${namespace}/${name}`);
      if (!current) throw new Error(`fake kube API: no configmap ${namespace}/${name}`);
      record("configmaps", "MODIFIED", { ...clone(current), metadata: { ...current.metadata, annotations: { ...current.metadata.annotations, ...annotations }, resourceVersion: nextRv() } });
    },
    /** The history before now is compacted: a watch resuming from an older resourceVersion gets 410 Gone. */
    compactHistory(): void {
      compactedBefore = rv;
    },
    /** Ends every open watch, as an API server restart or its own watch timeout does. */
    closeWatches(): void {
      for (const w of [...watches]) {
        watches.delete(w);
        w.res.end();
      }
    },
    /** A BOOKMARK event (the current resourceVersion) on every open watch. */
    bookmark(): void {
      for (const w of watches) if (!w.res.writableEnded) w.res.write(eventLine("BOOKMARK", { kind: COLLECTIONS[w.resource].kind, apiVersion: COLLECTIONS[w.resource].apiVersion, metadata: { resourceVersion: String(rv) } }));
    },
    openWatches: (resource?: Watched) => [...watches].filter((w) => !resource || w.resource === resource).length,
    /** Refuse (403) list and watch of `deployments` or `configmaps`, as missing RBAC would. */
    setWatchAllowed(resource: Watched, allowed: boolean): void {
      if (allowed) watchDenied.delete(resource);
      else watchDenied.add(resource);
    },
    addPod(namespace: string, name: string, o: { containers?: string[]; logs?: string[]; nodeName?: string } = {}): string {
      const pod = {
        apiVersion: "v1",
        kind: "Pod",
        metadata: meta(name, namespace),
        spec: { nodeName: o.nodeName ?? "node-1", containers: (o.containers ?? ["app"]).map((c) => ({ name: c, image: `${c}:latest` })) },
        status: { phase: "Running" },
      };
      pods.set(`${namespace}/${name}`, { pod, logs: o.logs ?? [] });
      return pod.metadata.uid;
    },
    hasPod: (namespace: string, name: string) => pods.has(`${namespace}/${name}`),
    addNode(name: string): void {
      nodes.set(name, { apiVersion: "v1", kind: "Node", metadata: { ...meta(name), labels: { "kubernetes.io/hostname": name } }, spec: {}, status: { conditions: [{ type: "Ready", status: "True" }] } });
    },
    getNode: (name: string): Obj | undefined => clone(nodes.get(name)),
    addEvent(namespace: string, e: FakeEvent): void {
      const list = events.get(namespace) ?? [];
      list.push({
        apiVersion: "v1",
        kind: "Event",
        metadata: meta(`${e.involvedObject.name}.${(list.length + 1).toString(16).padStart(16, "0")}`, namespace),
        type: e.type ?? "Normal",
        reason: e.reason,
        message: e.message,
        involvedObject: { ...e.involvedObject, namespace },
        count: e.count ?? 1,
        firstTimestamp: e.lastTimestamp ?? new Date().toISOString(),
        lastTimestamp: e.lastTimestamp ?? new Date().toISOString(),
        source: { component: "kubelet" },
      });
      events.set(namespace, list);
    },
    /** `resource` or `resource/subresource`, as SelfSubjectAccessReviews name it. */
    setAllowed(resource: string, allowed: boolean): void {
      if (allowed) denied.delete(resource);
      else denied.add(resource);
    },
    /** Values are plain strings; the API stores them base64-encoded, as a real Secret's `data`. */
    setSecret(namespace: string, name: string, data: Record<string, string>, labels?: Record<string, string>): void {
      secrets.set(`${namespace}/${name}`, {
        apiVersion: "v1",
        kind: "Secret",
        type: "Opaque",
        metadata: { ...meta(name, namespace), ...(labels ? { labels } : {}) },
        data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString("base64")])),
      });
    },
    getSecret(namespace: string, name: string): { data: Record<string, string>; resourceVersion: string; metadata: Obj } | undefined {
      const s = secrets.get(`${namespace}/${name}`);
      if (!s) return undefined;
      const data = Object.fromEntries(Object.entries((s.data ?? {}) as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]));
      return { data, resourceVersion: s.metadata.resourceVersion, metadata: clone(s.metadata) };
    },
    /** Park matching requests (recorded, not yet handled) until release(). */
    hold(predicate: (r: RecordedRequest) => boolean): void {
      holdWhen = predicate;
    },
    release(): void {
      holdWhen = null;
      for (const run of held.splice(0)) run();
    },
    /** Resolves with the first recorded request matching `predicate`, waiting for it if need be. */
    async waitFor(predicate: (r: RecordedRequest) => boolean, timeoutMs = 10_000): Promise<RecordedRequest> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = requests.find(predicate);
        if (hit) return hit;
        if (Date.now() > deadline) throw new Error(`fake kube API: no matching request among ${requests.length}`);
        await new Promise<void>((r) => {
          arrivals.push(r);
          setTimeout(r, 100);
        });
      }
    },
    async close(): Promise<void> {
      holdWhen = null;
      for (const w of watches) w.res.end();
      held.splice(0);
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
export type FakeKubeApi = Awaited<ReturnType<typeof startFakeKubeApi>>;
