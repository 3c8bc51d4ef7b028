// Journeys against the real Prometheus 2.42 and Alertmanager 0.25 binaries (Debian packages), all
// on 127.0.0.1: scrape → query_range through our client; rule → Alertmanager → webhook (firing and
// resolved); remote_write → our decoder (samples, metadata and stale markers).
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { checkConnection, instantQuery, PrometheusError, queryRange } from "@/lib/insight/prometheus";
import { decodeWriteRequest, type DecodedWriteRequest } from "@/lib/insight/remote-write";
import { eventually, missingBinaries, startAlertmanager, startMetricTarget, startPrometheus, startReceiver, stopAll } from "./harness";

const missing = missingBinaries();
// The real programs are part of the test contract: without them this fails rather than skipping.
if (missing.length) throw new Error(`missing ${missing.join(", ")}: apt-get install -y prometheus prometheus-alertmanager`);

// Per-test cleanup list, run in reverse order: Prometheus before the receivers it writes to (see harness stopChild).
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(stopAll);

function track<T extends { stop(): Promise<void> }>(x: T): T {
  cleanups.push(() => x.stop());
  return x;
}

// Alertmanager webhook payload, version 4 (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config).
const AlertSchema = z
  .object({
    status: z.enum(["firing", "resolved"]),
    labels: z.record(z.string(), z.string()),
    annotations: z.record(z.string(), z.string()),
    startsAt: z.iso.datetime({ offset: true }),
    endsAt: z.string(),
    generatorURL: z.string(),
    fingerprint: z.string().regex(/^[0-9a-f]{16}$/),
  })
  .strict();
const WebhookSchema = z
  .object({
    receiver: z.string(),
    status: z.enum(["firing", "resolved"]),
    alerts: z.array(AlertSchema).min(1),
    groupLabels: z.record(z.string(), z.string()),
    commonLabels: z.record(z.string(), z.string()),
    commonAnnotations: z.record(z.string(), z.string()),
    externalURL: z.string(),
    version: z.literal("4"),
    groupKey: z.string(),
    truncatedAlerts: z.number().int(),
  })
  .strict();
type Webhook = z.infer<typeof WebhookSchema> & { authorization: string | undefined };

