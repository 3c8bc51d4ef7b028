import { describe, expect, it } from "vitest";
import { ownerOfPod, subjectOf, subjectServiceName, type Subject } from "@/lib/incidents/subject";
import { kpsFixture } from "@/test/kube-prometheus-stack";

const N1 = "10.0.12.201";
const N2 = "10.0.12.202";
const NODE1 = "ip-10-0-12-201.eu-west-1.compute.internal";
const NODE2 = "ip-10-0-12-202.eu-west-1.compute.internal";
const KPS = "kube-prometheus-stack";

type Expect = Partial<Omit<Subject, "labels" | "reporter">> & { kind: Subject["kind"]; reporter?: string };

// What each fixture alert is about. Keyed by alertname, `#n` for its n-th occurrence in the fixture.
const EXPECTED: Record<string, Expect> = {
  NodeFilesystemSpaceFillingUp: { kind: "node", name: N1, node: N1, reporter: "node-exporter" },
  NodeFilesystemAlmostOutOfSpace: { kind: "node", name: N2, node: N2, reporter: "node-exporter" },
  NodeNetworkReceiveErrs: { kind: "node", name: N1, reporter: "node-exporter" },
  NodeNetworkTransmitErrs: { kind: "node", name: N1, reporter: "node-exporter" },
  NodeClockNotSynchronising: { kind: "node", name: N2, reporter: "node-exporter" },
  NodeCPUHighUsage: { kind: "node", name: N1, reporter: "node-exporter" },
  NodeDiskIOSaturation: { kind: "node", name: N1, reporter: "node-exporter" },
  NodeSystemdServiceFailed: { kind: "node", name: N1, reporter: "node-exporter" },
  NodeNetworkInterfaceFlapping: { kind: "node", name: N1, reporter: "node-exporter" },
  KubePodCrashLooping: { kind: "pod", name: "checkout-7c9d8b6f5-x2x4k", namespace: "shop", deployment: "checkout", container: "checkout", reporter: "kube-state-metrics" },
  KubePodNotReady: { kind: "pod", name: "search-api-7c5d9b8f4-mn2ks", namespace: "search", deployment: "search-api", reporter: "kube-state-metrics" },
  KubeDeploymentReplicasMismatch: { kind: "deployment", name: "cart", namespace: "shop", deployment: "cart", reporter: "kube-state-metrics" },
  KubeDeploymentRolloutStuck: { kind: "deployment", name: "checkout", namespace: "shop", reporter: "kube-state-metrics" },
  KubeStatefulSetReplicasMismatch: { kind: "statefulset", name: "postgres", namespace: "data", reporter: "kube-state-metrics" },
  KubeStatefulSetUpdateNotRolledOut: { kind: "statefulset", name: "redis-master", namespace: "data", reporter: "kube-state-metrics" },
  KubeDaemonSetRolloutStuck: { kind: "daemonset", name: "aws-node", namespace: "kube-system", reporter: "kube-state-metrics" },
  KubeContainerWaiting: { kind: "pod", name: "postgres-1", namespace: "data", statefulset: "postgres", container: "postgres", reporter: "kube-state-metrics" },
  // `max by (namespace, job_name, cluster)` dropped every label of kube-state-metrics.
  KubeJobNotCompleted: { kind: "job", name: "nightly-report-28712345", job: "nightly-report-28712345", cronjob: "nightly-report", namespace: "batch" },
  KubeJobFailed: { kind: "job", name: "db-migrate", namespace: "batch", reporter: "kube-state-metrics" },
  KubeHpaMaxedOut: { kind: "deployment", name: "frontend", namespace: "shop", reporter: "kube-state-metrics" },
  KubePdbNotEnoughHealthyPods: { kind: "namespace", name: "shop", namespace: "shop", reporter: "kube-state-metrics" },
  KubeCPUOvercommit: { kind: "cluster" },
  KubeQuotaAlmostFull: { kind: "namespace", name: "shop", reporter: "kube-state-metrics" },
  CPUThrottlingHigh: { kind: "pod", name: "frontend-6b8c9d7f5-q4zrt", namespace: "shop", deployment: "frontend", container: "frontend", reporter: "kubelet" },
  KubePersistentVolumeFillingUp: { kind: "volume", name: "data-postgres-0", namespace: "data", node: NODE1, reporter: "kubelet" },
  KubePersistentVolumeErrors: { kind: "volume", name: "pvc-2f9c1a7e-3b4d-4c5e-9f60-7a8b9c0d1e2f", reporter: "kube-state-metrics" },
  KubeNodeNotReady: { kind: "node", name: NODE2, reporter: "kube-state-metrics" },
  KubeNodeReadinessFlapping: { kind: "node", name: NODE1 },
  KubeletTooManyPods: { kind: "node", name: NODE1, reporter: "kubelet" },
  KubeNodeEviction: { kind: "node", name: NODE1, reporter: "kubelet" },
  KubeletClientCertificateExpiration: { kind: "node", name: NODE1, reporter: "kubelet" },
  KubeletInstanceUnreachable: { kind: "node", name: NODE1, reporter: "kubelet" },
  KubeletDown: { kind: "cluster", reporter: "prometheus" },
  KubeStateMetricsListErrors: { kind: "service", name: "kube-state-metrics", reporter: "kube-state-metrics" },
  KubeAPIDown: { kind: "service", name: "apiserver", reporter: "prometheus" },
  KubeClientCertificateExpiration: { kind: "service", name: "apiserver", reporter: "apiserver" },
  KubeSchedulerInstanceUnreachable: { kind: "pod", name: "kube-scheduler-ip-10-0-1-10.eu-west-1.compute.internal", namespace: "kube-system", service: `${KPS}-kube-scheduler` },
  KubeVersionMismatch: { kind: "cluster" },
  TargetDown: { kind: "service", name: `${KPS}-prometheus-node-exporter`, namespace: "monitoring", reporter: "prometheus" },
  "TargetDown#1": { kind: "service", name: `${KPS}-kube-state-metrics`, namespace: "monitoring", reporter: "prometheus" },
  Watchdog: { kind: "unknown" },
  PrometheusRuleFailures: { kind: "pod", name: `prometheus-${KPS}-prometheus-0`, statefulset: `prometheus-${KPS}-prometheus`, service: `${KPS}-prometheus`, namespace: "monitoring", reporter: "prometheus" },
  AlertmanagerFailedToSendAlerts: { kind: "pod", name: `alertmanager-${KPS}-alertmanager-0`, service: `${KPS}-alertmanager`, reporter: "alertmanager" },
  ConfigReloaderSidecarErrors: { kind: "pod", name: `prometheus-${KPS}-prometheus-0`, container: "config-reloader", reporter: "prometheus" },
  PrometheusOperatorReconcileErrors: { kind: "namespace", name: "monitoring" },
  etcdHighFsyncDurations: { kind: "pod", name: "etcd-ip-10-0-1-10.eu-west-1.compute.internal", service: `${KPS}-kube-etcd`, reporter: "etcd" },
};

