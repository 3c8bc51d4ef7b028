// What the install artifacts give the agent, checked without a cluster: the plain manifests and the Helm chart
// (rendered by deploy/render-helm.ts with several value sets) must be valid Kubernetes objects, grant exactly
// the RBAC that agent/rbac.ts says the allow-listed actions need, and hand the agent (agent/config.ts) the
// allowlist, environment and locked-down pod it expects. What needs a real cluster is listed in agent/README.md.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { parse as parseYaml } from "yaml";
import { AGENT_VERSION, loadConfig, readAllowlist, type AgentConfig } from "@/agent/config";
import { ACTION_RBAC, ALLOWLIST_CONFIGMAP_NAME, CHANGE_WATCH_RBAC, IDENTITY_RULE, IDENTITY_SECRET_NAME, RELAY_SECRET_KEY, RELAY_SECRET_NAME, type PolicyRule } from "@/agent/rbac";
import { RELAY_SECRET_MIN_LENGTH } from "@/agent/relay";
import { AGENT_ACTIONS, AGENT_CONNECT_PATH, type AgentAction } from "@/lib/agents/protocol";
import { DNS_LABEL, parseDocs, validateObject, type Dict, type K8sObject, type Meta } from "./k8s-schema";
import { renderChart, renderString, type RenderOptions } from "./render-helm";

// The agent reads its allowlist with readFileSync; while `vfs.files` is set, reads see only the files a pod
// spec would put in the container (and record what was read), so the test follows the agent's own default
// path instead of assuming it.
const vfs = vi.hoisted(() => ({ files: null as Map<string, string> | null, reads: [] as string[] }));
vi.mock("node:fs", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs")>();
  const readFileSync = ((file: unknown, ...rest: unknown[]) => {
    if (vfs.files && typeof file === "string") {
      vfs.reads.push(file);
      const content = vfs.files.get(file);
      if (content === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${file}'`), { code: "ENOENT" });
      return content;
    }
    return (real.readFileSync as (...a: unknown[]) => unknown)(file, ...rest);
  }) as typeof real.readFileSync;
  return { ...real, default: { ...real, readFileSync }, readFileSync };
});

function withFiles<T>(files: Map<string, string>, fn: () => T): { result: T; reads: string[] } {
  vfs.files = files;
  vfs.reads = [];
  try {
    return { result: fn(), reads: vfs.reads };
  } finally {
    vfs.files = null;
  }
}

const ROOT = path.resolve(import.meta.dirname, "..");
const CHART = path.join(ROOT, "deploy/helm/neuralops-agent");
const MANIFESTS = path.join(ROOT, "deploy/manifests/neuralops-agent.yaml");
const URL_ = "https://neuralops.example.com";
const TOKEN = "REPLACE_WITH_BOOTSTRAP_TOKEN";
const RELAY_PLACEHOLDER = "REPLACE_WITH_RELAY_SECRET";
// Where Prometheus finds the relay secret: the Prometheus Operator mounts `spec.secrets` there, and the chart's
// NOTES tell a plain Prometheus to mount it at the same place.
const RELAY_CREDENTIALS_FILE = `/etc/prometheus/secrets/${RELAY_SECRET_NAME}/${RELAY_SECRET_KEY}`;
const PROMETHEUS = { namespace: "monitoring", podLabels: { "app.kubernetes.io/name": "prometheus" } };
const GATEWAY = `wss://neuralops.example.com${AGENT_CONNECT_PATH}`;
const IMAGE = `ghcr.io/neuralops/agent:${AGENT_VERSION}`;
const SA_NAME = "neuralops-agent";

// ---------------------------------------------------------------------------------------------------------
// The renders under test

type Variant = {
  docs: K8sObject[];
  agentNs: string;
  /** The namespaces the namespaced actions are granted in; empty means everywhere. */
  namespaces: string[];
  /** The actions the variant asked for. */
  actions: readonly AgentAction[];
  url: string;
  maxWriteBytes: number;
  prometheusUrl?: string;
  gatewayUrl: string;
  /** Where the journal lives: a claim of this size (and class, when one is named), or a plain emptyDir. */
  state: { size: string; storageClassName?: string } | "emptyDir";
  /** The change watch (list/watch of Deployments and ConfigMaps), bound like a namespaced action. */
  changeWatch: boolean;
  /** The Prometheus allowed to remote_write to the relay. */
  prometheus: { namespace: string; podLabels: Record<string, string> };
};

function render(values: Dict, opts: Omit<RenderOptions, "values"> = {}) {
  return renderChart(CHART, { releaseName: "neuralops-agent", namespace: "neuralops", ...opts, values: { controlPlaneUrl: URL_, bootstrapToken: TOKEN, ...values } });
}
function renderDocs(values: Dict, opts: Omit<RenderOptions, "values"> = {}) {
  return parseDocs(render(values, opts).manifest, "chart");
}

