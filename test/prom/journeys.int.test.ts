// The insight engine against the real Prometheus 2.42 and Alertmanager 0.25 (Debian packages):
// (1) a scraped spike found by a monitor.scan job → incident; (2) a Prometheus rule → Alertmanager →
// our webhook → incident, then resolved; (3) Prometheus remote_write → /api/v1/write → detectors.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { QueueEvents, Worker } from "bullmq";
import { db } from "@/lib/db";
import { redis } from "@/lib/redis";
import { bullPrefix, enqueue } from "@/lib/jobs/queue";
import { createApiToken } from "@/lib/tokens/create-api-token";
import { setPrometheusSource } from "@/lib/integrations/prometheus-source";
import { createMonitor } from "@/lib/monitors/manage-monitors";
import { processJob } from "@/workers/process-job";
import { POST as alertmanagerRoute } from "@/app/api/v1/integrations/alertmanager/route";
import { POST as remoteWriteRoute } from "@/app/api/v1/write/route";
import { makeActor, makeOrg } from "@/test/factories";
import { eventually, missingBinaries, startAlertmanager, startMetricTarget, startPrometheus, stopAll } from "./harness";
import { startRouteServer } from "./route-server";

const missing = missingBinaries();
if (missing.length) throw new Error(`missing ${missing.join(", ")}: apt-get install -y prometheus prometheus-alertmanager`);

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(stopAll);

async function orgWithIngestToken() {
  const org = await makeOrg("prom");
  const admin = await makeActor(org.id, "admin");
  const { token } = await createApiToken({ actor: admin, input: { name: "ingest", role: "operator", scopes: ["signals.ingest"] } });
  return { org, admin, token };
}

