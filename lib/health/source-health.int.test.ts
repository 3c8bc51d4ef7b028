// The overview's "Sources" card: what it says about monitors, agents and alerts comes from this org only,
// and a Prometheus that does not answer is reported, not thrown.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { ingestSignals } from "@/lib/incidents/ingest-signals";
import { topOpenIncidents } from "@/lib/incidents/incident-stats";
import { prometheusHealth, sourceHealth } from "@/lib/health/source-health";
import { makeActor, makeOrg } from "@/test/factories";

const STARTS = new Date(Date.now() - 60_000);
const alert = (fp: string, severity: "info" | "warning" | "critical", service: string) => ({
  kind: "alert" as const,
  fingerprint: fp,
  startsAt: STARTS,
  status: "firing" as const,
  title: `${service} down`,
  labels: { alertname: "Down", service },
  severity,
  source: "alertmanager",
});

describe("sourceHealth", () => {
  it("counts this org's monitors, clusters and alerts", async () => {
    const org = await makeOrg("src");
    const other = await makeOrg("src-other");
    const actor = await makeActor(org.id, "viewer");
    const empty = await sourceHealth({ actor });
    expect(empty).toEqual({
      monitors: { enabled: 0, disabled: 0, failing: 0, neverScanned: 0, oldestScanAt: null, newestScanAt: null },
      agents: { clusters: 0, connected: 0, awaitingEnrollment: 0 },
      ingest: { lastAlertAt: null, alertDeliveries24h: 0, alertSignals24h: 0, lastRemoteWriteAt: null, remoteWriteSignals24h: 0 },
    });

    const base = { query: "up", detector: {}, orgId: org.id };
    const t1 = new Date(Date.now() - 10 * 60_000);
    const t2 = new Date(Date.now() - 60_000);
    await db.monitor.createMany({
      data: [
        { ...base, name: "a", lastScanAt: t1 },
        { ...base, name: "b", lastScanAt: t2, lastError: "Prometheus did not answer" },
        { ...base, name: "c" },
        { ...base, name: "d", enabled: false },
        { ...base, orgId: other.id, name: "elsewhere", lastScanAt: new Date() },
      ],
    });
    const now = new Date();
    await db.agentCluster.createMany({
      data: [
        { orgId: org.id, name: "live", enrolledAt: now, connectedAt: now, lastHeartbeatAt: now },
        { orgId: org.id, name: "new", bootstrapExpiresAt: new Date(Date.now() + 3600_000) },
      ],
    });
    const operator = await makeActor(org.id, "operator");
    await ingestSignals({ actor: operator, signals: [alert("x", "warning", "checkout")] });
    await ingestSignals({ actor: operator, signals: [alert("x", "warning", "checkout")] });

    const h = await sourceHealth({ actor });
    expect(h.monitors).toEqual({ enabled: 3, disabled: 1, failing: 1, neverScanned: 1, oldestScanAt: t1, newestScanAt: t2 });
    expect(h.agents).toEqual({ clusters: 2, connected: 1, awaitingEnrollment: 1 });
    expect(h.ingest.alertSignals24h).toBe(1);
    expect(h.ingest.alertDeliveries24h).toBe(2);
    expect(h.ingest.lastAlertAt!.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it("reports an unconfigured or unreachable Prometheus", async () => {
    const org = await makeOrg("prom");
    const actor = await makeActor(org.id, "viewer");
    expect(await prometheusHealth({ actor })).toEqual({ configured: false });
    await db.prometheusSource.create({ data: { orgId: org.id, url: "http://127.0.0.1:9/" } });
    const down = await prometheusHealth({ actor, probe: async () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:9")) });
    expect(down).toMatchObject({ configured: true, ok: false, error: "connect ECONNREFUSED 127.0.0.1:9" });
    const up = await prometheusHealth({ actor, probe: async (url) => ({ version: url.includes("127.0.0.1:9") ? "2.53.0" : "?" }) });
    expect(up).toMatchObject({ configured: true, ok: true, version: "2.53.0" });
  });
});

describe("topOpenIncidents", () => {
  it("lists unacknowledged before acknowledged, most severe first, and leaves resolved ones out", async () => {
    const org = await makeOrg("top");
    const actor = await makeActor(org.id, "operator");
    await ingestSignals({ actor, signals: [alert("i", "info", "a"), alert("c", "critical", "b"), alert("w", "warning", "c"), alert("c2", "critical", "d"), alert("r", "critical", "e")] });
    const all = await db.incident.findMany({ where: { orgId: org.id } });
    const byService = (s: string) => all.find((i) => i.service === s)!;
    await db.incident.update({ where: { id: byService("d").id }, data: { status: "acknowledged" } });
    await db.incident.update({ where: { id: byService("e").id }, data: { status: "resolved" } });
    const top = await topOpenIncidents({ actor: await makeActor(org.id, "viewer") });
    expect(top.map((i) => i.service)).toEqual(["b", "c", "a", "d"]);
    expect((await topOpenIncidents({ actor, limit: 2 })).length).toBe(2);
  });
});