const FEW: AgentAction[] = ["k8s.rollout_restart", "k8s.cordon", "k8s.logs", "prometheus.query_range"];
// Rendered lazily, so that a chart that fails to render fails these tests rather than the whole file.
type VariantSpec = Omit<Variant, "docs"> & { load: () => K8sObject[] };
const SPECS: Record<string, VariantSpec> = {
  "plain manifests": {
    load: () => parseDocs(readFileSync(MANIFESTS, "utf8"), "manifests"),
    agentNs: "neuralops",
    namespaces: [],
    actions: AGENT_ACTIONS,
    url: URL_,
    maxWriteBytes: 1048576,
    gatewayUrl: GATEWAY,
    state: { size: "64Mi" },
    prometheus: PROMETHEUS,
    changeWatch: true,
  },
  "chart, default values": {
    load: () => renderDocs({}),
    agentNs: "neuralops",
    namespaces: [],
    actions: AGENT_ACTIONS,
    url: URL_,
    maxWriteBytes: 1048576,
    gatewayUrl: GATEWAY,
    state: { size: "64Mi" },
    prometheus: PROMETHEUS,
    changeWatch: true,
  },
  "chart, namespaces [a, b] and fewer actions": {
    load: () => renderDocs({ namespaces: ["a", "b"], allowedActions: FEW }),
    agentNs: "neuralops",
    namespaces: ["a", "b"],
    actions: FEW,
    url: URL_,
    maxWriteBytes: 1048576,
    gatewayUrl: GATEWAY,
    state: { size: "64Mi" },
    prometheus: PROMETHEUS,
    changeWatch: true,
  },
  "chart, other release/namespace, namespaces [shop], prometheus (in the agent's namespace), remote_write and persistence set": {
    load: () => renderDocs(
      {
        controlPlaneUrl: "https://ops.example.org/",
        gatewayUrl: "wss://agents.example.org/connect",
        namespaces: ["shop"],
        prometheus: { url: "http://prometheus-server.ops-agent.svc:9090", namespace: "ops-agent", podLabels: { app: "prometheus", component: "server" } },
        remoteWrite: { maxBytes: 4194304 },
        persistence: { storageClass: "fast-ssd", size: "128Mi" },
      },
      { releaseName: "agent", namespace: "ops-agent" },
    ),
    agentNs: "ops-agent",
    namespaces: ["shop"],
    actions: AGENT_ACTIONS,
    url: "https://ops.example.org/",
    maxWriteBytes: 4194304,
    prometheusUrl: "http://prometheus-server.ops-agent.svc:9090",
    gatewayUrl: "wss://agents.example.org/connect",
    state: { size: "128Mi", storageClassName: "fast-ssd" },
    prometheus: { namespace: "ops-agent", podLabels: { app: "prometheus", component: "server" } },
    changeWatch: true,
  },
  "chart, no actions, storage class \"-\" (a pre-created volume)": {
    load: () => renderDocs({ allowedActions: [], persistence: { storageClass: "-" } }),
    agentNs: "neuralops",
    namespaces: [],
    actions: [],
    url: URL_,
    maxWriteBytes: 1048576,
    gatewayUrl: GATEWAY,
    state: { size: "64Mi", storageClassName: "" },
    prometheus: PROMETHEUS,
    changeWatch: true,
  },
  "chart, persistence off": {
    load: () => renderDocs({ persistence: { enabled: false } }),
    agentNs: "neuralops",
    namespaces: [],
    actions: AGENT_ACTIONS,
    url: URL_,
    maxWriteBytes: 1048576,
    gatewayUrl: GATEWAY,
    state: "emptyDir",
    prometheus: PROMETHEUS,
    changeWatch: true,
  },
};

SPECS["chart, change watch off, namespaces [a]"] = {
  load: () => renderDocs({ changeWatch: { enabled: false }, namespaces: ["a"] }),
  agentNs: "neuralops",
  namespaces: ["a"],
  actions: AGENT_ACTIONS,
  url: URL_,
  maxWriteBytes: 1048576,
  gatewayUrl: GATEWAY,
  state: { size: "64Mi" },
  prometheus: PROMETHEUS,
  changeWatch: false,
};

const loaded = new Map<string, Variant>();
function variant(name: string): Variant {
  let v = loaded.get(name);
  if (!v) {
    const spec = SPECS[name];
    if (!spec) throw new Error(`no variant ${name}`);
    const { load, ...rest } = spec;
    v = { ...rest, docs: load() };
    loaded.set(name, v);
  }
  return v;
}

const find = (docs: K8sObject[], kind: string, name: string, namespace?: string) =>
  docs.find((d) => d.kind === kind && d.metadata.name === name && (namespace === undefined || d.metadata.namespace === namespace));
function the<T = K8sObject>(docs: K8sObject[], kind: string, name: string, namespace?: string): T {
  const d = find(docs, kind, name, namespace);
  if (!d) throw new Error(`no ${kind} ${namespace ?? ""}/${name}`);
  return d as unknown as T;
}

// ---------------------------------------------------------------------------------------------------------
// RBAC as sets of atomic grants: scope|apiGroup|resource|verb|resourceName, scope "*" = cluster-wide

function grants(rules: PolicyRule[], scope: string): string[] {
  return rules.flatMap((r) =>
    r.apiGroups.flatMap((g) => r.resources.flatMap((res) => r.verbs.flatMap((v) => (r.resourceNames?.length ? r.resourceNames : ["*"]).map((n) => `${scope}|${g}|${res}|${v}|${n}`)))),
  );
}

type Binding = K8sObject & { roleRef: { apiGroup: string; kind: string; name: string }; subjects?: { kind: string; name: string; namespace?: string }[] };
type RoleObj = K8sObject & { rules?: PolicyRule[]; aggregationRule?: unknown };

/** Everything the manifests grant to anyone, and the problems that make that question moot. */
function granted(docs: K8sObject[], agentNs: string): { grants: string[]; problems: string[]; byRole: Map<string, string[]> } {
  const problems: string[] = [];
  const out = new Set<string>();
  const used = new Set<string>();
  const byRole = new Map<string, string[]>();
  for (const b of docs.filter((d) => d.kind === "ClusterRoleBinding" || d.kind === "RoleBinding") as Binding[]) {
    const id = `${b.kind} ${b.metadata.namespace ?? ""}/${b.metadata.name}`;
    const subjects = b.subjects ?? [];
    if (subjects.length !== 1 || subjects[0]!.kind !== "ServiceAccount" || subjects[0]!.name !== SA_NAME || subjects[0]!.namespace !== agentNs)
      problems.push(`${id} binds ${JSON.stringify(subjects)}, not only the agent's ServiceAccount ${agentNs}/${SA_NAME}`);
    if (b.roleRef.apiGroup !== "rbac.authorization.k8s.io") problems.push(`${id}: roleRef.apiGroup ${b.roleRef.apiGroup}`);
    if (b.kind === "ClusterRoleBinding" && b.roleRef.kind !== "ClusterRole") problems.push(`${id} refers to a ${b.roleRef.kind}`);
    // A Role can only be bound in its own namespace; anything not in the manifests (e.g. the built-in
    // `edit`) would grant more than this test can see.
    const role = find(docs, b.roleRef.kind, b.roleRef.name, b.roleRef.kind === "Role" ? b.metadata.namespace : undefined) as RoleObj | undefined;
    if (!role) {
      problems.push(`${id} refers to ${b.roleRef.kind} ${b.roleRef.name}, which the manifests do not define`);
      continue;
    }
    if (role.aggregationRule) problems.push(`${role.kind} ${role.metadata.name} aggregates other roles`);
    const roleId = `${role.kind} ${role.metadata.namespace ?? ""}/${role.metadata.name}`;
    used.add(roleId);
    const scope = b.kind === "ClusterRoleBinding" ? "*" : b.metadata.namespace!;
    const g = grants(role.rules ?? [], scope);
    byRole.set(`${id} -> ${role.metadata.name}`, g);
    for (const x of g) out.add(x);
  }
  for (const r of docs.filter((d) => d.kind === "ClusterRole" || d.kind === "Role")) {
    const roleId = `${r.kind} ${r.metadata.namespace ?? ""}/${r.metadata.name}`;
    if (!used.has(roleId)) problems.push(`${roleId} is bound to nothing`);
  }
  return { grants: [...out].sort(), problems, byRole };
}

