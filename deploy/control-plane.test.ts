// What the control plane's install artifacts give its three processes, checked without a cluster or a Docker
// daemon: the Helm chart deploy/helm/neuralops (rendered by deploy/render-helm.ts with several value sets)
// yields valid Kubernetes objects (deploy/k8s-schema.ts, as for the agent's chart) wired to each other, with
// the commands, ports, settings and locked-down pods the code expects; the Dockerfile and compose.yaml agree
// with it. What needs a real cluster or `docker build` is listed in the README's Deploy section.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { AGENT_CONNECT_PATH } from "@/lib/agents/protocol";
import { parseDocs, validateObject, type Dict, type K8sObject } from "./k8s-schema";
import { renderChart, type RenderOptions } from "./render-helm";

const ROOT = path.resolve(import.meta.dirname, "..");
const CHART = path.join(ROOT, "deploy/helm/neuralops");
const read = (f: string) => readFileSync(path.join(ROOT, f), "utf8");
const PKG = JSON.parse(read("package.json")) as { version: string; scripts: Record<string, string> };

const BASE: Dict = {
  publicUrl: "https://neuralops.example.com",
  secrets: { DATABASE_URL: "postgresql://neuralops:pw@pg.example.internal:5432/neuralops", REDIS_URL: "redis://redis.example.internal:6379", NEXTAUTH_SECRET: "x".repeat(32) },
};

function render(values: Dict = {}, opts: Omit<RenderOptions, "values"> = {}) {
  const out = renderChart(CHART, { releaseName: "ops", namespace: "neuralops", ...opts, values: { ...BASE, ...values } });
  return { docs: parseDocs(out.manifest, "chart"), notes: out.notes };
}

type Container = {
  name: string;
  image: string;
  command: string[];
  env?: { name: string; value?: string }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  ports?: { name: string; containerPort: number }[];
  readinessProbe?: Dict;
  livenessProbe?: Dict;
  startupProbe?: Dict;
  securityContext: Dict;
  volumeMounts?: { name: string; mountPath: string }[];
};
type PodSpec = { containers: Container[]; initContainers?: Container[]; volumes: Dict[]; securityContext: Dict; automountServiceAccountToken?: boolean; serviceAccountName: string };
type DeploymentObj = K8sObject & { spec: { replicas: number; selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string>; annotations: Record<string, string> }; spec: PodSpec } } };

const find = <T = K8sObject>(docs: K8sObject[], kind: string, name: string) => {
  const o = docs.find((d) => d.kind === kind && d.metadata.name === name);
  if (!o) throw new Error(`no ${kind} ${name} in ${docs.map((d) => `${d.kind}/${d.metadata.name}`).join(", ")}`);
  return o as unknown as T;
};
const deployment = (docs: K8sObject[], c: string) => find<DeploymentObj>(docs, "Deployment", `ops-${c}`);
const main = (docs: K8sObject[], c: string) => deployment(docs, c).spec.template.spec.containers[0]!;
const envOf = (c: Container) => Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value]));