describe("real Prometheus + Alertmanager", () => {
  it("scrapes a target; query_range through our client returns the values, including a spike", async () => {
    const t0 = Date.now();
    const target = track(await startMetricTarget({ labels: { service: "checkout" }, initial: 1 }));
    const prom = track(await startPrometheus({ scrapeTargets: [target.hostPort] }));

    const info = await checkConnection(prom.url);
    expect(info.version).toMatch(/^2\.\d+\.\d+/);
    console.log(`prometheus ${info.version} ready in ${Date.now() - t0} ms at ${prom.url}`);

    // Prometheus 2.42 applies scrape targets on a 5 s ticker, so the first scrape comes ~5 s after ready.
    await target.waitForScrapes(1);
    target.set(250); // the spike
    await target.waitForScrapes(2);
    target.set(1);
    await target.waitForScrapes(2);

    let start = 0;
    let end = 0;
    const res = await eventually(
      async () => {
        end = Date.now();
        start = end - 60_000;
        const r = await queryRange({ baseUrl: prom.url, query: target.metricName, start, end, step: 1, timeoutMs: 5_000 });
        const s = r.series[0];
        return s && s.points.some((p) => p.v === 250) && s.points.at(-1)?.v === 1 ? r : undefined;
      },
      { what: "the spike in query_range", timeoutMs: 10_000 },
    );
    expect(res.series).toHaveLength(1);
    const series = res.series[0]!;
    expect(series.labels).toEqual({ __name__: "neuralops_test_gauge", instance: target.hostPort, job: "target", service: "checkout" });
    expect(new Set(series.points.map((p) => p.v))).toEqual(new Set([1, 250]));
    // Timestamps come back in ms, inside the window, one step (1 s) apart.
    for (const [i, p] of series.points.entries()) {
      expect(p.t).toBeGreaterThanOrEqual(start - 1);
      expect(p.t).toBeLessThanOrEqual(end + 1);
      if (i > 0) expect(p.t - series.points[i - 1]!.t).toBe(1000);
    }
    const spikeAt = series.points.findIndex((p) => p.v === 250);
    expect(series.points.slice(spikeAt).findIndex((p) => p.v === 1)).toBeGreaterThan(0); // back to normal after

    // Instant query and the real server's error answers, through the same client.
    const now = await instantQuery({ baseUrl: prom.url, query: `${target.metricName} * 2` });
    expect(now).toMatchObject({ resultType: "vector", series: [{ points: [{ v: 2 }] }] });
    const scalar = await instantQuery({ baseUrl: prom.url, query: "1/0" });
    expect(scalar.series[0]!.points[0]!.v).toBe(Infinity);

    const errorOf = async (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => (e instanceof PrometheusError ? e : Promise.reject(e)));
    const parse = await errorOf(queryRange({ baseUrl: prom.url, query: "up{", start: end - 10_000, end, step: 1, timeoutMs: 5_000 }));
    expect(parse).toMatchObject({ kind: "bad_query", status: 400, errorType: "bad_data" });
    expect(parse?.message).toMatch(/parse error/);
    const resolution = await errorOf(queryRange({ baseUrl: prom.url, query: "up", start: end - 20_000_000, end, step: 1, timeoutMs: 5_000 }));
    expect(resolution).toMatchObject({ kind: "bad_query", errorType: "bad_data" });
    expect(resolution?.message).toMatch(/11,000 points/);
    const dup = await errorOf(instantQuery({ baseUrl: prom.url, query: `label_replace({job="target"}, "__name__", "x", "", "")` }));
    expect(dup).toMatchObject({ kind: "bad_query", status: 422, errorType: "execution" });
    const wrongPath = await errorOf(checkConnection(`${prom.url}/not-prometheus`));
    expect(wrongPath).toMatchObject({ kind: "protocol", status: 404 });
  });

  it("a rule fires an alert that Alertmanager delivers to our webhook with the bearer token, then resolves", async () => {
    const token = "am-test-token-0123456789";
    const webhook = track(
      await startReceiver<Webhook>({
        parse: (r) => ({ ...WebhookSchema.parse(JSON.parse(r.body.toString("utf8"))), authorization: r.headers.authorization }),
      }),
    );
    const am = track(await startAlertmanager({ webhookUrl: `${webhook.url}/hooks/alertmanager`, bearerToken: token }));
    const target = track(await startMetricTarget({ initial: 0 }));
    const rules = JSON.stringify({
      groups: [
        {
          name: "neuralops-test",
          rules: [
            {
              alert: "GaugeTooHigh",
              expr: `${target.metricName} > 50`,
              for: "0s",
              labels: { severity: "critical", team: "neuralops" },
              annotations: { summary: "gauge is {{ $value }}", runbook_url: "https://runbooks.example/gauge" },
            },
          ],
        },
      ],
    });
    const prom = track(await startPrometheus({ scrapeTargets: [target.hostPort], ruleFiles: [{ name: "gauge.yml", content: rules }], alertmanagerUrl: am.url }));

    await target.waitForScrapes(1);
    const t0 = Date.now();
    target.set(100);
    const firing = await webhook.waitFor((w) => w.status === "firing", 20_000, "a firing webhook");
    console.log(`firing webhook after ${Date.now() - t0} ms`);

    expect(webhook.requests[0]).toMatchObject({ method: "POST", path: "/hooks/alertmanager" });
    expect(webhook.requests[0]!.headers["content-type"]).toBe("application/json");
    expect(firing.authorization).toBe(`Bearer ${token}`);
    expect(firing).toMatchObject({
      receiver: "neuralops-webhook",
      version: "4",
      groupLabels: { alertname: "GaugeTooHigh" },
      commonLabels: { alertname: "GaugeTooHigh", severity: "critical", team: "neuralops", job: "target", instance: target.hostPort },
      externalURL: am.url,
      groupKey: '{}:{alertname="GaugeTooHigh"}',
      truncatedAlerts: 0,
    });
    const alert = firing.alerts[0]!;
    expect(alert.status).toBe("firing");
    expect(alert.endsAt).toBe("0001-01-01T00:00:00Z"); // firing alerts carry the zero time
    expect(alert.annotations).toEqual({ summary: "gauge is 100", runbook_url: "https://runbooks.example/gauge" });
    expect(alert.generatorURL).toContain(`${prom.url}/graph?g0.expr=`);
    expect(Date.parse(alert.startsAt)).toBeGreaterThan(t0 - 5_000);

    const t1 = Date.now();
    target.set(0);
    const resolved = await webhook.waitFor((w) => w.status === "resolved", 20_000, "a resolved webhook");
    console.log(`resolved webhook after ${Date.now() - t1} ms`);
    const r = resolved.alerts[0]!;
    expect(resolved.authorization).toBe(`Bearer ${token}`);
    expect(r.status).toBe("resolved");
    expect(r.fingerprint).toBe(alert.fingerprint); // idempotency key: fingerprint + startsAt
    expect(r.startsAt).toBe(alert.startsAt);
    expect(Date.parse(r.endsAt)).toBeGreaterThan(Date.parse(r.startsAt));
    expect(webhook.errors).toEqual([]);
  });

  it("remote_write delivers bodies our decoder decodes: samples, metadata and stale markers", async () => {
    const token = "rw-test-token-0123456789";
    const receiver = track(
      await startReceiver<DecodedWriteRequest & { headers: Record<string, unknown> }>({
        status: 204,
        parse: (r) => {
          if (r.headers.authorization !== `Bearer ${token}`) throw new Error(`bad authorization header ${String(r.headers.authorization)}`);
          return { ...decodeWriteRequest(r.body, { maxDecompressedBytes: 32 * 1024 * 1024 }), headers: r.headers };
        },
      }),
    );
    const target = track(await startMetricTarget({ initial: 7 }));
    track(await startPrometheus({ scrapeTargets: [target.hostPort], remoteWrite: [{ url: `${receiver.url}/api/v1/write`, bearerToken: token }] }));

    const gaugeValues = () => receiver.items.flatMap((b) => b.series.filter((s) => s.labels.__name__ === target.metricName).flatMap((s) => s.samples));
    const t0 = Date.now();
    await eventually(() => (gaugeValues().some((s) => s.v === 7) ? true : undefined), { what: "value 7 via remote_write", timeoutMs: 20_000 });
    console.log(`first remote_write sample after ${Date.now() - t0} ms`);
    target.set(13);
    await eventually(() => (gaugeValues().some((s) => s.v === 13) ? true : undefined), { what: "value 13 via remote_write", timeoutMs: 15_000 });

    const req = receiver.requests[0]!;
    expect(req.method).toBe("POST");
    expect(req.path).toBe("/api/v1/write");
    expect(req.headers).toMatchObject({
      "content-encoding": "snappy",
      "content-type": "application/x-protobuf",
      "x-prometheus-remote-write-version": "0.1.0",
    });
    const gauge = receiver.items.flatMap((b) => b.series).find((s) => s.labels.__name__ === target.metricName)!;
    expect({ ...gauge.labels }).toEqual({ __name__: "neuralops_test_gauge", instance: target.hostPort, job: "target" });
    for (const s of gaugeValues()) {
      expect(s.t).toBeGreaterThan(t0 - 5_000);
      expect(s.t).toBeLessThan(Date.now() + 1_000);
    }
    // `up` and scrape_* series come along with the target's own metric.
    const names = new Set(receiver.items.flatMap((b) => b.series.map((s) => s.labels.__name__)));
    expect(names).toContain("up");
    expect(names).toContain("scrape_duration_seconds");

    // Metadata arrives in its own requests, without samples.
    const meta = await eventually(() => receiver.items.find((b) => b.metadataCount > 0), { what: "a metadata request", timeoutMs: 10_000 });
    expect(meta.series).toEqual([]);

    // Take the target away: Prometheus writes a staleness marker for its series on the next failed scrape.
    await target.stop();
    const stale = await eventually(() => gaugeValues().find((s) => s.stale), { what: "a stale marker via remote_write", timeoutMs: 15_000 });
    expect(stale.v).toBeNaN();
    expect(receiver.errors).toEqual([]);
  });
});