function expectedGrants(actions: Iterable<AgentAction>, agentNs: string, namespaces: string[], changeWatch: boolean): string[] {
  const out = new Set<string>(grants([IDENTITY_RULE], agentNs));
  const specs = [...[...actions].map((a) => ACTION_RBAC[a]), ...(changeWatch ? [CHANGE_WATCH_RBAC] : [])];
  for (const spec of specs) {
    const scopes = spec.scope === "cluster" || namespaces.length === 0 ? ["*"] : namespaces;
    for (const s of scopes) for (const g of grants(spec.rules, s)) out.add(g);
  }
  return [...out].sort();
}

function configMapAllowlist(docs: K8sObject[], ns: string): string {
  const cm = the<{ data?: Record<string, string> }>(docs, "ConfigMap", ALLOWLIST_CONFIGMAP_NAME, ns);
  const text = cm.data?.["allowlist.yaml"];
  if (text === undefined) throw new Error("the allowlist ConfigMap has no allowlist.yaml key");
  return text;
}

/** The allowlist as the agent's own reader understands the ConfigMap's file. */
function parsedAllowlist(docs: K8sObject[], ns: string): AgentAction[] {
  const file = "/allowlist-under-test.yaml";
  return [...withFiles(new Map([[file, configMapAllowlist(docs, ns)]]), () => readAllowlist(file)).result].sort();
}

// ---------------------------------------------------------------------------------------------------------
// The pod as the agent sees it

type EnvVar = { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } & Dict };
type Container = {
  name: string;
  image: string;
  env?: EnvVar[];
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean; subPath?: string }[];
  livenessProbe?: { httpGet?: { path: string; port: number | string } };
  readinessProbe?: { httpGet?: { path: string; port: number | string } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Dict & { capabilities?: { drop?: string[]; add?: string[] } };
};
type Volume = {
  name: string;
  configMap?: { name: string; items?: { key: string; path: string }[] };
  secret?: { secretName: string; items?: { key: string; path: string }[]; defaultMode?: number };
  emptyDir?: Dict;
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
} & Dict;
type PodSpec = {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  securityContext?: Dict & { seccompProfile?: { type: string } };
  containers: Container[];
  initContainers?: Container[];
  volumes?: Volume[];
} & Dict;
type DeploymentObj = K8sObject & {
  spec: { replicas?: number; strategy?: { type?: string }; selector: { matchLabels?: Record<string, string> }; template: { metadata: Meta; spec: PodSpec } };
};

const agentDeployment = (v: Variant) => the<DeploymentObj>(v.docs, "Deployment", "neuralops-agent", v.agentNs);

function resolveEnv(dep: DeploymentObj, c: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of c.env ?? []) {
    if (e.name in env) throw new Error(`env ${e.name} set twice`);
    if (e.value !== undefined) env[e.name] = e.value;
    else if (e.valueFrom?.fieldRef?.fieldPath === "metadata.namespace") env[e.name] = dep.metadata.namespace!;
    else throw new Error(`env ${e.name}: unsupported source ${JSON.stringify(e.valueFrom)}`);
  }
  return env;
}

