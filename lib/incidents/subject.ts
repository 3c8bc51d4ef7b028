// Pure: what an alert is about (its subject) as opposed to who reported it (its reporter).
// Exporters such as node-exporter and kube-state-metrics are scraped like any app, so Prometheus stamps
// THEIR pod, namespace, service, job, instance, container and endpoint on every series they expose:
// a NIC fault reported by node-exporter carries node-exporter's pod. This module removes the
// reporter's labels and names the node, workload, volume, certificate, … the alert concerns.
// The label conventions behind every rule here are in lib/incidents/SUBJECT_LABELS.md.

export const SUBJECT_KINDS = [
  "node",
  "pod",
  "deployment",
  "statefulset",
  "daemonset",
  "job",
  "service",
  "namespace",
  "endpoint",
  "certificate",
  "volume",
  "database",
  "cache",
  "queue",
  "cluster",
  "unknown",
] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

export type Exporter =
  | "node-exporter"
  | "kube-state-metrics"
  | "kubelet"
  | "blackbox"
  | "cert-manager"
  | "redis"
  | "postgres"
  | "mysql"
  | "apiserver"
  | "prometheus"
  | "alertmanager"
  | "prometheus-operator"
  | "etcd"
  | "other";

export type Reporter = {
  exporter: Exporter;
  /** The scrape job that produced the series, when the alert still carries it. */
  job?: string;
  /** The reporter's own labels found on the alert (its pod, service, instance, …). */
  labels: Record<string, string>;
};

export type Subject = {
  kind: SubjectKind;
  /** The subject's own name for its kind: node name, pod name, Deployment name, probed URL, … */
  name?: string;
  namespace?: string;
  /** The node the subject is, or runs on. */
  node?: string;
  /** The subject's Service, never the exporter's. */
  service?: string;
  deployment?: string;
  statefulset?: string;
  daemonset?: string;
  /** A Kubernetes Job's name (kube-state-metrics' `job_name`), not Prometheus' scrape `job`. */
  job?: string;
  cronjob?: string;
  pod?: string;
  container?: string;
  cluster?: string;
  /** Set when a known exporter (or Prometheus itself, for `up`-based alerts) produced the series. */
  reporter?: Reporter;
  /** The alert's labels minus the reporter's own and minus alert metadata (alertname, severity, …);
   *  a label the scrape renamed to `exported_<x>` appears here as `<x>`. */
  labels: Record<string, string>;
};

type Labels = Record<string, string>;

/** Alert metadata and Prometheus external labels: never part of any subject's identity. */
const META = new Set(["alertname", "severity", "alertstate", "prometheus", "prometheus_replica", "__name__"]);

/** Older scrape configs and OpenTelemetry name the same things differently. */
const ALIASES: Record<string, string> = {
  kubernetes_namespace: "namespace",
  kubernetes_pod_name: "pod",
  kubernetes_node: "node",
  k8s_namespace_name: "namespace",
  k8s_pod_name: "pod",
  k8s_node_name: "node",
  k8s_deployment_name: "deployment",
  k8s_statefulset_name: "statefulset",
  k8s_daemonset_name: "daemonset",
  k8s_container_name: "container",
  k8s_cluster_name: "cluster",
  nodename: "node",
};

/** Labels that name an object living in a namespace: while one survives, the namespace is the subject's. */
const NAMESPACED = [
  "pod",
  "deployment",
  "statefulset",
  "daemonset",
  "replicaset",
  "job_name",
  "cronjob",
  "horizontalpodautoscaler",
  "poddisruptionbudget",
  "resourcequota",
  "persistentvolumeclaim",
  "configmap",
  "secret",
  "ingress",
  "service",
  "certificate",
] as const;