// Every setting a process reads is declared in lib/env.ts or documented in .env.example.
const KNOWN_SETTINGS = new Set([...read("lib/env.ts").matchAll(/^\s+([A-Z][A-Z0-9_]+): z\./gm), ...read(".env.example").matchAll(/^#?\s?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]!));

const VARIANTS: Record<string, Dict> = {
  "default values": {},
  "ingress, ServiceMonitors with a bearer token, shared exports volume, extra env": {
    ingress: { enabled: true, className: "nginx", host: "neuralops.example.com", tlsSecretName: "neuralops-tls", annotations: { "nginx.ingress.kubernetes.io/proxy-read-timeout": "3600" } },
    serviceMonitor: { enabled: true, webBearerToken: true, labels: { release: "kube-prometheus-stack" } },
    exports: { persistence: { enabled: true, storageClass: "nfs", size: "20Gi" } },
    config: { TRUSTED_PROXIES: "10.0.0.0/8", AGENT_GATEWAY_PUBLIC_URL: "wss://neuralops.example.com/api/v1/agent/connect" },
    secrets: { ...(BASE.secrets as Dict), METRICS_TOKEN: "m".repeat(32), NEURALOPS_SECRET_ACME__CACHE_ADMIN_TOKEN: "t0k3n" },
    extraEnvFrom: [{ secretRef: { name: "playbook-secrets" } }],
    extraEnv: [{ name: "LOG_LEVEL", value: "debug" }],
    worker: { queues: "maintenance:4" },
  },
  "existing Secret and claim, migrations off, other release name": {
    existingSecret: "neuralops-env",
    secrets: null,
    migrations: { enabled: false },
    exports: { persistence: { enabled: true, existingClaim: "shared-exports" } },
  },
};

describe.each(Object.entries(VARIANTS))("chart, %s", (_name, values) => {
  const { docs } = render(values);

  it("renders only objects the Kubernetes API (and the Prometheus Operator) accept", () => {
    expect(docs.length).toBeGreaterThan(5);
    for (const d of docs) expect(() => validateObject(d)).not.toThrow();
    for (const d of docs) expect(d.metadata.namespace).toBe("neuralops");
  });

  it("runs web, worker and gateway from one image with the commands package.json runs them with", () => {
    const image = `ghcr.io/neuralops/neuralops:${PKG.version}`;
    expect(main(docs, "web").command).toEqual(["node_modules/.bin/next", "start", "-H", "0.0.0.0"]);
    expect(main(docs, "worker").command.join(" ")).toBe(PKG.scripts.worker);
    expect(main(docs, "gateway").command.join(" ")).toBe(PKG.scripts.gateway);
    for (const c of ["web", "worker", "gateway"]) {
      expect(main(docs, c).image).toBe(image);
      // The file each command runs exists in the image (it copies the source tree).
      for (const arg of main(docs, c).command.filter((a) => /\.(ts|js)$/.test(a))) expect(existsSync(path.join(ROOT, arg)), arg).toBe(true);
    }
  });

  it("gives each process its settings from the ConfigMap and Secret, and only settings the code knows", () => {
    const secretName = values.existingSecret ? String(values.existingSecret) : "ops-env";
    const cm = find<K8sObject & { data: Record<string, string> }>(docs, "ConfigMap", "ops-config");
    expect(cm.data.NEXTAUTH_URL).toBe("https://neuralops.example.com");
    expect(cm.data.NODE_ENV).toBe("production");
    if (!values.existingSecret) {
      const secret = find<K8sObject & { stringData: Record<string, string> }>(docs, "Secret", "ops-env");
      for (const k of ["DATABASE_URL", "REDIS_URL", "NEXTAUTH_SECRET"]) expect(secret.stringData[k], k).toBeTruthy();
    } else expect(docs.some((d) => d.kind === "Secret")).toBe(false);
    for (const c of ["web", "worker", "gateway"]) {
      const pod = deployment(docs, c).spec.template.spec;
      for (const ctr of [...pod.containers, ...(pod.initContainers ?? [])]) {
        expect(ctr.envFrom?.slice(0, 2)).toEqual([{ configMapRef: { name: "ops-config" } }, { secretRef: { name: secretName } }]);
        for (const e of ctr.env ?? []) if (e.name !== "LOG_LEVEL") expect(KNOWN_SETTINGS.has(e.name), `${c}: ${e.name}`).toBe(true);
      }
    }
    for (const k of Object.keys(cm.data)) if (!(values.config as Dict | undefined)?.[k]) expect(KNOWN_SETTINGS.has(k), k).toBe(true);
  });

  it("probes the web app on /api/health and the worker and gateway where they listen", () => {
    const web = main(docs, "web");
    expect(existsSync(path.join(ROOT, "app/api/health/route.ts"))).toBe(true);
    expect(web.readinessProbe).toMatchObject({ httpGet: { path: "/api/health", port: "http" } });
    expect(web.ports).toEqual([{ name: "http", containerPort: 3000 }]);
    expect(envOf(web).PORT).toBe("3000");
    const worker = main(docs, "worker");
    expect(worker.livenessProbe).toMatchObject({ httpGet: { path: "/metrics", port: "metrics" } });
    expect(worker.ports).toEqual([{ name: "metrics", containerPort: 9465 }]);
    // The metrics server must listen beyond loopback for the kubelet and Prometheus to reach it.
    expect(envOf(worker)).toMatchObject({ WORKER_METRICS_PORT: "9465", METRICS_HOST: "0.0.0.0" });
    const gw = main(docs, "gateway");
    expect(envOf(gw)).toMatchObject({ AGENT_GATEWAY_HOST: "0.0.0.0", AGENT_GATEWAY_PORT: "3001", AGENT_GATEWAY_METRICS_PORT: "9466", METRICS_HOST: "0.0.0.0" });
    expect(gw.ports).toEqual([
      { name: "ws", containerPort: 3001 },
      { name: "metrics", containerPort: 9466 },
    ]);
  });

  it("Services select their own Deployment's pods and target ports the containers name", () => {
    for (const c of ["web", "worker", "gateway"]) {
      const svc = find<K8sObject & { spec: { selector: Record<string, string>; ports: { name: string; targetPort: string }[] } }>(docs, "Service", `ops-${c}`);
      const dep = deployment(docs, c);
      expect(dep.spec.selector.matchLabels).toEqual(svc.spec.selector);
      expect(dep.spec.template.metadata.labels).toMatchObject(svc.spec.selector);
      const names = dep.spec.template.spec.containers[0]!.ports!.map((p) => p.name);
      for (const p of svc.spec.ports) expect(names).toContain(p.targetPort);
      // No other Deployment's pods match.
      for (const other of ["web", "worker", "gateway"].filter((o) => o !== c)) {
        const labels = deployment(docs, other).spec.template.metadata.labels;
        expect(Object.entries(svc.spec.selector).every(([k, v]) => labels[k] === v)).toBe(false);
      }
    }
  });

  it("runs every container locked down: not root, read-only root, no capabilities, no API token", () => {
    for (const c of ["web", "worker", "gateway"]) {
      const pod = deployment(docs, c).spec.template.spec;
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
      for (const ctr of [...pod.containers, ...(pod.initContainers ?? [])]) {
        expect(ctr.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, capabilities: { drop: ["ALL"] } });
        // What the processes write: tsx's cache in /tmp, Next's cache, export files (EXPORT_DIR in the image).
        expect(ctr.volumeMounts?.map((m) => m.mountPath)).toContain("/tmp");
      }
      expect(pod.containers[0]!.volumeMounts!.map((m) => m.mountPath)).toEqual(["/tmp", "/app/.next/cache", "/data/exports"]);
    }
  });

  it("migrates before each process starts, unless turned off", () => {
    for (const c of ["web", "worker", "gateway"]) {
      const init = deployment(docs, c).spec.template.spec.initContainers;
      if ((values.migrations as Dict | undefined)?.enabled === false) expect(init).toBeUndefined();
      else expect(init?.map((i) => i.command.join(" "))).toEqual(["node --import tsx scripts/migrate.ts"]);
    }
    expect(existsSync(path.join(ROOT, "scripts/migrate.ts"))).toBe(true);
  });
});

describe("chart options", () => {
  it("refuses to render without the URL users browse to or the three required secrets", () => {
    expect(() => render({ publicUrl: "" })).toThrow(/publicUrl is required/);
    for (const k of ["DATABASE_URL", "REDIS_URL", "NEXTAUTH_SECRET"]) {
      const secrets = { ...(BASE.secrets as Dict), [k]: null };
      expect(() => render({ secrets }), k).toThrow(new RegExp(`secrets.${k} is required`));
    }
  });

  it("ServiceMonitors are off by default; on, they scrape /api/metrics on web and /metrics on worker and gateway", () => {
    expect(render().docs.some((d) => d.kind === "ServiceMonitor")).toBe(false);
    const { docs } = render(VARIANTS["ingress, ServiceMonitors with a bearer token, shared exports volume, extra env"]);
    type SM = K8sObject & { spec: { selector: { matchLabels: Record<string, string>; matchExpressions?: { key: string; operator: string; values: string[] }[] }; endpoints: Dict[] } };
    const web = find<SM>(docs, "ServiceMonitor", "ops-web");
    expect(web.metadata.labels?.release).toBe("kube-prometheus-stack");
    expect(web.spec.endpoints).toEqual([{ port: "http", path: "/api/metrics", interval: "30s", authorization: { type: "Bearer", credentials: { name: "ops-env", key: "METRICS_TOKEN" } } }]);
    expect(existsSync(path.join(ROOT, "app/api/metrics/route.ts"))).toBe(true);
    const workers = find<SM>(docs, "ServiceMonitor", "ops-workers");
    expect(workers.spec.endpoints).toEqual([{ port: "metrics", path: "/metrics", interval: "30s" }]);
    // Which Services each selects, as the operator would: the labels, then the expressions.
    const services = docs.filter((d) => d.kind === "Service") as (K8sObject & { spec: { ports: { name: string }[] } })[];
    const selected = (sm: SM) =>
      services
        .filter((s) => Object.entries(sm.spec.selector.matchLabels).every(([k, v]) => s.metadata.labels?.[k] === v))
        .filter((s) => (sm.spec.selector.matchExpressions ?? []).every((e) => e.operator === "In" && e.values.includes(s.metadata.labels?.[e.key] ?? "")))
        .map((s) => s.metadata.name)
        .sort();
    expect(selected(web)).toEqual(["ops-web"]);
    expect(selected(workers)).toEqual(["ops-gateway", "ops-worker"]);
    for (const s of services.filter((x) => selected(workers).includes(x.metadata.name))) expect(s.spec.ports.map((p) => p.name)).toContain("metrics");
  });

  it("the ingress sends agents' WebSockets to the gateway and everything else to the web app", () => {
    const { docs } = render(VARIANTS["ingress, ServiceMonitors with a bearer token, shared exports volume, extra env"]);
    type Ing = K8sObject & { spec: { rules: { host: string; http: { paths: { path: string; pathType: string; backend: { service: { name: string; port: { name: string } } } }[] } }[]; tls: unknown[] } };
    const ing = find<Ing>(docs, "Ingress", "ops");
    expect(ing.spec.rules[0]!.host).toBe("neuralops.example.com");
    expect(ing.spec.rules[0]!.http.paths.map((p) => [p.path, p.backend.service.name, p.backend.service.port.name])).toEqual([
      [AGENT_CONNECT_PATH, "ops-gateway", "ws"],
      ["/", "ops-web", "http"],
    ]);
    expect(ing.spec.tls).toEqual([{ hosts: ["neuralops.example.com"], secretName: "neuralops-tls" }]);
    expect(render().docs.some((d) => d.kind === "Ingress")).toBe(false);
  });

  it("web and worker share one ReadWriteMany export volume when persistence is on; NOTES warn when it is off", () => {
    const on = render({ exports: { persistence: { enabled: true, size: "20Gi" } } });
    const pvc = find<K8sObject & { spec: { accessModes: string[]; resources: { requests: { storage: string } } } }>(on.docs, "PersistentVolumeClaim", "ops-exports");
    expect(pvc.spec).toMatchObject({ accessModes: ["ReadWriteMany"], resources: { requests: { storage: "20Gi" } } });
    for (const c of ["web", "worker"]) expect(deployment(on.docs, c).spec.template.spec.volumes.find((v) => v.name === "exports")).toEqual({ name: "exports", persistentVolumeClaim: { claimName: "ops-exports" } });
    expect(on.notes).not.toMatch(/Exports:/);
    const off = render();
    expect(off.docs.some((d) => d.kind === "PersistentVolumeClaim")).toBe(false);
    expect(off.notes).toMatch(/Exports: exports.persistence is off/);
  });

  it("pods restart when the configuration changes", () => {
    const a = deployment(render().docs, "web").spec.template.metadata.annotations;
    const b = deployment(render({ config: { TRUSTED_PROXIES: "10.0.0.0/8" } }).docs, "web").spec.template.metadata.annotations;
    const c = deployment(render({ secrets: { ...(BASE.secrets as Dict), METRICS_TOKEN: "y".repeat(32) } }).docs, "web").spec.template.metadata.annotations;
    expect(b["checksum/config"]).not.toBe(a["checksum/config"]);
    expect(c["checksum/secret"]).not.toBe(a["checksum/secret"]);
  });

  it("the chart's appVersion is the app's version (the image tag defaults to it)", () => {
    const chart = parseYaml(read("deploy/helm/neuralops/Chart.yaml")) as { appVersion: string };
    expect(chart.appVersion).toBe(PKG.version);
  });
});

// ---------------------------------------------------------------------------------------------------------
// The Dockerfile and compose.yaml

describe("Dockerfile", () => {
  const text = read("Dockerfile");
  const froms = [...text.matchAll(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/gim)].map((m) => ({ image: m[1]!, stage: m[2] }));
  const finalStage = text.slice(text.lastIndexOf("\nFROM "));

  it("builds in stages on node:20-slim and runs as a numeric non-root user", () => {
    expect(froms.length).toBeGreaterThanOrEqual(2);
    const bases = froms.map((f) => f.image).filter((img) => !froms.some((f) => f.stage === img));
    expect(new Set(bases)).toEqual(new Set(["node:20-slim"]));
    expect(text).toMatch(/npx next build/);
    expect(finalStage).toMatch(/^USER 1000:1000$/m);
    expect(finalStage).not.toMatch(/^USER (root|0)\b/m);
  });

  it("defaults to the web command the chart runs, and puts exports where the chart mounts them", () => {
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(finalStage)![1]!) as string[];
    expect(cmd).toEqual(main(render().docs, "web").command);
    expect(finalStage).toMatch(/EXPORT_DIR=\/data\/exports/);
  });

  it("installs from the lock file with what prisma generate needs, and leaves local state out of the context", () => {
    expect(text).toMatch(/npm ci/);
    const ignore = read(".dockerignore").split("\n");
    for (const p of ["node_modules", ".git", ".next", ".data", ".env"]) expect(ignore).toContain(p);
    // Every file the deps stage copies exists.
    for (const m of text.matchAll(/^COPY (?!--)([^\n]+?) \S+$/gm)) for (const f of m[1]!.split(/\s+/)) if (f !== ".") expect(existsSync(path.join(ROOT, f)), f).toBe(true);
  });
});

describe("compose.yaml", () => {
  type Svc = { image?: string; build?: unknown; command?: string[]; environment?: Record<string, string>; depends_on?: Record<string, { condition: string }>; healthcheck?: { test: string[] }; ports?: string[]; user?: string; read_only?: boolean };
  // Compose resolves YAML merge keys (<<: *app), so read it the same way.
  const compose = parseYaml(read("compose.yaml"), { merge: true }) as { services: Record<string, Svc>; volumes?: Dict };
  const s = compose.services;
  const docs = render().docs;

  it("runs postgres, redis, web, worker and gateway", () => {
    expect(Object.keys(s).sort()).toEqual(["gateway", "migrate", "postgres", "redis", "web", "worker"]);
  });

  it("runs the app's processes from one image with the chart's commands", () => {
    const image = s.web!.image;
    expect(image).toBeTruthy();
    for (const c of ["web", "worker", "gateway", "migrate"]) expect(s[c]!.image, c).toBe(image);
    expect(s.web!.command ?? ["node_modules/.bin/next", "start", "-H", "0.0.0.0"]).toEqual(main(docs, "web").command);
    expect(s.worker!.command).toEqual(main(docs, "worker").command);
    expect(s.gateway!.command).toEqual(main(docs, "gateway").command);
    expect(s.migrate!.command).toEqual(deployment(docs, "web").spec.template.spec.initContainers![0]!.command);
  });

  it("waits for healthy stores and the migration, checks /api/health, and sets only known settings", () => {
    for (const c of ["web", "worker", "gateway"]) {
      expect(s[c]!.depends_on).toMatchObject({ postgres: { condition: "service_healthy" }, redis: { condition: "service_healthy" }, migrate: { condition: "service_completed_successfully" } });
    }
    expect(s.web!.healthcheck!.test.join(" ")).toMatch(/\/api\/health/);
    expect(s.postgres!.healthcheck).toBeDefined();
    expect(s.redis!.healthcheck).toBeDefined();
    for (const c of ["web", "worker", "gateway", "migrate"]) {
      const envKeys = Object.keys(s[c]!.environment ?? {});
      for (const k of envKeys) expect(KNOWN_SETTINGS.has(k), `${c}: ${k}`).toBe(true);
      for (const k of ["DATABASE_URL", "REDIS_URL"]) expect(envKeys, `${c} ${k}`).toContain(k);
    }
    for (const c of ["web", "worker", "gateway"]) expect(Object.keys(s[c]!.environment ?? {})).toContain("NEXTAUTH_SECRET");
  });
});
