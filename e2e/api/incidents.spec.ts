// Alertmanager webhook → incident, over HTTP against the real server.
import { expect, test } from "@playwright/test";
import { alertmanagerFixture, bearer, e2eState } from "../fixtures";

test("posting Alertmanager's firing.json creates an incident that GET /api/v1/incidents lists", async ({ request }) => {
  const { tokens } = e2eState();
  const res = await request.post("/api/v1/integrations/alertmanager", { headers: bearer(tokens.operator.token), data: alertmanagerFixture("firing.json") });
  expect(res.status()).toBe(200);
  const list = await (await request.get("/api/v1/incidents?q=AlwaysFiring", { headers: bearer(tokens.viewer.token) })).json();
  expect(list.incidents.length).toBeGreaterThanOrEqual(1);
  const inc = list.incidents[0];
  expect(inc).toMatchObject({ groupKey: "alertname=AlwaysFiring", severity: "critical" });
  const detail = await (await request.get(`/api/v1/incidents/${inc.id}`, { headers: bearer(tokens.viewer.token) })).json();
  expect(detail.signals.map((s: { fingerprint: string }) => s.fingerprint)).toContain("e18c7fffba292634");
});

test('{"alerts": 7} and malformed bodies get 400 and store nothing', async ({ request }) => {
  const { tokens } = e2eState();
  const before = (await (await request.get("/api/v1/incidents?limit=200", { headers: bearer(tokens.viewer.token) })).json()).incidents.length;
  const bad = await request.post("/api/v1/integrations/alertmanager", { headers: bearer(tokens.operator.token), data: { alerts: 7 } });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error.code).toBe("validation_failed");
  const broken = await request.post("/api/v1/integrations/alertmanager", {
    headers: { ...bearer(tokens.operator.token), "content-type": "application/json" },
    data: Buffer.from('{"version":"4","alerts":['),
  });
  expect(broken.status()).toBe(400);
  const huge = alertmanagerFixture("firing.json") as { alerts: Record<string, unknown>[] };
  huge.alerts = Array.from({ length: 3000 }, (_, i) => ({ ...huge.alerts[0], fingerprint: `big-${i}`, annotations: { summary: "x".repeat(400) } }));
  const tooBig = await request.post("/api/v1/integrations/alertmanager", { headers: bearer(tokens.operator.token), data: huge });
  expect(tooBig.status()).toBe(413);
  expect((await tooBig.json()).error.code).toBe("payload_too_large");
  const after = (await (await request.get("/api/v1/incidents?limit=200", { headers: bearer(tokens.viewer.token) })).json()).incidents.length;
  expect(after).toBe(before);
});

test("an operator acknowledges and resolves an incident; a viewer cannot", async ({ request }) => {
  const { tokens } = e2eState();
  const payload = alertmanagerFixture("firing.json") as { alerts: Record<string, unknown>[] };
  const service = `svc-${Date.now()}`;
  payload.alerts = payload.alerts.map((a) => ({ ...a, fingerprint: `life-${Date.now()}`, labels: { alertname: "Lifecycle", service } }));
  expect((await request.post("/api/v1/integrations/alertmanager", { headers: bearer(tokens.operator.token), data: payload })).status()).toBe(200);
  const list = await (await request.get(`/api/v1/incidents?service=${service}`, { headers: bearer(tokens.viewer.token) })).json();
  expect(list.incidents).toHaveLength(1);
  const id = list.incidents[0].id;
  expect((await request.post(`/api/v1/incidents/${id}/ack`, { headers: bearer(tokens.viewer.token), data: {} })).status()).toBe(403);
  expect((await request.post(`/api/v1/incidents/${id}/ack`, { headers: bearer(tokens.operator.token), data: { note: "on it" } })).status()).toBe(200);
  expect((await request.post(`/api/v1/incidents/${id}/ack`, { headers: bearer(tokens.operator.token), data: {} })).status()).toBe(409);
  expect((await request.post(`/api/v1/incidents/${id}/resolve`, { headers: bearer(tokens.operator.token), data: {} })).status()).toBe(200);
  const detail = await (await request.get(`/api/v1/incidents/${id}`, { headers: bearer(tokens.viewer.token) })).json();
  expect(detail.events.map((e: { type: string }) => e.type)).toEqual(["opened", "signal_added", "acknowledged", "resolved"]);
});