type Profile = {
  exporter: Exporter;
  /** Matched against job, then service, then container. */
  detect: (value: string, label: "job" | "service" | "container") => boolean;
  /** Default listen port, to recognise it from `instance` alone and to tell its own address from a target's. */
  port?: string;
  /** Reports on other things (a node, Kubernetes objects, a probed URL, a database). False: the series
   *  describe the scraped program itself, so its scrape labels are the subject's. */
  thirdParty: boolean;
  /** Target labels its series also expose for the subject (with honorLabels they win; without, they
   *  arrive as exported_<x>). Any other target label is the exporter's own. */
  carries?: readonly ("namespace" | "pod" | "container" | "service")[];
  /** A carried value matching this is still the exporter's own pod/container/service. */
  own?: RegExp;
  /** The subject is the node the exporter runs on, named by `instance` when no node label exists. */
  nodeFromInstance?: boolean;
  /** `instance` is the scraped target's address (multi-target exporters), not the exporter's. */
  instanceIsTarget?: boolean;
  /** The kind of thing it reports on, when it names one. */
  kind?: SubjectKind;
  /** Alerts about the exporter itself (its own health), whose subject is the exporter. */
  selfAlert?: RegExp;
};

const re = (r: RegExp) => (v: string) => r.test(v);

// Order matters: kube-prometheus-stack names its exporters "<release>-prometheus-node-exporter" and
// "<release>-kube-state-metrics", which also contain "prometheus".
const PROFILES: readonly Profile[] = [
  { exporter: "node-exporter", detect: (v, l) => /node[-_]?exporter/.test(v) || (l === "job" && v === "node"), port: "9100", thirdParty: true, own: /node[-_]?exporter/, nodeFromInstance: true, kind: "node", selfAlert: /^NodeExporter/ },
  { exporter: "kube-state-metrics", detect: re(/kube-state-metrics/), port: "8080", thirdParty: true, carries: ["namespace", "pod", "container"], own: /kube-state-metrics/, selfAlert: /^KubeStateMetrics/ },
  { exporter: "kubelet", detect: (v, l) => (l === "job" ? /^(kubelet|cadvisor)$/.test(v) : /(^|-)(kubelet|cadvisor)$/.test(v)), port: "10250", thirdParty: true, carries: ["namespace", "pod", "container"], own: /(^|-)(kubelet|cadvisor)$/ },
  { exporter: "blackbox", detect: (v, l) => /blackbox/.test(v) || (l === "job" && v.startsWith("probe/")), port: "9115", thirdParty: true, carries: ["service", "namespace"], own: /blackbox/, instanceIsTarget: true, kind: "endpoint", selfAlert: /^BlackboxExporter|^BlackboxConfig/ },
  { exporter: "cert-manager", detect: re(/cert-manager/), port: "9402", thirdParty: true, carries: ["namespace"], own: /cert-manager/, kind: "certificate" },
  // Database exporters often run as a sidecar in the database's own pod: that pod is the subject's. Only the
  // job names them: a Service or container called "redis" is the database itself.
  { exporter: "redis", detect: (v, l) => (l === "job" ? /redis/.test(v) : l === "container" && /redis.*exporter/.test(v)), port: "9121", thirdParty: true, carries: ["namespace", "pod"], own: /exporter/, instanceIsTarget: true, kind: "cache" },
  { exporter: "postgres", detect: (v, l) => (l === "job" ? /postgres|pg[-_]?exporter/.test(v) : l === "container" && /postgres.*exporter/.test(v)), port: "9187", thirdParty: true, carries: ["namespace", "pod"], own: /exporter/, instanceIsTarget: true, kind: "database" },
  { exporter: "mysql", detect: (v, l) => (l === "job" ? /mysql/.test(v) : l === "container" && /mysqld?.*exporter/.test(v)), port: "9104", thirdParty: true, carries: ["namespace", "pod"], own: /exporter/, instanceIsTarget: true, kind: "database" },
  { exporter: "apiserver", detect: (v, l) => l === "job" && /^(kube-)?apiserver$/.test(v), thirdParty: false },
  { exporter: "prometheus-operator", detect: (v, l) => l !== "container" && /prometheus-operator|prometheus-stack-operator/.test(v), thirdParty: false },
  { exporter: "alertmanager", detect: (v, l) => l !== "container" && /alertmanager/.test(v), thirdParty: false },
  { exporter: "prometheus", detect: (v, l) => l !== "container" && /(^|-)prometheus$/.test(v), thirdParty: false },
  { exporter: "etcd", detect: (v, l) => l === "job" && /etcd/.test(v), thirdParty: false },
];

