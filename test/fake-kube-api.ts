// A stand-in for the Kubernetes API server: no real one can run in tests. It serves the handful of
// endpoints the agent uses, answers with the documented JSON shapes (Deployment, Scale, Pod, Node, EventList,
// SelfSubjectAccessReview, Secret, and `Status` for failures) and records every request, so tests can assert
// exactly what went over the wire. Objects exist only once a test declares them; anything else is a 404.
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
  const deployments = new Map<string, Obj>();
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
      if (!dry) deployments.set(`${ns}/${name}`, next);
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
      // A held request is handled only on release, as if the API server had not got to it yet.
      if (holdWhen?.(rec)) held.push(() => send(res, handle(rec)));
      else send(res, handle(rec));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    addDeployment(namespace: string, name: string, replicas = 1): void {
      deployments.set(`${namespace}/${name}`, {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { ...meta(name, namespace), generation: 1 },
        spec: {
          replicas,
          selector: { matchLabels: { app: name } },
          template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "app", image: `${name}:latest` }] } },
        },
        status: { observedGeneration: 1, replicas, readyReplicas: replicas, updatedReplicas: replicas, availableReplicas: replicas },
      });
    },
    getDeployment: (namespace: string, name: string): Obj | undefined => clone(deployments.get(`${namespace}/${name}`)),
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
      held.splice(0);
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
export type FakeKubeApi = Awaited<ReturnType<typeof startFakeKubeApi>>;
