// The Kubernetes side of each agent action. Every request stays inside the permissions agent/rbac.ts grants
// for that action (one verb on one resource): mutations are a single PATCH or DELETE, with `dryRun=All` for
// the server-side dry run; reads are a single GET, and their "dry run" is a SelfSubjectAccessReview, since a
// GET has no dry-run mode and the review needs no extra permission.
import { ApiException, AppsV1Api, AuthorizationV1Api, CoreV1Api, PatchStrategy, setHeaderOptions, type KubeConfig } from "@kubernetes/client-node";
import type { z } from "zod";
import type { AgentK8sAction, Outcome } from "@/lib/agents/protocol";
import { K8S_SCHEMAS } from "@/lib/orchestrator/actions/k8s-schemas";

export type KubeActionRequest = { action: AgentK8sAction; params: Record<string, unknown>; dryRun: boolean; idempotencyKey?: string };

/** What `k8s.logs` returns at most: the newest lines that fit. */
export const LOG_OUTPUT_CAP_BYTES = 256 * 1024;
// What the API server may send at all (`limitBytes`), so a pod with enormous lines cannot exhaust the agent's
// memory. The server cuts the *end* of the tail at this limit, so it sits well above the output cap.
const LOG_READ_LIMIT_BYTES = 4 * 1024 * 1024;
export const EVENTS_CAP = 200;
const DRY_RUN_OK = "server-side dry run accepted";
const EVENT_MESSAGE_CAP = 1024;
// An idempotency key is required for a real restart; a dry run writes nothing, so any stable value will do.
const DRY_RUN_RESTART_KEY = "dry-run";
const RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";

type Ctx = { kc: KubeConfig; action: AgentK8sAction; dryRun: boolean; idempotencyKey?: string };

const dryRunParam = (ctx: Ctx) => (ctx.dryRun ? "All" : undefined);
const smp = () => setHeaderOptions("Content-Type", PatchStrategy.StrategicMergePatch);
const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
const iso = (d: Date | string | undefined) => (d instanceof Date ? d.toISOString() : d);

function fail(ctx: Ctx, exitStatus: number, error: string, summary = `${ctx.action} failed: ${error}`): Outcome {
  return { ok: false, exitStatus, summary: clip(summary, 2000), error: clip(error, 4000) };
}

function handler<S extends z.ZodType>(schema: S, run: (p: z.output<S>, ctx: Ctx) => Promise<Outcome>) {
  return async (params: unknown, ctx: Ctx): Promise<Outcome> => {
    const parsed = schema.safeParse(params);
    if (!parsed.success) return fail(ctx, 1, parsed.error.issues.map((i) => `${i.path.join(".") || "params"}: ${i.message}`).join("; "), `${ctx.action}: invalid parameters`);
    return run(parsed.data, ctx);
  };
}