/** kube-prometheus-stack alerts whose labels name no subject (aggregated `by (cluster)` or `vector(1)`). */
const CLUSTER_WIDE = /^(KubeCPUOvercommit|KubeMemoryOvercommit|KubeCPUQuotaOvercommit|KubeMemoryQuotaOvercommit|KubeVersionMismatch|KubeletDown|KubeAPIErrorBudgetBurn|KubeAPITerminatedRequests)$/;

/** Alerts on `up`/`absent(up)`: Prometheus reports them, and the scrape target they name is the subject. */
function isTargetHealth(alertname: string | undefined, l: Labels): boolean {
  if (alertname === "TargetDown") return true;
  if (!alertname || !/(Down|Absent)$/.test(alertname)) return false;
  return Object.keys(l).every((k) => k === "job" || k === "cluster" || k === "namespace" || k === "service");
}

// Kubernetes' SafeEncodeString alphabet (no vowels, no 0/1/3) in ReplicaSet hashes and pod suffixes; some
// tools and people write them with any digit, so digits are all accepted. No vowels keeps words out
// ("api-gateway-proxy" is not Deployment "api").
const RAND = "[b-df-hj-np-tv-xz0-9]";
const RS_POD = new RegExp(`^(.+)-(${RAND}{5,10})-(${RAND}{5})$`);
const RS_NAME = new RegExp(`^(.+)-(${RAND}{5,10})$`);
const STS_POD = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)-(\d+)$/;
// A CronJob's Jobs are named <cronjob>-<scheduled time in minutes since the epoch>, and their pods add a 5-char suffix.
const CRON_JOB = /^(.+)-(\d{8,})$/;
const CRON_POD = new RegExp(`^(.+)-(\\d{8,})-(${RAND}{5})$`);

export type PodOwner = { kind: "deployment" | "statefulset" | "job"; name: string; cronjob?: string };

/** The workload a pod name implies: `<deploy>-<rs hash>-<5>`, `<cronjob>-<minutes>-<5>`, `<sts>-<ordinal>`.
 *  A guess from naming conventions; explicit labels always win over it. Static pods (`etcd-<node>`) and
 *  DaemonSet pods (`<ds>-<5>`) give nothing. */
export function ownerOfPod(pod: string): PodOwner | undefined {
  if (pod.includes(".")) return undefined; // pods of workloads have DNS-label names; static pods carry their node's FQDN
  const cron = CRON_POD.exec(pod);
  if (cron) return { kind: "job", name: `${cron[1]}-${cron[2]}`, cronjob: cron[1] };
  const rs = RS_POD.exec(pod);
  if (rs) return { kind: "deployment", name: rs[1]! };
  const sts = STS_POD.exec(pod);
  if (sts) return { kind: "statefulset", name: sts[1]! };
  return undefined;
}

/** "10.0.12.201:9100" → "10.0.12.201"; "https://shop.example.com/health" stays a URL (it is the target). */
function hostOf(instance: string): string {
  const v6 = /^\[([^\]]+)\](:\d+)?$/.exec(instance);
  if (v6) return v6[1]!;
  return instance.replace(/:\d+$/, "");
}
const portOf = (instance: string | undefined) => (instance ? /:(\d+)$/.exec(instance)?.[1] : undefined);

function detect(l: Labels, alertname: string | undefined): Profile | undefined {
  for (const label of ["job", "service", "container"] as const) {
    const v = l[label];
    if (!v) continue;
    const p = PROFILES.find((x) => x.detect(v, label));
    if (p) return p;
  }
  // An aggregation dropped job and service: the exporter's well-known port still names it.
  const port = l.job === undefined && l.service === undefined ? portOf(l.instance) : undefined;
  const byPort = port ? PROFILES.find((x) => x.thirdParty && x.port === port && x.exporter !== "kube-state-metrics") : undefined;
  // An alert about an exporter's own health may have been aggregated down to no labels at all.
  return byPort ?? (alertname ? PROFILES.find((x) => x.selfAlert?.test(alertname)) : undefined);
}

/** The alert's labels as the series had them: aliases folded in, `exported_<x>` restored as `<x>`.
 *  `displaced` holds the target labels an `exported_<x>` pushed aside: they are the reporter's. */