/** Exporters that report on other things: their scrape labels must never become the subject's. */
const THIRD_PARTY_TARGETS = new Set(["node-exporter", "kube-state-metrics", "kubelet"]);

describe("subjectOf on kube-prometheus-stack's own rules (test/fixtures/kube-prometheus-stack)", () => {
  const fx = kpsFixture();
  const seen = new Map<string, number>();
  const cases = fx.alerts.map((a) => {
    const n = seen.get(a.alert) ?? 0;
    seen.set(a.alert, n + 1);
    return { key: n ? `${a.alert}#${n}` : a.alert, a };
  });

  it("the fixture is the chart's, is small, and every alert has an expectation", () => {
    expect(fx.source).toMatchObject({ repo: "prometheus-community/helm-charts", commit: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(fx.alerts.length).toBeGreaterThanOrEqual(40);
    expect(cases.map((c) => c.key).filter((k) => !EXPECTED[k])).toEqual([]);
    expect(Object.keys(EXPECTED).filter((k) => !cases.some((c) => c.key === k))).toEqual([]);
  });

  it.each(cases.map((c) => [c.key, c.a] as const))("%s", (key, a) => {
    const { reporter, ...want } = EXPECTED[key]!;
    const s = subjectOf(a.labels);
    expect(s).toMatchObject(want);
    if (reporter) expect(s.reporter?.exporter).toBe(reporter);
    else expect(s.reporter).toBeUndefined();
    // Same answer when the caller passes the alertname separately.
    expect(subjectOf(a.labels, a.alert)).toEqual(s);
    for (const meta of ["alertname", "severity", "prometheus"]) expect(s.labels).not.toHaveProperty(meta);

    if (!a.target || !THIRD_PARTY_TARGETS.has(a.target) || a.alert === "TargetDown") return;
    const target = { ...fx.targets[a.target]!.labels, ...(a as { targetOverride?: Record<string, string> }).targetOverride };
    for (const k of ["pod", "service", "namespace", "container", "job", "endpoint", "instance"] as const) {
      const own = target[k];
      if (own === undefined || a.series[k] === own) continue; // the series itself carried that value
      expect(s.labels[k], `${k} of the subject`).not.toBe(own);
      if (k !== "job" && k !== "endpoint" && k !== "instance") expect(s[k], `subject.${k}`).not.toBe(own);
      if (a.labels[k] === own) expect(s.reporter?.labels[k], `reporter.labels.${k}`).toBe(own);
    }
    if (s.name !== undefined) expect([target.pod, target.service, target.namespace]).not.toContain(s.name);
  });
});

describe("subjectOf on other exporters", () => {
  it("blackbox: the probed URL is the subject, the exporter's own target labels are not", () => {
    const s = subjectOf({
      alertname: "BlackboxProbeFailed",
      instance: "https://shop.example.com/health",
      job: "probe/monitoring/shop",
      module: "http_2xx",
      namespace: "monitoring",
      pod: "prometheus-blackbox-exporter-7c9d8b6f5-x2x4k",
      service: "prometheus-blackbox-exporter",
      endpoint: "http",
    });
    expect(s).toMatchObject({ kind: "endpoint", name: "https://shop.example.com/health", labels: { instance: "https://shop.example.com/health", module: "http_2xx" }, reporter: { exporter: "blackbox" } });
    expect(s.namespace).toBeUndefined();
    expect(s.pod).toBeUndefined();
    expect(s.service).toBeUndefined();
  });

  it("blackbox: target labels describing the probed service are kept", () => {
    const s = subjectOf({ alertname: "BlackboxProbeFailed", instance: "http://checkout.shop.svc:8080/ready", job: "blackbox", service: "checkout", namespace: "shop" });
    expect(s).toMatchObject({ kind: "endpoint", service: "checkout", namespace: "shop" });
  });

  it("cert-manager: the Certificate in exported_namespace, not cert-manager's namespace", () => {
    const s = subjectOf({
      alertname: "CertManagerCertExpirySoon",
      name: "checkout-tls",
      exported_namespace: "shop",
      issuer_name: "letsencrypt-prod",
      issuer_kind: "ClusterIssuer",
      namespace: "cert-manager",
      pod: "cert-manager-6c8d9b7f5d-k2v9x",
      service: "cert-manager",
      job: "cert-manager",
      container: "cert-manager-controller",
      instance: "10.244.1.40:9402",
      endpoint: "tcp-prometheus-servicemonitor",
    });
    expect(s).toMatchObject({ kind: "certificate", name: "checkout-tls", namespace: "shop", labels: { issuer_name: "letsencrypt-prod" }, reporter: { exporter: "cert-manager", labels: { namespace: "cert-manager", pod: "cert-manager-6c8d9b7f5d-k2v9x" } } });
    expect(s.pod).toBeUndefined();
    expect(s.service).toBeUndefined();
  });

  it("cert-manager with honorLabels: the series' namespace won, and is the Certificate's", () => {
    const s = subjectOf({ alertname: "CertManagerCertNotReady", name: "api-tls", namespace: "payments", condition: "True", job: "cert-manager", pod: "cert-manager-6c8d9b7f5d-k2v9x" });
    expect(s).toMatchObject({ kind: "certificate", name: "api-tls", namespace: "payments" });
  });

  it("cert-manager's own health is about cert-manager", () => {
    expect(subjectOf({ alertname: "CertManagerAbsent", job: "cert-manager" })).toMatchObject({ kind: "service", name: "cert-manager", reporter: { exporter: "prometheus" } });
  });

  it("redis exporter: the Redis address, multi-target (instance) or older exporters (addr)", () => {
    expect(subjectOf({ alertname: "RedisDown", instance: "redis://redis-master.data:6379", job: "redis_exporter_targets" })).toMatchObject({ kind: "cache", name: "redis://redis-master.data:6379", reporter: { exporter: "redis" } });
    const old = subjectOf({ alertname: "RedisDown", addr: "redis://10.0.5.4:6379", alias: "", instance: "redis-exporter:9121", job: "redis-exporter" });
    expect(old).toMatchObject({ kind: "cache", name: "redis://10.0.5.4:6379", reporter: { labels: { instance: "redis-exporter:9121" } } });
  });

  it("redis exporter as a sidecar: the Redis pod and its StatefulSet are the subject", () => {
    const s = subjectOf({ alertname: "RedisDown", instance: "10.244.3.7:9121", job: "redis-metrics", namespace: "data", pod: "redis-master-0", service: "redis-metrics", container: "metrics", endpoint: "http-metrics" });
    expect(s).toMatchObject({ kind: "cache", name: "redis-master", pod: "redis-master-0", statefulset: "redis-master", namespace: "data" });
    expect(s.service).toBeUndefined();
    expect(s.container).toBeUndefined();
  });

  it("postgres exporter: server (older exporters) or the probed instance, with datname", () => {
    expect(subjectOf({ alertname: "PostgresqlDown", instance: "postgres-exporter:9187", server: "pg-main.data:5432", job: "postgres-exporter" })).toMatchObject({ kind: "database", name: "pg-main.data:5432" });
    const s = subjectOf({ alertname: "PostgresqlTooManyConnections", instance: "pg-main.data:5432", datname: "orders", job: "postgres" });
    expect(s).toMatchObject({ kind: "database", name: "pg-main.data:5432", labels: { datname: "orders" } });
  });

  it("plain node-exporter scrape configs (job=node, instance=host:9100) and kube-prometheus' node-name instance", () => {
    expect(subjectOf({ alertname: "HostOutOfMemory", instance: "db1.internal:9100", job: "node" })).toMatchObject({ kind: "node", name: "db1.internal" });
    expect(subjectOf({ alertname: "NodeFilesystemAlmostOutOfSpace", instance: "ip-10-0-6-12.eu-west-1.compute.internal:9100", mountpoint: "/var/lib/kubelet", job: "node-exporter" })).toMatchObject({ kind: "node", name: "ip-10-0-6-12.eu-west-1.compute.internal" });
    expect(subjectOf({ alertname: "HostDown", instance: "[2001:db8::1]:9100" })).toMatchObject({ kind: "node", name: "2001:db8::1", reporter: { exporter: "node-exporter" } });
  });

  it("a well-known port names the exporter only once aggregation dropped job and service", () => {
    expect(subjectOf({ alertname: "QueueBacklog", service: "billing", job: "billing", instance: "10.1.2.3:9100" })).toMatchObject({ kind: "service", name: "billing" });
    expect(subjectOf({ alertname: "QueueBacklog", service: "billing", job: "billing", instance: "10.1.2.3:9100" }).reporter).toBeUndefined();
  });

  it("a nodename relabeled onto node-exporter's targets names the node", () => {
    const s = subjectOf({ alertname: "NodeNetworkTransmitErrs", nodename: "worker-3", instance: "10.0.12.201:9100", job: "node-exporter", device: "eth0" });
    expect(s).toMatchObject({ kind: "node", name: "worker-3", node: "worker-3" });
  });

  it("honorLabels: false renamed the series' labels to exported_*: those are the subject's", () => {
    const s = subjectOf({ alertname: "X", exported_namespace: "shop", exported_pod: "cart-5d8f7c9b4-wq2ds", namespace: "monitoring", pod: "kube-prometheus-stack-kube-state-metrics-6d8f7c9b5d-h2lq7", job: "kube-state-metrics" });
    expect(s).toMatchObject({ kind: "pod", name: "cart-5d8f7c9b4-wq2ds", namespace: "shop", deployment: "cart", reporter: { labels: { namespace: "monitoring", pod: "kube-prometheus-stack-kube-state-metrics-6d8f7c9b5d-h2lq7" } } });
  });

  it("a Pushgateway's exported_job/exported_instance are the pushing job's", () => {
    const s = subjectOf({ alertname: "BackupStale", exported_job: "nightly-backup", exported_instance: "db1", job: "pushgateway", instance: "10.1.1.1:9091", service: "billing" });
    expect(s).toMatchObject({ kind: "service", service: "billing", labels: { job: "nightly-backup", instance: "db1" }, reporter: { exporter: "other", labels: { job: "pushgateway", instance: "10.1.1.1:9091" } } });
  });

  it("explicit workload labels win over names guessed from the pod", () => {
    expect(subjectOf({ alertname: "KubePodCrashLooping", deployment: "cart", namespace: "shop", pod: "cart-5d8f7-wq2ds", job: "kube-state-metrics" })).toMatchObject({ kind: "pod", deployment: "cart" });
    expect(subjectOf({ alertname: "X", namespace: "shop", pod: "web-7c9d8b6f5-x2x4k", statefulset: "web-cache" })).toMatchObject({ statefulset: "web-cache", deployment: "web" });
  });

  it("OpenTelemetry and older kubernetes_sd label names", () => {
    expect(subjectOf({ alertname: "X", k8s_namespace_name: "shop", k8s_deployment_name: "cart" })).toMatchObject({ kind: "deployment", name: "cart", namespace: "shop" });
    expect(subjectOf({ alertname: "X", kubernetes_namespace: "shop", kubernetes_pod_name: "cart-5d8f7c9b4-wq2ds" })).toMatchObject({ kind: "pod", deployment: "cart", namespace: "shop" });
  });

  it("plain app alerts: the labels are the app's own", () => {
    expect(subjectOf({ alertname: "HighLatency", service: "checkout" })).toEqual({ kind: "service", name: "checkout", service: "checkout", labels: { service: "checkout" } });
    expect(subjectOf({ alertname: "DiskFull", namespace: "db" })).toMatchObject({ kind: "namespace", name: "db" });
    expect(subjectOf({ alertname: "AlwaysFiring", cluster: "integ-test", team: "neuralops" })).toEqual({ kind: "unknown", cluster: "integ-test", labels: { cluster: "integ-test", team: "neuralops" } });
    expect(subjectOf({})).toEqual({ kind: "unknown", labels: {} });
  });
});

describe("ownerOfPod", () => {
  it.each([
    ["checkout-7c9d8b6f5-x2x4k", { kind: "deployment", name: "checkout" }],
    ["search-api-7c5d9b8f4-mn2ks", { kind: "deployment", name: "search-api" }],
    ["cart-5d8f7-wq2ds", { kind: "deployment", name: "cart" }],
    ["payments-worker-6c9b8f7d4c-fk2lw", { kind: "deployment", name: "payments-worker" }],
    ["postgres-0", { kind: "statefulset", name: "postgres" }],
    ["redis-master-12", { kind: "statefulset", name: "redis-master" }],
    ["nightly-report-28712345-q8znx", { kind: "job", name: "nightly-report-28712345", cronjob: "nightly-report" }],
    ["kube-prometheus-stack-prometheus-node-exporter-p6x4j", undefined],
    ["api-gateway-proxy", undefined],
    ["etcd-master-1.example.internal", undefined],
    ["debug", undefined],
  ])("%s", (pod, owner) => {
    expect(ownerOfPod(pod)).toEqual(owner);
  });
});

describe("subjectServiceName", () => {
  it("the subject's service or workload, else its namespace; nothing for nodes and clusters", () => {
    expect(subjectServiceName(subjectOf({ service: "checkout", namespace: "shop" }))).toBe("checkout");
    expect(subjectServiceName(subjectOf({ namespace: "shop", deployment: "cart" }))).toBe("cart");
    expect(subjectServiceName(subjectOf({ namespace: "db" }))).toBe("db");
    expect(subjectServiceName(subjectOf({ node: "n1" }))).toBeNull();
    expect(subjectServiceName(subjectOf({ alertname: "KubeCPUOvercommit" }))).toBeNull();
  });
});
