import { describe, expect, it } from "vitest";
import { groupKeyFor, incidentServiceFor } from "@/lib/incidents/grouping";
import { kpsAlert } from "@/test/kube-prometheus-stack";

describe("groupKeyFor: plain app alerts keep their keys", () => {
  it.each([
    [{ alertname: "HighLatency", service: "checkout" }, "service=checkout"],
    [{ alertname: "DiskFull", namespace: "db" }, "namespace=db"],
    [{ alertname: "AlwaysFiring", cluster: "integ-test", severity: "critical", team: "neuralops" }, "alertname=AlwaysFiring"],
    [{ alertname: "QueueBacklog", service: "billing", instance: "127.0.0.1:41234", job: "t", severity: "critical" }, "service=billing"],
    [{ alertname: "X", service: "api", namespace: "shop", pod: "api-7c9d8b6f5-x2x4k", job: "api", instance: "10.1.2.3:8080" }, "service=api"],
    [{ __name__: "queue_depth", service: "billing", instance: "q1" }, "service=billing"],
    [{ a: "1", b: "2" }, "labels:a=1,b=2"],
    [{}, "ungrouped"],
  ])("%j → %s", (labels, key) => {
    expect(groupKeyFor(labels)).toBe(key);
  });

  it("an explicit groupBy list still picks the first label present", () => {
    const labels = kpsAlert("NodeNetworkTransmitErrs");
    expect(groupKeyFor(labels, ["service", "alertname"])).toBe("service=kube-prometheus-stack-prometheus-node-exporter");
  });
});

describe("groupKeyFor: exporter alerts group by their subject", () => {
  it("node-exporter alerts group by node, not by node-exporter's service", () => {
    const nic = kpsAlert("NodeNetworkTransmitErrs");
    const disk = kpsAlert("NodeFilesystemSpaceFillingUp");
    const otherNode = kpsAlert("NodeFilesystemAlmostOutOfSpace");
    expect(groupKeyFor(nic)).toBe("node=10.0.12.201");
    expect(groupKeyFor(disk)).toBe(groupKeyFor(nic));
    expect(groupKeyFor(otherNode)).toBe("node=10.0.12.202");
  });

  it("a relabeled nodename, and the cluster when there is one, name the node", () => {
    expect(groupKeyFor({ ...kpsAlert("NodeNetworkTransmitErrs"), nodename: "worker-3" })).toBe("node=worker-3");
    expect(groupKeyFor({ ...kpsAlert("NodeNetworkTransmitErrs"), cluster: "prod-eu" })).toBe("cluster=prod-eu,node=10.0.12.201");
  });

  it("kube-state-metrics alerts group by the workload they name", () => {
    expect(groupKeyFor(kpsAlert("KubePodCrashLooping"))).toBe("service=checkout");
    expect(groupKeyFor(kpsAlert("KubeDeploymentRolloutStuck"))).toBe("service=checkout");
    expect(groupKeyFor(kpsAlert("KubeStatefulSetReplicasMismatch"))).toBe("service=postgres");
    expect(groupKeyFor(kpsAlert("KubeQuotaAlmostFull"))).toBe("namespace=shop");
    expect(groupKeyFor(kpsAlert("KubeNodeNotReady"))).toBe("node=ip-10-0-12-202.eu-west-1.compute.internal");
    expect(groupKeyFor(kpsAlert("KubePersistentVolumeErrors"))).toBe("volume=pvc-2f9c1a7e-3b4d-4c5e-9f60-7a8b9c0d1e2f");
  });

  it("a KSM crash loop joins the app's own alert on the same service", () => {
    expect(groupKeyFor(kpsAlert("KubePodCrashLooping"))).toBe(groupKeyFor({ alertname: "HighErrorRate", service: "checkout", namespace: "shop" }));
  });

  it("no exporter alert groups under an exporter's own service or namespace", () => {
    for (const name of ["NodeNetworkTransmitErrs", "KubePodCrashLooping", "KubeDeploymentReplicasMismatch", "KubeNodeNotReady", "CPUThrottlingHigh", "KubePersistentVolumeFillingUp"]) {
      const key = groupKeyFor(kpsAlert(name));
      expect(key, name).not.toMatch(/kube-state-metrics|node-exporter|kubelet|namespace=monitoring|namespace=kube-system/);
    }
  });

  it("alerts that name no subject keep the alertname key", () => {
    expect(groupKeyFor(kpsAlert("Watchdog"))).toBe("alertname=Watchdog");
    expect(groupKeyFor(kpsAlert("KubeCPUOvercommit"))).toBe("alertname=KubeCPUOvercommit");
  });
});

describe("incidentServiceFor", () => {
  it("is the subject's service or workload, never the exporter's", () => {
    expect(incidentServiceFor({ alertname: "HighLatency", service: "checkout" })).toBe("checkout");
    expect(incidentServiceFor({ alertname: "DiskFull", namespace: "db" })).toBe("db");
    expect(incidentServiceFor({ alertname: "AlwaysFiring" })).toBeNull();
    expect(incidentServiceFor(kpsAlert("KubePodCrashLooping"))).toBe("checkout");
    expect(incidentServiceFor(kpsAlert("KubeDeploymentReplicasMismatch"))).toBe("cart");
    expect(incidentServiceFor(kpsAlert("NodeNetworkTransmitErrs"))).toBeNull();
    expect(incidentServiceFor(kpsAlert("KubeNodeNotReady"))).toBeNull();
  });
});