function normalise(labels: Labels): { l: Labels; displaced: Labels } {
  const l: Labels = {};
  const displaced: Labels = {};
  for (const [k, v] of Object.entries(labels)) {
    if (!v || META.has(k) || k.startsWith("exported_")) continue;
    const alias = ALIASES[k];
    l[alias && !labels[alias] ? alias : k] = v;
  }
  for (const [k, v] of Object.entries(labels)) {
    if (!k.startsWith("exported_") || !v) continue;
    const name = k.slice("exported_".length);
    if (l[name] !== undefined) displaced[name] = l[name]!;
    l[name] = v;
  }
  return { l, displaced };
}

/**
 * The subject of an alert: what is broken, with the reporting exporter's own labels set apart.
 * Pure and total: any label set gives a Subject (kind "unknown" when nothing names one).
 */
export function subjectOf(labels: Record<string, string>, alertname?: string): Subject {
  const name = alertname ?? labels.alertname;
  const { l, displaced } = normalise(labels);

  if (isTargetHealth(name, l)) {
    // `up` is Prometheus' own series: the job/service/namespace it carries are the target's.
    return orExporter(describe(l, undefined, name), l.service ?? l.job, { exporter: "prometheus", labels: {} });
  }

  const profile = detect({ ...l, ...displaced }, name);
  const job = displaced.job ?? l.job;
  if (!profile) {
    const s = describe(l, undefined, name);
    return Object.keys(displaced).length ? { ...s, reporter: { exporter: "other", job, labels: displaced } } : s;
  }
  const selfAlert = profile.selfAlert?.test(name ?? "") ?? false;
  if (!profile.thirdParty || selfAlert) {
    // The scraped program describes itself: its scrape labels are the subject's.
    const reporter: Reporter = { exporter: profile.exporter, job, labels: displaced };
    return orExporter(describe(l, profile.thirdParty ? undefined : profile, name), l.service ?? job ?? (selfAlert ? profile.exporter : undefined), reporter);
  }

  // A third-party exporter: split its own target labels from the subject's.
  const mine: Labels = { ...displaced };
  const subject: Labels = { ...l };
  // A label restored from exported_<x> came with the series: it is never the exporter's.
  const take = (k: string) => {
    if (subject[k] === undefined || displaced[k] !== undefined) return;
    mine[k] = subject[k]!;
    delete subject[k];
  };
  const carried = new Set<string>(profile.carries ?? []);
  const ownService = l.service !== undefined && displaced.service === undefined && (!carried.has("service") || (profile.own?.test(l.service) ?? false));
  const reporterService = displaced.service ?? (ownService ? l.service : undefined);
  const isOwn = (v: string) => (profile.own?.test(v) ?? false) || (reporterService !== undefined && (v === reporterService || v.startsWith(`${reporterService}-`)));

  take("job");
  take("endpoint");
  take("metrics_path");
  const instanceIsTarget = profile.instanceIsTarget && subject.instance !== undefined && portOf(subject.instance) !== profile.port;
  const nodeHint = profile.nodeFromInstance && subject.instance && !subject.node ? hostOf(subject.instance) : undefined;
  if (!instanceIsTarget) take("instance");
  if (ownService) take("service");
  if (subject.pod !== undefined && (!carried.has("pod") || isOwn(subject.pod))) take("pod");
  // A container label only means something next to the subject's pod.
  if (subject.container !== undefined && (!carried.has("container") || subject.pod === undefined || isOwn(subject.container))) take("container");
  const namespaced = NAMESPACED.some((k) => subject[k] !== undefined) || (profile.exporter === "cert-manager" && subject.name !== undefined);
  if (subject.namespace !== undefined && (!carried.has("namespace") || !namespaced)) take("namespace");

  const reporter: Reporter = { exporter: profile.exporter, job, labels: mine };
  const s = describe(subject, profile, name, nodeHint);
  if (s.kind !== "unknown") return { ...s, reporter };
  // Nothing of the subject is left: the alert is about the exporter itself (say, all its targets are down).
  return orExporter(describe(l, undefined, name), l.service ?? job, reporter);
}