async function accessReview(ctx: Ctx, attrs: { verb: string; resource: string; subresource?: string; namespace: string; name?: string }, what: string): Promise<Outcome> {
  const review = await ctx.kc.makeApiClient(AuthorizationV1Api).createSelfSubjectAccessReview({
    body: { apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectAccessReview", spec: { resourceAttributes: { group: "", ...attrs } } },
  });
  const allowed = review.status?.allowed === true;
  const output = { allowed, verb: attrs.verb, resource: attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource, namespace: attrs.namespace, ...(attrs.name ? { name: attrs.name } : {}) };
  if (allowed) return { ok: true, exitStatus: 0, summary: `may ${what} (access check: allowed)`, output };
  const why = review.status?.reason ? `: ${review.status.reason}` : "";
  return { ...fail(ctx, 1, `the agent's service account may not ${attrs.verb} ${output.resource} in namespace ${attrs.namespace}${why}`, `may not ${what} (access check: denied)`), output };
}

const HANDLERS: Record<AgentK8sAction, (params: unknown, ctx: Ctx) => Promise<Outcome>> = {
  "k8s.rollout_restart": handler(K8S_SCHEMAS["k8s.rollout_restart"].omit({ cluster: true }), async (p, ctx) => {
    const key = ctx.idempotencyKey ?? (ctx.dryRun ? DRY_RUN_RESTART_KEY : undefined);
    if (!key) return fail(ctx, 1, "an idempotency key is required to restart a deployment");
    // The key, not a timestamp, is the annotation value: a redelivered or retried step sends the identical
    // patch, which changes nothing in the pod template and so starts no second rollout.
    const body = { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: key } } } } };
    const d = await ctx.kc
      .makeApiClient(AppsV1Api)
      .patchNamespacedDeployment({ name: p.deployment, namespace: p.namespace, body, dryRun: dryRunParam(ctx) }, smp());
    const where = `${p.namespace}/${p.deployment}`;
    return {
      ok: true,
      exitStatus: 0,
      // A dry run's summary follows the orchestrator's description of the step ("restart deployment …: <this>").
      summary: ctx.dryRun ? DRY_RUN_OK : `restarted deployment ${where} (generation ${d.metadata?.generation ?? "?"})`,
      output: {
        deployment: p.deployment,
        namespace: p.namespace,
        restartedAt: key,
        generation: d.metadata?.generation,
        observedGeneration: d.status?.observedGeneration,
        resourceVersion: d.metadata?.resourceVersion,
        dryRun: ctx.dryRun,
      },
    };
  }),

  "k8s.scale": handler(K8S_SCHEMAS["k8s.scale"].omit({ cluster: true }), async (p, ctx) => {
    // A JSON merge patch, as `kubectl scale` sends: the Scale object has no lists, so a strategic merge would
    // add nothing, and merge patch is what every scale subresource accepts (custom resources reject strategic).
    const s = await ctx.kc
      .makeApiClient(AppsV1Api)
      .patchNamespacedDeploymentScale(
        { name: p.deployment, namespace: p.namespace, body: { spec: { replicas: p.replicas } }, dryRun: dryRunParam(ctx) },
        setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
      );
    const running = s.status?.replicas;
    const where = `${p.namespace}/${p.deployment}`;
    return {
      ok: true,
      exitStatus: 0,
      summary: ctx.dryRun ? `${DRY_RUN_OK}; ${running ?? "?"} running now` : `scaled deployment ${where} to ${s.spec?.replicas ?? p.replicas} replicas (${running ?? "?"} running before)`,
      output: { deployment: p.deployment, namespace: p.namespace, replicas: s.spec?.replicas, previousReplicas: running, resourceVersion: s.metadata?.resourceVersion, dryRun: ctx.dryRun },
    };
  }),

  "k8s.delete_pod": handler(K8S_SCHEMAS["k8s.delete_pod"].omit({ cluster: true }), async (p, ctx) => {
    const pod = await ctx.kc.makeApiClient(CoreV1Api).deleteNamespacedPod({ name: p.pod, namespace: p.namespace, dryRun: dryRunParam(ctx) });
    return {
      ok: true,
      exitStatus: 0,
      summary: ctx.dryRun ? DRY_RUN_OK : `deleted pod ${p.namespace}/${p.pod}`,
      output: {
        pod: p.pod,
        namespace: p.namespace,
        // Absent when the server answers with a Status instead of the Pod (an immediate deletion).
        ...(pod.metadata?.uid ? { uid: pod.metadata.uid } : {}),
        ...(pod.metadata?.deletionTimestamp ? { deletionTimestamp: iso(pod.metadata.deletionTimestamp) } : {}),
        dryRun: ctx.dryRun,
      },
    };
  }),

  "k8s.cordon": handler(K8S_SCHEMAS["k8s.cordon"].omit({ cluster: true }), async (p, ctx) => {
    const node = await ctx.kc.makeApiClient(CoreV1Api).patchNode({ name: p.node, body: { spec: { unschedulable: true } }, dryRun: dryRunParam(ctx) }, smp());
    return {
      ok: true,
      exitStatus: 0,
      summary: ctx.dryRun ? DRY_RUN_OK : `cordoned node ${p.node}`,
      output: { node: p.node, unschedulable: node.spec?.unschedulable === true, resourceVersion: node.metadata?.resourceVersion, dryRun: ctx.dryRun },
    };
  }),

  "k8s.logs": handler(K8S_SCHEMAS["k8s.logs"].omit({ cluster: true }), async (p, ctx) => {
    const where = `${p.namespace}/${p.pod}${p.container ? ` container ${p.container}` : ""}`;
    if (ctx.dryRun) return accessReview(ctx, { verb: "get", resource: "pods", subresource: "log", namespace: p.namespace, name: p.pod }, `read logs of pod ${where}`);
    const text = await ctx.kc
      .makeApiClient(CoreV1Api)
      .readNamespacedPodLog({ name: p.pod, namespace: p.namespace, container: p.container, tailLines: p.tailLines, limitBytes: LOG_READ_LIMIT_BYTES });
    const all = (text ?? "").split("\n");
    if (all.at(-1) === "") all.pop();
    const { lines, cut } = newestWithin(all, LOG_OUTPUT_CAP_BYTES);
    // Reaching the read limit means the server stopped early: the tail's end is missing.
    const truncated = cut || Buffer.byteLength(text ?? "") >= LOG_READ_LIMIT_BYTES;
    return {
      ok: true,
      exitStatus: 0,
      summary: `read ${lines.length} log line${lines.length === 1 ? "" : "s"} of pod ${where}${truncated ? ` (truncated to the newest ${LOG_OUTPUT_CAP_BYTES / 1024} KiB)` : ""}`,
      output: { pod: p.pod, namespace: p.namespace, ...(p.container ? { container: p.container } : {}), lines, truncated },
    };
  }),

  "k8s.events": handler(K8S_SCHEMAS["k8s.events"].omit({ cluster: true }), async (p, ctx) => {
    const matching = p.fieldSelector ? ` matching ${p.fieldSelector}` : "";
    if (ctx.dryRun) return accessReview(ctx, { verb: "list", resource: "events", namespace: p.namespace }, `list events in namespace ${p.namespace}${matching}`);
    const list = await ctx.kc.makeApiClient(CoreV1Api).listNamespacedEvent({ namespace: p.namespace, fieldSelector: p.fieldSelector });
    const when = (e: (typeof list.items)[number]) => e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp;
    // The API lists in key order, not by time; the newest events are the ones worth the space.
    const newest = [...list.items].sort((a, b) => (new Date(when(b) ?? 0).getTime() || 0) - (new Date(when(a) ?? 0).getTime() || 0)).slice(0, EVENTS_CAP);
    const events = newest.map((e) => ({
      type: e.type,
      reason: e.reason,
      message: e.message === undefined ? undefined : clip(e.message, EVENT_MESSAGE_CAP),
      involvedObject: { kind: e.involvedObject?.kind, name: e.involvedObject?.name },
      count: e.count,
      lastTimestamp: iso(when(e)),
    }));
    const warnings = events.filter((e) => e.type === "Warning").length;
    const truncated = list.items.length > events.length;
    return {
      ok: true,
      exitStatus: 0,
      summary: `listed ${list.items.length} event${list.items.length === 1 ? "" : "s"} in namespace ${p.namespace}${matching} (${warnings} Warning${truncated ? `; newest ${EVENTS_CAP} kept` : ""})`,
      output: { namespace: p.namespace, events, total: list.items.length, truncated },
    };
  }),
};

