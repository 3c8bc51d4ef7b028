// One bad alert must not block its batch: Alertmanager resends a whole batch on a 5xx forever, and
// drops it on a 4xx, so either way the valid alerts next to a bad one would never be stored.
import { describe, expect, it } from "vitest";
import { POST } from "@/app/api/v1/integrations/alertmanager/route";
import { db } from "@/lib/db";
import { metrics } from "@/lib/metrics/registry";
import { makeOrg } from "@/test/factories";
import { bearer, callRoute, tokenFor } from "@/test/call-route";

const envelope = { version: "4", status: "firing", receiver: "neuralops", groupLabels: {}, commonLabels: {}, commonAnnotations: {}, truncatedAlerts: 0 };

function alert(fingerprint: string, labels: Record<string, string>, extra: Record<string, unknown> = {}) {
  return { status: "firing", labels, annotations: { summary: `alert ${fingerprint}` }, startsAt: "2026-11-27T06:19:46.572Z", endsAt: "0001-01-01T00:00:00Z", fingerprint, ...extra };
}

async function rejectedCount(reason: string): Promise<number> {
  const metric = await metrics().registry.getSingleMetric("neuralops_ingest_rejected_alerts_total")?.get();
  return metric?.values.find((v) => v.labels.reason === reason)?.value ?? 0;
}

describe("POST /api/v1/integrations/alertmanager with bad alerts in the batch", () => {
  it("stores the valid alerts, lists each bad one with its reason, counts them, and answers 200", async () => {
    const org = await makeOrg("ambatch");
    const token = await tokenFor(org.id, "operator", ["signals.ingest"]);
    const thousandLabels = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`label_${i}`, `value-${i}`]));
    const alerts = [
      alert("ok-1", { alertname: "Good", service: "checkout" }),
      alert("nul", { alertname: "Bad\u0000Name", service: "checkout" }),
      alert("surrogate", { alertname: "Lone", service: "checkout" }, { annotations: { summary: "half a pair \ud800 here" } }),
      alert("many-labels", thousandLabels),
      alert("year-1", { alertname: "Ancient", service: "search" }, { startsAt: "0001-01-01T00:00:00Z" }),
      alert("year-9999", { alertname: "Future", service: "search" }, { startsAt: "9999-12-31T23:59:59Z" }),
      alert("long-value", { alertname: "Long", service: "x".repeat(2001) }),
      { status: "firing", labels: { alertname: "NoStart" }, fingerprint: "no-start" },
      alert("ok-2", { alertname: "AlsoGood", namespace: "payments" }),
      // A broken exporter's zero time: before 2000, so not a real alert time either.
      alert("epoch", { alertname: "Epoch", service: "search" }, { startsAt: "1970-01-01T00:00:00Z" }),
    ];
    const before = {
      invalid_characters: await rejectedCount("invalid_characters"),
      too_many_labels: await rejectedCount("too_many_labels"),
      time_out_of_range: await rejectedCount("time_out_of_range"),
    };

    const res = await callRoute(POST, { headers: bearer(token), body: { ...envelope, alerts } });

    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ received: 10, accepted: 2, created: 2 });
    expect(res.json.rejected).toEqual([
      { index: 1, fingerprint: "nul", reason: "invalid_characters", message: expect.stringContaining("labels.alertname") },
      { index: 2, fingerprint: "surrogate", reason: "invalid_characters", message: expect.stringContaining("annotations.summary") },
      { index: 3, fingerprint: "many-labels", reason: "too_many_labels", message: expect.stringContaining("1000") },
      { index: 4, fingerprint: "year-1", reason: "time_out_of_range", message: expect.stringContaining("startsAt") },
      { index: 5, fingerprint: "year-9999", reason: "time_out_of_range", message: expect.stringContaining("startsAt") },
      { index: 6, fingerprint: "long-value", reason: "label_too_long", message: expect.stringContaining("service") },
      { index: 7, fingerprint: "no-start", reason: "invalid_alert", message: expect.stringContaining("startsAt") },
      { index: 9, fingerprint: "epoch", reason: "time_out_of_range", message: expect.stringContaining("before 2000-01-01") },
    ]);
    const stored = await db.signal.findMany({ where: { orgId: org.id }, orderBy: { fingerprint: "asc" } });
    expect(stored.map((s) => s.fingerprint)).toEqual(["ok-1", "ok-2"]);
    expect(await rejectedCount("invalid_characters")).toBe(before.invalid_characters + 2);
    expect(await rejectedCount("too_many_labels")).toBe(before.too_many_labels + 1);
    expect(await rejectedCount("time_out_of_range")).toBe(before.time_out_of_range + 3);

    // Alertmanager resends the same batch later: still 200, the valid ones are repeats, nothing new.
    const again = await callRoute(POST, { headers: bearer(token), body: { ...envelope, alerts } });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ accepted: 2, created: 0, updated: 2 });
  });

  it("a batch of only bad alerts is still processed (200, nothing stored)", async () => {
    const org = await makeOrg("ambad");
    const token = await tokenFor(org.id, "operator", ["signals.ingest"]);
    const res = await callRoute(POST, { headers: bearer(token), body: { ...envelope, alerts: [alert("x", { "a\u0000": "b" }), 7] } });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ accepted: 0, created: 0 });
    expect(res.json.rejected.map((r: { reason: string }) => r.reason)).toEqual(["invalid_characters", "invalid_alert"]);
    expect(await db.signal.count({ where: { orgId: org.id } })).toBe(0);
  });

  it("cuts over-long annotation text instead of dropping the alert, and an empty summary falls back to the alert name", async () => {
    const org = await makeOrg("amlong");
    const token = await tokenFor(org.id, "operator", ["signals.ingest"]);
    const res = await callRoute(POST, {
      headers: bearer(token),
      body: { ...envelope, alerts: [alert("long-text", { alertname: "Verbose", service: "api" }, { annotations: { summary: "", description: "d".repeat(5000) } })] },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ accepted: 1, rejected: [] });
    const signal = await db.signal.findFirstOrThrow({ where: { orgId: org.id } });
    expect(signal.title).toBe("Verbose");
    expect((signal.annotations as Record<string, string>).description!.length).toBeLessThanOrEqual(2000);
  });

  it("an alert within the label bounds but with nothing to group on is stored (its long group key is bounded)", async () => {
    const org = await makeOrg("amgroup");
    const token = await tokenFor(org.id, "operator", ["signals.ingest"]);
    const labels = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`label_${i}`, `${i}-${"v".repeat(150)}`]));
    const res = await callRoute(POST, { headers: bearer(token), body: { ...envelope, alerts: [alert("wide", labels)] } });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ accepted: 1, created: 1, rejected: [] });
    const incident = await db.incident.findFirstOrThrow({ where: { orgId: org.id } });
    expect(incident.groupKey.length).toBeLessThan(300);
    // The same labels again join the same incident.
    const again = await callRoute(POST, { headers: bearer(token), body: { ...envelope, alerts: [alert("wide-2", labels)] } });
    expect(again.json).toMatchObject({ created: 1, openedIncidents: [] });
  });

  it("the envelope itself must still be an Alertmanager webhook (400, nothing stored)", async () => {
    const org = await makeOrg("amenv");
    const token = await tokenFor(org.id, "operator", ["signals.ingest"]);
    const res = await callRoute(POST, { headers: bearer(token), body: { alerts: 7 } });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("validation_failed");
  });
});