/** An unnamed subject of an alert about a known program becomes that program, as a service. */
function orExporter(s: Subject, service: string | undefined, reporter: Reporter): Subject {
  if (s.kind === "unknown" && service) return { ...s, kind: "service", name: service, service, reporter };
  return { ...s, reporter };
}

/** Names the subject from labels that are its own. */
function describe(l: Labels, profile: Profile | undefined, alertname?: string, nodeHint?: string): Subject {
  const out: Subject = { kind: "unknown", labels: { ...l } };
  const set = <K extends keyof Subject>(k: K, v: Subject[K] | undefined) => {
    if (v !== undefined && v !== "") out[k] = v;
  };
  set("cluster", l.cluster);
  set("namespace", l.namespace);
  set("node", l.node ?? nodeHint);
  set("service", l.service);
  set("pod", l.pod);
  if (l.pod) set("container", l.container);

  const owner = l.pod ? ownerOfPod(l.pod) : undefined;
  const jobName = l.job_name ?? (owner?.kind === "job" ? owner.name : undefined);
  // `kubectl autoscale deployment x` names the HPA after its Deployment; that convention is all an HPA alert offers.
  set("deployment", l.deployment ?? (l.replicaset ? (RS_NAME.exec(l.replicaset)?.[1] ?? l.replicaset) : undefined) ?? l.horizontalpodautoscaler ?? (owner?.kind === "deployment" ? owner.name : undefined));
  set("statefulset", l.statefulset ?? (owner?.kind === "statefulset" ? owner.name : undefined));
  set("daemonset", l.daemonset);
  set("job", jobName);
  set("cronjob", l.cronjob ?? owner?.cronjob ?? (jobName ? CRON_JOB.exec(jobName)?.[1] : undefined));

  const target = profileTargetName(l, profile);
  if (profile?.kind && profile.kind !== "node" && target) return { ...out, kind: profile.kind, name: target };
  if (l.persistentvolumeclaim || l.persistentvolume) return { ...out, kind: "volume", name: l.persistentvolumeclaim ?? l.persistentvolume };
  if (l.pod) return { ...out, kind: "pod", name: l.pod };
  if (out.deployment && (l.deployment || l.replicaset || l.horizontalpodautoscaler)) return { ...out, kind: "deployment", name: out.deployment };
  if (l.statefulset) return { ...out, kind: "statefulset", name: l.statefulset };
  if (l.daemonset) return { ...out, kind: "daemonset", name: l.daemonset };
  if (jobName || l.cronjob) return { ...out, kind: "job", name: jobName ?? l.cronjob };
  if (out.node && !l.namespace && !l.service) return { ...out, kind: "node", name: out.node };
  if (l.service) return { ...out, kind: "service", name: l.service };
  if (l.namespace) return { ...out, kind: "namespace", name: l.namespace };
  if (out.node) return { ...out, kind: "node", name: out.node };
  if (alertname && CLUSTER_WIDE.test(alertname)) return { ...out, kind: "cluster", name: l.cluster };
  return out;
}

/** The thing a multi-target exporter, cert-manager or a database sidecar names. */
function profileTargetName(l: Labels, profile: Profile | undefined): string | undefined {
  switch (profile?.kind) {
    case "endpoint":
      return l.instance ?? l.target;
    case "certificate":
      return l.name ?? l.certificate;
    case "cache":
    case "database": {
      const owner = l.pod ? ownerOfPod(l.pod) : undefined;
      return l.addr ?? l.server ?? l.instance ?? l.statefulset ?? l.deployment ?? (owner ? owner.name : l.pod);
    }
    default:
      return undefined;
  }
}

/** The workload a subject belongs to: its Service's name when the alert has one, else the Deployment,
 *  StatefulSet, DaemonSet or CronJob (Helm and kubectl name a workload and its Service alike). */
export function subjectWorkload(s: Subject): string | undefined {
  return s.service ?? s.deployment ?? s.statefulset ?? s.daemonset ?? s.cronjob ?? s.job;
}

/** The incident's `service` column: the subject's service or workload, else its namespace. */
export function subjectServiceName(s: Subject): string | null {
  if (s.kind === "node" || s.kind === "cluster") return null;
  return subjectWorkload(s) ?? s.namespace ?? null;
}