/** A Secret's keys as the pod sees them (`data` is base64, `stringData` plain). */
function secretData(docs: K8sObject[], name: string, namespace: string): Record<string, string> {
  const s = the<{ data?: Record<string, string>; stringData?: Record<string, string> }>(docs, "Secret", name, namespace);
  return { ...Object.fromEntries(Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")])), ...s.stringData };
}

/** The files the container sees from ConfigMap and Secret volumes (directory mounts, items, or subPath). */
function podFiles(docs: K8sObject[], dep: DeploymentObj, c: Container): Map<string, string> {
  const files = new Map<string, string>();
  for (const m of c.volumeMounts ?? []) {
    const vol = dep.spec.template.spec.volumes?.find((v) => v.name === m.name);
    if (!vol) throw new Error(`volumeMount ${m.name} has no volume`);
    const source = vol.configMap
      ? { data: the<{ data?: Record<string, string> }>(docs, "ConfigMap", vol.configMap.name, dep.metadata.namespace).data ?? {}, items: vol.configMap.items, what: `ConfigMap ${vol.configMap.name}` }
      : vol.secret
        ? { data: secretData(docs, vol.secret.secretName, dep.metadata.namespace!), items: vol.secret.items, what: `Secret ${vol.secret.secretName}` }
        : null;
    if (!source) continue;
    const entries = source.items ? source.items.map((i) => [i.path, source.data[i.key]] as const) : Object.entries(source.data);
    for (const [p, content] of entries) {
      if (content === undefined) throw new Error(`${source.what} lacks a mounted key`);
      if (m.subPath === undefined) files.set(path.posix.join(m.mountPath, p), content);
      else if (m.subPath === p) files.set(m.mountPath, content);
    }
  }
  return files;
}

function agentConfig(v: Variant): { config: AgentConfig; reads: string[]; files: Map<string, string> } {
  const dep = agentDeployment(v);
  const c = dep.spec.template.spec.containers[0]!;
  const files = podFiles(v.docs, dep, c);
  const { result, reads } = withFiles(files, () => loadConfig(resolveEnv(dep, c) as NodeJS.ProcessEnv));
  return { config: result, reads, files };
}

const subset = (sel: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
  !!sel && Object.keys(sel).length > 0 && Object.entries(sel).every(([k, val]) => labels?.[k] === val);

// ---------------------------------------------------------------------------------------------------------

describe.each(Object.keys(SPECS))("%s", (name) => {
  let v!: Variant;
  beforeAll(() => {
    v = variant(name);
  });

  it("(a) every document is a valid Kubernetes object of a known kind, with no field outside its schema", () => {
    expect(v.docs.length).toBeGreaterThan(5);
    for (const d of v.docs) validateObject(d);
    const ids = v.docs.map((d) => `${d.kind}/${d.metadata.namespace ?? ""}/${d.metadata.name}`);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("(b) grants exactly ACTION_RBAC of the allow-listed actions, the change watch's if on, plus IDENTITY_RULE, to the agent only", () => {
    const allow = parsedAllowlist(v.docs, v.agentNs);
    expect(allow).toEqual([...v.actions].sort());
    const { grants: got, problems } = granted(v.docs, v.agentNs);
    expect(problems).toEqual([]);
    expect(got).toEqual(expectedGrants(allow, v.agentNs, v.namespaces, v.changeWatch));
  });

  it("(b) binds cluster-scoped actions with a ClusterRoleBinding, namespaced ones only where asked", () => {
    const { byRole } = granted(v.docs, v.agentNs);
    const withoutScope = (gs: string[]) => [...new Set(gs.map((g) => g.slice(g.indexOf("|") + 1)))].sort().join();
    for (const action of v.actions) {
      const spec = ACTION_RBAC[action];
      if (spec.rules.length === 0) continue;
      // The bindings whose role carries exactly this action's rules, by binding kind and scope.
      const matches = [...byRole.entries()].filter(([, g]) => withoutScope(g) === withoutScope(grants(spec.rules, "*")));
      const kinds = matches.map(([id]) => id.split(" ")[0]);
      const scopes = matches.map(([, g]) => g[0]!.split("|")[0]);
      if (spec.scope === "cluster" || v.namespaces.length === 0) {
        expect(kinds, action).toEqual(["ClusterRoleBinding"]);
      } else {
        expect(kinds.every((k) => k === "RoleBinding"), action).toBe(true);
        expect(scopes.sort(), action).toEqual([...v.namespaces].sort());
      }
    }
    // The change watch: bound where the namespaced actions are, or nowhere when it is off.
    const watchBindings = [...byRole.keys()].filter((id) => id.endsWith("-> neuralops-agent-change-watch"));
    if (!v.changeWatch) expect(watchBindings).toEqual([]);
    else if (v.namespaces.length === 0) expect(watchBindings).toEqual(["ClusterRoleBinding /neuralops-agent-change-watch -> neuralops-agent-change-watch"]);
    else expect(watchBindings.sort()).toEqual(v.namespaces.map((ns) => `RoleBinding ${ns}/neuralops-agent-change-watch -> neuralops-agent-change-watch`).sort());
    // One ClusterRole per allowed action that needs any permission (and the change watch's), none for the others.
    const withRules = v.actions.filter((a) => ACTION_RBAC[a].rules.length > 0);
    expect(v.docs.filter((d) => d.kind === "ClusterRole")).toHaveLength(withRules.length + (v.changeWatch ? 1 : 0));
  });

  it("(c) the ConfigMap reaches the agent at the path it reads by default, and parses to the allowlist", () => {
    const { config, reads, files } = agentConfig(v);
    const dep = agentDeployment(v);
    expect(resolveEnv(dep, dep.spec.template.spec.containers[0]!)).not.toHaveProperty("NEURALOPS_ALLOWLIST_FILE");
    // The agent read a file the pod actually has (a missing file would quietly mean "allow nothing").
    expect(reads).toHaveLength(1);
    expect(files.has(reads[0]!)).toBe(true);
    expect(files.get(reads[0]!)).toBe(configMapAllowlist(v.docs, v.agentNs));
    expect([...config.allowlist].sort()).toEqual([...v.actions].sort());
  });

  it("(d) the Deployment gives the agent a complete, valid environment", () => {
    const dep = agentDeployment(v);
    const c = dep.spec.template.spec.containers[0]!;
    const env = resolveEnv(dep, c);
    expect(env).toMatchObject({ NEURALOPS_URL: v.url, POD_NAMESPACE: v.agentNs });
    expect(c.env?.find((e) => e.name === "POD_NAMESPACE")?.valueFrom?.fieldRef?.fieldPath).toBe("metadata.namespace");
    const { config } = agentConfig(v);
    expect(config.controlPlaneUrl).toBe(v.url.replace(/\/$/, ""));
    expect(config.gatewayUrl).toBe(v.gatewayUrl);
    expect(config.identity).toEqual({ kind: "secret", namespace: v.agentNs, name: IDENTITY_SECRET_NAME });
    expect(config.maxWriteBytes).toBe(v.maxWriteBytes);
    expect(config.prometheusUrl).toBe(v.prometheusUrl);
    expect(config.kube).toEqual({ kubeconfig: undefined, apiUrl: undefined });
    // The change watch reads the namespaces its RoleBindings grant (every namespace with a ClusterRoleBinding).
    expect(config.changes).toEqual({ enabled: v.changeWatch, namespaces: v.changeWatch ? v.namespaces : [] });
    // The identity Secret the agent will look for is there (the Role granting it by name is checked in (b)).
    the(v.docs, "Secret", IDENTITY_SECRET_NAME, v.agentNs);
    // The journal directory is writable (the root filesystem is read-only): a claim, so the journal survives a
    // reschedule to another node (item (e) below checks the claim).
    const stateMount = c.volumeMounts?.find((m) => m.mountPath === config.stateDir);
    expect(stateMount?.readOnly).not.toBe(true);
    const stateVolume = dep.spec.template.spec.volumes?.find((vol) => vol.name === stateMount?.name);
    if (v.state === "emptyDir") expect(stateVolume?.emptyDir).toBeDefined();
    else expect(stateVolume?.persistentVolumeClaim?.readOnly).not.toBe(true);
    // Listener, container port, probes and Service all agree on the port.
    const port = c.ports?.find((p) => p.containerPort === config.listen.port);
    expect(port?.containerPort).toBe(9091);
    for (const [probe, p] of [
      [c.livenessProbe, "/healthz"],
      [c.readinessProbe, "/readyz"],
    ] as const) {
      expect(probe?.httpGet?.path).toBe(p);
      expect([port?.name, port?.containerPort]).toContain(probe?.httpGet?.port);
    }
    const svc = the<K8sObject & { spec: { type?: string; selector?: Record<string, string>; ports: { port: number; targetPort?: number | string }[] } }>(
      v.docs,
      "Service",
      "neuralops-agent",
      v.agentNs,
    );
    expect(svc.spec.type ?? "ClusterIP").toBe("ClusterIP");
    expect(svc.spec.ports).toHaveLength(1);
    expect(svc.spec.ports[0]!.port).toBe(9091);
    expect([port?.name, port?.containerPort]).toContain(svc.spec.ports[0]!.targetPort);
    expect(subset(svc.spec.selector, dep.spec.template.metadata.labels)).toBe(true);
  });

  it("(d) the pod is locked down", () => {
    const dep = agentDeployment(v);
    const pod = dep.spec.template.spec;
    expect(dep.spec.replicas).toBe(1);
    expect(dep.spec.strategy?.type).toBe("Recreate");
    expect(subset(dep.spec.selector.matchLabels, dep.spec.template.metadata.labels)).toBe(true);
    expect(pod.serviceAccountName).toBe(SA_NAME);
    expect(pod.automountServiceAccountToken).toBe(true);
    for (const host of ["hostNetwork", "hostPID", "hostIPC"]) expect(pod[host], host).not.toBe(true);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    expect(pod.securityContext?.runAsUser).toBeGreaterThan(0);
    expect(pod.initContainers ?? []).toEqual([]);
    expect(pod.containers).toHaveLength(1);
    const c = pod.containers[0]!;
    expect(c.image).toBe(IMAGE);
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true });
    expect(c.securityContext?.privileged).not.toBe(true);
    expect(c.securityContext?.capabilities?.drop).toEqual(["ALL"]);
    expect(c.securityContext?.capabilities?.add ?? []).toEqual([]);
    for (const kind of ["requests", "limits"] as const) expect(Object.keys(c.resources?.[kind] ?? {}).sort(), kind).toEqual(["cpu", "memory"]);
    // The identity comes through the API (with RBAC on one Secret), never as a mounted Secret or host path; the
    // only mounted Secret is the relay secret, which is no credential for the control plane.
    for (const vol of pod.volumes ?? [])
      expect(Object.keys(vol).filter((k) => k !== "name"), vol.name).toSatisfy((k: string[]) => k.length === 1 && ["configMap", "emptyDir", "persistentVolumeClaim", "secret"].includes(k[0]!));
    expect((pod.volumes ?? []).filter((vol) => vol.secret).map((vol) => vol.secret!.secretName)).toEqual([RELAY_SECRET_NAME]);
    const sa = the<K8sObject & { automountServiceAccountToken?: boolean }>(v.docs, "ServiceAccount", SA_NAME, v.agentNs);
    expect(sa.automountServiceAccountToken).toBe(false);
  });

  it("(e) keeps the trigger journal on a ReadWriteOnce claim of its own, with one replica replaced by Recreate", () => {
    const dep = agentDeployment(v);
    const { config } = agentConfig(v);
    const c = dep.spec.template.spec.containers[0]!;
    const stateVolume = dep.spec.template.spec.volumes!.find((vol) => vol.name === c.volumeMounts!.find((m) => m.mountPath === config.stateDir)!.name)!;
    const claims = v.docs.filter((d) => d.kind === "PersistentVolumeClaim");
    // Two pods on one RWO volume cannot overlap: the old one goes before the new one starts.
    expect(dep.spec.strategy?.type).toBe("Recreate");
    expect(dep.spec.replicas).toBe(1);
    if (v.state === "emptyDir") {
      expect(stateVolume.emptyDir).toBeDefined();
      expect(claims).toEqual([]);
      return;
    }
    const claim = the<K8sObject & { spec: { accessModes: string[]; storageClassName?: string; resources: { requests: Record<string, string> } } }>(
      v.docs,
      "PersistentVolumeClaim",
      stateVolume.persistentVolumeClaim!.claimName,
      v.agentNs,
    );
    expect(claims).toHaveLength(1);
    expect(claim.spec.accessModes).toEqual(["ReadWriteOnce"]);
    expect(claim.spec.resources.requests).toEqual({ storage: v.state.size });
    if (v.state.storageClassName === undefined) expect(claim.spec).not.toHaveProperty("storageClassName");
    else expect(claim.spec.storageClassName).toBe(v.state.storageClassName);
    // fsGroup makes the volume writable for the non-root agent.
    expect(dep.spec.template.spec.securityContext?.fsGroup).toBe(dep.spec.template.spec.securityContext?.runAsUser);
  });

  it("(f) the relay secret reaches the agent at the path it reads by default, and the same secret is in Prometheus' namespace", () => {
    const dep = agentDeployment(v);
    const { config, files } = agentConfig(v);
    const c = dep.spec.template.spec.containers[0]!;
    expect(resolveEnv(dep, c)).not.toHaveProperty("NEURALOPS_RELAY_SECRET_FILE");
    const agentSide = files.get(config.relaySecretFile);
    expect(agentSide, `a file at ${config.relaySecretFile}`).toBeDefined();
    expect(c.volumeMounts!.find((m) => config.relaySecretFile.startsWith(`${m.mountPath}/`))?.readOnly).toBe(true);
    expect(secretData(v.docs, RELAY_SECRET_NAME, v.prometheus.namespace)[RELAY_SECRET_KEY]).toBe(agentSide);
    if (name === "plain manifests") expect(agentSide).toBe(RELAY_PLACEHOLDER);
    else expect(agentSide!).toMatch(new RegExp(`^[A-Za-z0-9]{${RELAY_SECRET_MIN_LENGTH},}$`));
    // Only the relay secret goes to Prometheus' namespace: never the identity.
    for (const s of v.docs.filter((d) => d.kind === "Secret" && d.metadata.namespace !== v.agentNs)) expect(s.metadata.name).toBe(RELAY_SECRET_NAME);
  });

  it("admits traffic to the agent only on port 9091 and only from the Prometheus pods", () => {
    const dep = agentDeployment(v);
    const np = the<K8sObject & { spec: { podSelector: { matchLabels?: Record<string, string> }; policyTypes?: string[]; ingress?: { from?: Dict[]; ports?: { port: number; protocol?: string }[] }[] } }>(
      v.docs,
      "NetworkPolicy",
      "neuralops-agent",
      v.agentNs,
    );
    expect(subset(np.spec.podSelector.matchLabels, dep.spec.template.metadata.labels)).toBe(true);
    expect(np.spec.policyTypes).toEqual(["Ingress"]);
    expect(np.spec.ingress?.length).toBeGreaterThan(0);
    for (const rule of np.spec.ingress ?? []) {
      expect(rule.ports).toEqual([{ protocol: "TCP", port: 9091 }]);
      // One peer with both selectors: pods with these labels AND in that namespace (two peers would mean OR).
      expect(rule.from).toEqual([
        { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": v.prometheus.namespace } }, podSelector: { matchLabels: v.prometheus.podLabels } },
      ]);
    }
  });
});

describe("the checks themselves", () => {
  const base = () => structuredClone(agentDeployment(variant("chart, default values")));

  it("rejects a misspelt field, a wrong type, an unknown kind, a bad name", () => {
    const typo = base();
    (typo.spec.template.spec.containers[0]!.securityContext as Dict).readOnlyRootFileSystem = true;
    expect(() => validateObject(typo)).toThrow(/readOnlyRootFileSystem is not in the Deployment schema/);
    const wrongType = base() as unknown as { spec: Dict };
    wrongType.spec.replicas = "1";
    expect(() => validateObject(wrongType as unknown as K8sObject)).toThrow(/replicas must be integer/);
    expect(() => validateObject({ apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "x", namespace: "y" } })).toThrow(/no model for kind CronJob/);
    const badName = base();
    badName.metadata.name = "neuralops-agent:k8s.rollout_restart";
    expect(() => validateObject(badName)).toThrow(/invalid name/);
  });

  it("notices an extra verb, a namespaced action bound cluster-wide, a binding to someone else", () => {
    const v = variant("chart, namespaces [a, b] and fewer actions");
    const allow = parsedAllowlist(v.docs, v.agentNs);
    const want = expectedGrants(allow, v.agentNs, v.namespaces, v.changeWatch);
    const extraVerb = structuredClone(v.docs);
    (the<RoleObj>(extraVerb, "ClusterRole", "neuralops-agent-logs").rules![0]!.verbs as string[]).push("list");
    expect(granted(extraVerb, v.agentNs).grants).not.toEqual(want);
    const clusterWide = structuredClone(v.docs);
    const rb = the<Binding>(clusterWide, "RoleBinding", "neuralops-agent-logs", "a");
    clusterWide.push({ ...rb, kind: "ClusterRoleBinding", metadata: { name: "neuralops-agent-logs" } });
    expect(granted(clusterWide, v.agentNs).grants).not.toEqual(want);
    const someoneElse = structuredClone(v.docs);
    the<Binding>(someoneElse, "RoleBinding", "neuralops-agent-logs", "b").subjects!.push({ kind: "Group", name: "system:authenticated" });
    expect(granted(someoneElse, v.agentNs).problems).toHaveLength(1);
  });
});

describe("plain manifests", () => {
  it("carry each placeholder exactly once, so a text substitution (sed) edits only what it should", () => {
    const text = readFileSync(MANIFESTS, "utf8");
    expect(text.split(TOKEN)).toHaveLength(2);
    expect(text.split(URL_)).toHaveLength(2);
    // The relay secret goes in twice (the agent's copy and Prometheus'): one `sed s/…/…/g` sets both.
    expect(text.split(RELAY_PLACEHOLDER)).toHaveLength(3);
    const relaySecret = "a".repeat(64);
    const docs = parseDocs(text.replace(TOKEN, "tok_0123456789abcdef").replace(URL_, "https://acme.example/neuralops").replaceAll(RELAY_PLACEHOLDER, relaySecret), "edited manifests");
    const secret = the<K8sObject & { stringData?: Record<string, string> }>(docs, "Secret", IDENTITY_SECRET_NAME, "neuralops");
    expect(secret.stringData).toEqual({ "bootstrap-token": "tok_0123456789abcdef" });
    for (const ns of ["neuralops", PROMETHEUS.namespace]) expect(secretData(docs, RELAY_SECRET_NAME, ns)).toEqual({ [RELAY_SECRET_KEY]: relaySecret });
    const { config } = agentConfig({ ...variant("plain manifests"), docs });
    expect(config.controlPlaneUrl).toBe("https://acme.example/neuralops");
    expect(config.gatewayUrl).toBe(`wss://acme.example/neuralops${AGENT_CONNECT_PATH}`);
  });
});

describe("chart", () => {
  it("tracks the agent's version", () => {
    const chart = parseYaml(readFileSync(path.join(CHART, "Chart.yaml"), "utf8")) as Dict;
    expect(chart.appVersion).toBe(AGENT_VERSION);
    expect(chart.apiVersion).toBe("v2");
  });

  it("mirrors ACTION_RBAC in its action map, action for action", () => {
    const helpers = readFileSync(path.join(CHART, "templates/_helpers.tpl"), "utf8");
    const map = parseYaml(renderString('{{ include "neuralops-agent.actionRbac" . }}', {}, { defines: helpers })) as Record<string, { name: string; scope: string; rules: PolicyRule[] }>;
    expect(Object.keys(map).sort()).toEqual([...AGENT_ACTIONS].sort());
    for (const a of AGENT_ACTIONS) {
      expect({ scope: map[a]!.scope, rules: map[a]!.rules }, a).toEqual(ACTION_RBAC[a]);
      expect(map[a]!.name).toMatch(DNS_LABEL);
    }
    expect(new Set(Object.values(map).map((s) => s.name)).size).toBe(AGENT_ACTIONS.length);
    expect(parseYaml(renderString('{{ include "neuralops-agent.changeWatchRbac" . }}', {}, { defines: helpers }))).toEqual(CHANGE_WATCH_RBAC);
  });

  it("with default values renders the same objects as the plain manifests (bar the Namespace and Helm's bookkeeping)", () => {
    const normalize = (docs: K8sObject[]) =>
      structuredClone(docs.filter((d) => d.kind !== "Namespace"))
        .map((d) => {
          for (const meta of [d.metadata, (d as { spec?: { template?: { metadata?: Meta } } }).spec?.template?.metadata]) {
            if (!meta) continue;
            delete meta.labels?.["helm.sh/chart"];
            delete meta.labels?.["app.kubernetes.io/managed-by"];
            delete meta.annotations?.["checksum/config"];
            if (meta.annotations && Object.keys(meta.annotations).length === 0) delete meta.annotations;
          }
          if (d.kind === "ConfigMap") (d.data as Dict)["allowlist.yaml"] = parseYaml((d.data as Record<string, string>)["allowlist.yaml"]!);
          // The chart generates the relay secret; the manifests carry a placeholder ((f) checks both).
          if (d.kind === "Secret" && d.metadata.name === RELAY_SECRET_NAME) {
            delete d.data;
            delete d.stringData;
          }
          return d;
        })
        .sort((x, y) => `${x.kind}/${x.metadata.namespace}/${x.metadata.name}`.localeCompare(`${y.kind}/${y.metadata.namespace}/${y.metadata.name}`));
    expect(normalize(variant("chart, default values").docs)).toEqual(normalize(variant("plain manifests").docs));
  });

  it("restarts the agent exactly when the allowlist changes (checksum/config)", () => {
    const checksum = (docs: K8sObject[]) => agentDeployment({ ...variant("chart, default values"), docs }).spec.template.metadata.annotations?.["checksum/config"];
    const def = variant("chart, default values").docs;
    const sum = checksum(def);
    expect(sum).toMatch(/^[0-9a-f]{64}$/);
    // It hashes the very file the ConfigMap holds (the block scalar adds the final newline).
    expect(sum).toBe(createHash("sha256").update(configMapAllowlist(def, "neuralops").replace(/\n$/, "")).digest("hex"));
    expect(checksum(renderDocs({ namespaces: ["x"], prometheus: { url: "http://p:9090" } }))).toBe(sum);
    expect(checksum(renderDocs({ allowedActions: ["k8s.logs"] }))).not.toBe(sum);
  });

  it("refuses to render without the control plane URL or the bootstrap token, or with an unknown action", () => {
    expect(() => render({ bootstrapToken: "" })).toThrow(/bootstrapToken is required/);
    expect(() => render({ controlPlaneUrl: "" })).toThrow(/controlPlaneUrl is required/);
    expect(() => render({ allowedActions: ["k8s.rollout_restart", "k8s.exec"] })).toThrow(/unknown action "k8s.exec"/);
  });

  it("keeps the enrolled identity on upgrade instead of putting the bootstrap token back", () => {
    // What agent/kube/identity-secret.ts writes after enrolling (the bootstrap token is gone).
    const b64 = (x: string) => Buffer.from(x).toString("base64");
    const enrolled = { "cluster-id": b64("0b0e4a51-3c1f-4a8e-9d7e-2f4f5b6c7d8e"), "private-key.pem": b64("-----BEGIN PRIVATE KEY-----"), "ingest-token": b64("tok") };
    const docs = renderDocs(
      { bootstrapToken: "" },
      {
        isUpgrade: true,
        lookup: (apiVersion, kind, ns, name) => (apiVersion === "v1" && kind === "Secret" && ns === "neuralops" && name === IDENTITY_SECRET_NAME ? { data: enrolled } : undefined),
      },
    );
    const secret = the<K8sObject & { data?: Dict; stringData?: Dict }>(docs, "Secret", IDENTITY_SECRET_NAME, "neuralops");
    expect(secret.data).toEqual(enrolled);
    expect(secret.stringData).toBeUndefined();
    for (const d of docs) validateObject(d);
  });

  it("can leave the identity Secret to the operator", () => {
    const docs = renderDocs({ bootstrapToken: "", identitySecret: { create: false } });
    expect(find(docs, "Secret", IDENTITY_SECRET_NAME)).toBeUndefined();
    expect(granted(docs, "neuralops").grants).toEqual(expectedGrants(AGENT_ACTIONS, "neuralops", [], true));
  });

  it("prints the remote_write URL of the agent's Service in NOTES", () => {
    const out = render({}, { namespace: "ops-agent" });
    const docs = parseDocs(out.manifest, "chart");
    const svc = the<K8sObject & { spec: { ports: { port: number }[] } }>(docs, "Service", "neuralops-agent", "ops-agent");
    const url = `http://${svc.metadata.name}.${svc.metadata.namespace}.svc:${svc.spec.ports[0]!.port}/api/v1/write`;
    expect(out.notes).toContain(`remote_write:\n  - url: ${url}\n`);
    expect(parseYaml(out.notes.slice(out.notes.indexOf("remote_write:")).split("\n\n")[0]!)).toEqual({
      remote_write: [{ url, authorization: { credentials_file: RELAY_CREDENTIALS_FILE } }],
    });
    // It says which Secret Prometheus mounts, and where.
    expect(out.notes).toContain(`Secret ${RELAY_SECRET_NAME} in namespace monitoring`);
    expect(out.notes).toContain(`/etc/prometheus/secrets/${RELAY_SECRET_NAME}/`);
  });

  it("keeps the relay secret on upgrade, and generates a different one per install", () => {
    const relay = (docs: K8sObject[], ns: string) => secretData(docs, RELAY_SECRET_NAME, ns)[RELAY_SECRET_KEY];
    const a = renderDocs({});
    const b = renderDocs({});
    expect(relay(a, "neuralops")).not.toBe(relay(b, "neuralops"));
    const existing = { [RELAY_SECRET_KEY]: Buffer.from("kept-relay-secret-0123456789abcdefghij").toString("base64") };
    const upgraded = renderDocs(
      { bootstrapToken: "" },
      {
        isUpgrade: true,
        lookup: (apiVersion, kind, ns, n) =>
          apiVersion === "v1" && kind === "Secret" && ns === "neuralops" ? (n === RELAY_SECRET_NAME ? { data: existing } : n === IDENTITY_SECRET_NAME ? { data: { "cluster-id": "eA==" } } : undefined) : undefined,
      },
    );
    for (const ns of ["neuralops", "monitoring"]) expect(relay(upgraded, ns)).toBe("kept-relay-secret-0123456789abcdefghij");
  });

  it("can leave the relay Secret to the operator", () => {
    const docs = renderDocs({ relaySecret: { create: false } });
    expect(docs.filter((d) => d.kind === "Secret").map((d) => d.metadata.name)).toEqual([IDENTITY_SECRET_NAME]);
    // The pod still mounts it: it does not start until someone creates it.
    expect(agentDeployment({ ...variant("chart, default values"), docs }).spec.template.spec.volumes!.some((vol) => vol.secret?.secretName === RELAY_SECRET_NAME)).toBe(true);
  });

  it("says so in NOTES when the journal is not persistent", () => {
    expect(render({ persistence: { enabled: false } }).notes).toMatch(/persistence is off/);
    expect(render({}).notes).not.toMatch(/persistence is off/);
  });
});

describe("render-helm (the subset it implements, and what it refuses)", () => {
  const r = (src: string, data: Dict = {}, defines?: string) => renderString(src, data, { defines });

  it("follows Go's trimming, scoping and control flow", () => {
    expect(r("a  {{- 1 -}}  \n b")).toBe("a1b");
    expect(r("{{/* gone */}}x{{- /* gone */ -}}  y")).toBe("xy");
    expect(r('{{ range $x := .l }}[{{ $x }}{{ $.s }}{{ . }}]{{ else }}none{{ end }}', { l: ["a", "b"], s: "!" })).toBe("[a!a][b!b]");
    expect(r("{{ range $x := .l }}x{{ else }}none{{ end }}", { l: [] })).toBe("none");
    expect(r('{{ if eq .a "x" }}1{{ else if .b }}2{{ else }}3{{ end }}', { a: "y", b: true })).toBe("2");
    expect(r("{{ $v := 1 }}{{ if true }}{{ $v := 2 }}{{ $v }}{{ end }}{{ $v }}")).toBe("21");
    expect(r("{{ or .a .b.c }}", { a: "set" })).toBe("set"); // short-circuit: .b is never evaluated
    expect(r('{{ include "t" .x | nindent 2 }}', { x: "v" }, '{{- define "t" -}}\nk: {{ . }}\nj: 1\n{{- end }}')).toBe("\n  k: v\n  j: 1");
    expect(r("{{ .n | int64 | quote }} {{ quote .s }}", { n: 1048576, s: 'a"b\n' })).toBe('"1048576" "a\\"b\\n"');
    expect(r("{{ toYaml .m }}", { m: { b: ["on"], a: 1 } })).toBe('a: 1\nb:\n- "on"');
    expect(r('{{ index (lookup "v1" "Secret" "ns" "n") "data" | toJson }}')).toBe("null");
    expect(r('{{ printf "%s=%q" "k" "v" }} {{ "abc" | sha256sum }}')).toBe(`k="v" ${createHash("sha256").update("abc").digest("hex")}`);
    expect(r('{{ "hi" | b64enc }}')).toBe("aGk=");
    expect(r('{{ dict "b" "2" "a" "1" | toJson }} {{ .m | default (dict "k" "v") | toJson }}', { m: {} })).toBe('{"a":"1","b":"2"} {"k":"v"}');
    expect(r("{{ randAlphaNum 40 }}")).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(r("{{ randAlphaNum 40 }}")).not.toBe(r("{{ randAlphaNum 40 }}"));
    expect(r('{{ dig "a" "b" "none" .m }}|{{ dig "a" "x" "none" .m }}|{{ dig "q" "b" "none" .m }}', { m: { a: { b: "v" } } })).toBe("v|none|none");
  });

  it("throws on anything outside the subset, where Helm would differ, or where the chart has a typo", () => {
    expect(() => r("{{ with .a }}{{ end }}", { a: 1 })).toThrow(/"with" is not supported/);
    expect(() => r('{{ template "x" }}')).toThrow(/"template" is not supported/);
    expect(() => r('{{ upper "a" }}')).toThrow(/function "upper" is not supported/);
    expect(() => r("{{ range $i, $x := .l }}{{ end }}", { l: [] })).toThrow(/index variable/);
    expect(() => r("{{ .Capabilities.KubeVersion }}", {})).toThrow(/no entry for key "Capabilities"/);
    expect(() => r("{{ .n }}", { n: 1048576 })).toThrow(/1\.048576e\+06/);
    expect(() => r("{{ .m }}", { m: { a: 1 } })).toThrow(/toYaml/);
    expect(() => r("{{ if .a }}")).toThrow(/missing \{\{end\}\}/);
    expect(() => r("{{ end }}")).toThrow(/unexpected/);
    expect(() => r("{{ 'c' }}")).toThrow(/unsupported character/);
    expect(() => r('{{ printf "%d" 1 }}')).toThrow(/only %s, %q/);
    expect(() => r('{{ "x" | int64 }}')).toThrow(/int64/);
    expect(() => r('{{ include "nope" . }}')).toThrow(/no template "nope"/);
    expect(() => r('{{ randAlphaNum "8" }}')).toThrow(/randAlphaNum/);
    expect(() => r('{{ dig "a" .m }}', { m: {} })).toThrow(/dig takes/);
    expect(() => r('{{ dig "a" "d" "not a map" }}')).toThrow(/dig: the last argument must be a map/);
  });
});