/** The newest lines whose UTF-8 size (with newlines) fits in `cap`; a single oversized last line keeps its end. */
function newestWithin(lines: string[], cap: number): { lines: string[]; cut: boolean } {
  let size = 0;
  let i = lines.length;
  while (i > 0 && size + Buffer.byteLength(lines[i - 1]!) + 1 <= cap) size += Buffer.byteLength(lines[--i]!) + 1;
  // A UTF-16 code unit never takes more than 3 bytes in UTF-8, so a third of the cap in characters fits.
  if (i === lines.length && lines.length > 0) return { lines: [lines.at(-1)!.slice(-Math.floor(cap / 3))], cut: true };
  return { lines: lines.slice(i), cut: i > 0 };
}

function errorOutcome(ctx: Ctx, e: unknown): Outcome {
  if (e instanceof ApiException) {
    const code = e.code;
    // client-node 1.x leaves the response body as text: for API errors, a `Status` object.
    const body: unknown = e.body;
    let message = code === 401 ? "HTTP 401 Unauthorized" : `HTTP ${code}`;
    if (typeof body === "string" && body) {
      try {
        const status = JSON.parse(body) as { message?: unknown };
        if (typeof status.message === "string" && status.message) message = status.message;
      } catch {
        message = `HTTP ${code}: ${clip(body, 500)}`;
      }
    }
    return fail(ctx, code, message);
  }
  return fail(ctx, 1, e instanceof Error ? e.message : String(e));
}

export async function runKubeAction(kc: KubeConfig, req: KubeActionRequest): Promise<Outcome> {
  const ctx: Ctx = { kc, action: req.action, dryRun: req.dryRun, idempotencyKey: req.idempotencyKey };
  const run = HANDLERS[req.action];
  if (!run) return fail(ctx, 1, `${req.action} is not a Kubernetes action`);
  try {
    return await run(req.params, ctx);
  } catch (e) {
    return errorOutcome(ctx, e);
  }
}