describe("insight engine with real Prometheus and Alertmanager", () => {
  it("(1) a spike scraped by Prometheus is found by a monitor.scan job and opens an incident", async () => {
    const { org, admin } = await orgWithIngestToken();
    const target = await startMetricTarget({ metricName: "checkout_latency_seconds", labels: { service: "checkout" }, initial: 1 });
    cleanups.push(target.stop);
    const prom = await startPrometheus({ scrapeTargets: [target.hostPort], scrapeInterval: "1s" });
    cleanups.push(prom.stop);
    await setPrometheusSource({ actor: admin, input: { url: prom.url } });
    const monitor = await createMonitor({
      actor: admin,
      input: { name: "checkout latency", query: "checkout_latency_seconds", stepSeconds: 1, detector: { type: "zscore", window: 60, minPoints: 8 }, labels: { service: "checkout" }, enabled: false },
    });
    // Enabled without its per-monitor schedule: the one scan is the job enqueued below.
    await db.monitor.update({ where: { id: monitor.id }, data: { enabled: true } });

    // A noisy baseline, then a spike.
    let i = 0;
    const noise = setInterval(() => target.set(1 + 0.02 * Math.sin(i++)), 250);
    cleanups.push(async () => clearInterval(noise));
    await target.waitForScrapes(14, 30_000);
    clearInterval(noise);
    target.set(40);
    await target.waitForScrapes(3, 10_000);

    const worker = new Worker("insight", processJob, { connection: redis().duplicate(), prefix: bullPrefix() });
    const events = new QueueEvents("insight", { connection: redis().duplicate(), prefix: bullPrefix() });
    cleanups.push(async () => {
      await worker.close();
      await events.close();
    });
    await events.waitUntilReady();
    const job = await enqueue("monitor.scan", { monitorId: monitor.id });
    const result = (await job.waitUntilFinished(events, 30_000)) as { series: number; scored: number; signals: number };
    expect(result.series).toBe(1);
    expect(result.scored).toBeGreaterThan(10);
    expect(result.signals).toBeGreaterThanOrEqual(1);

    const incident = await db.incident.findFirstOrThrow({ where: { orgId: org.id }, include: { signals: true } });
    expect(incident).toMatchObject({ status: "open", groupKey: "service=checkout" });
    expect(incident.signals[0]).toMatchObject({ kind: "anomaly", source: `monitor:${monitor.id}`, value: 40 });
    const state = await db.monitorSeries.findFirstOrThrow({ where: { monitorId: monitor.id } });
    expect(Number(state.lastTs)).toBeGreaterThan(0);
  }, 90_000);

  it("(2) a Prometheus rule fires through Alertmanager into an incident, which resolves with the alert", async () => {
    const { org, admin, token } = await orgWithIngestToken();
    const app = await startRouteServer({ "POST /api/v1/integrations/alertmanager": alertmanagerRoute });
    cleanups.push(app.stop);
    const am = await startAlertmanager({ webhookUrl: `${app.url}/api/v1/integrations/alertmanager`, bearerToken: token });
    cleanups.push(am.stop);
    const target = await startMetricTarget({ metricName: "queue_depth", labels: { service: "billing" }, initial: 1 });
    cleanups.push(target.stop);
    const rules = JSON.stringify({
      groups: [{ name: "t", rules: [{ alert: "QueueBacklog", expr: "queue_depth > 50", labels: { severity: "critical" }, annotations: { summary: "billing queue backlog" } }] }],
    });
    const prom = await startPrometheus({ scrapeTargets: [target.hostPort], scrapeInterval: "1s", ruleFiles: [{ name: "rules.json", content: rules }], alertmanagerUrl: am.url });
    cleanups.push(prom.stop);

    await target.waitForScrapes(2, 20_000);
    target.set(100);
    const incident = await eventually(async () => (await db.incident.findFirst({ where: { orgId: org.id }, include: { signals: true } })) ?? undefined, { timeoutMs: 40_000, what: "incident from Alertmanager" });
    expect(incident).toMatchObject({ status: "open", severity: "critical", groupKey: "service=billing", title: "billing queue backlog" });
    expect(incident.signals[0]).toMatchObject({ kind: "alert", source: "alertmanager", status: "firing" });

    target.set(1);
    const resolved = await eventually(
      async () => {
        const inc = await db.incident.findUnique({ where: { id: incident.id } });
        return inc?.status === "resolved" ? inc : undefined;
      },
      { timeoutMs: 40_000, what: "incident resolved" },
    );
    expect(resolved.resolvedBy).toMatch(/all signals resolved/);
    // Alertmanager repeats deliveries; still one signal.
    expect(await db.signal.count({ where: { orgId: org.id } })).toBe(1);
    expect(app.hits.every((h) => h.status === 200)).toBe(true);
    expect(admin.orgId).toBe(org.id);
  }, 120_000);

  it("(3) Prometheus remote_write reaches the detectors through /api/v1/write", async () => {
    const { org, admin, token } = await orgWithIngestToken();
    const monitor = await createMonitor({ actor: admin, input: { name: "pushed gauge", query: `pushed_gauge{service="search"}`, enabled: false } });
    await db.monitor.update({ where: { id: monitor.id }, data: { enabled: true } });
    const app = await startRouteServer({ "POST /api/v1/write": remoteWriteRoute });
    cleanups.push(app.stop);
    const target = await startMetricTarget({ metricName: "pushed_gauge", labels: { service: "search" }, initial: 7 });
    cleanups.push(target.stop);
    const prom = await startPrometheus({ scrapeTargets: [target.hostPort], scrapeInterval: "1s", remoteWrite: [{ url: `${app.url}/api/v1/write`, bearerToken: token }] });
    cleanups.push(prom.stop);

    const state = await eventually(async () => (await db.monitorSeries.findFirst({ where: { monitorId: monitor.id } })) ?? undefined, { timeoutMs: 40_000, what: "series state from remote_write" });
    expect(state.labels).toMatchObject({ __name__: "pushed_gauge", service: "search" });
    expect(Number(state.lastTs)).toBeGreaterThan(Date.now() - 120_000);
    expect(app.hits.length).toBeGreaterThan(0);
    expect(app.hits.every((h) => h.status === 200)).toBe(true);
    expect(org.id).toBe(admin.orgId);
  }, 90_000);
});
