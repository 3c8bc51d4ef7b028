// The platform issue's "done when" checks, against the real server.
import { expect, test } from "@playwright/test";
import { bearer, e2eState } from "../fixtures";

test("GET /api/health is 200 when Postgres and Redis answer; only an admin sees the per-store details", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ status: "ok", down: [] });
  const admin = await request.get("/api/health", { headers: bearer(e2eState().tokens.admin.token) });
  expect(await admin.json()).toMatchObject({ status: "ok", down: [], checks: { postgres: { ok: true }, redis: { ok: true } } });
});

test("/api/metrics exposes default metrics and the request histogram", async ({ request }) => {
  await request.get("/api/v1/incidents"); // one observed request (401) at least
  const res = await request.get("/api/metrics");
  expect(res.status()).toBe(200);
  const text = await res.text();
  expect(text).toContain("process_cpu_seconds_total");
  expect(text).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/api\/v1\/incidents"[^}]*status="401"/);
});

test("public/ files are served to signed-out visitors: robots.txt keeps crawlers out, the manifest names the app", async ({ request }) => {
  const robots = await request.get("/robots.txt", { maxRedirects: 0 });
  expect(robots.status()).toBe(200);
  expect(await robots.text()).toMatch(/User-agent: \*\s+Disallow: \//);
  const manifest = await request.get("/site.webmanifest", { maxRedirects: 0 });
  expect(manifest.status()).toBe(200);
  expect(((await manifest.json()) as { name: string }).name).toBe("NeuralOps");
});

test("unauthenticated GET /api/v1/incidents → 401 with a JSON error", async ({ request }) => {
  const res = await request.get("/api/v1/incidents");
  expect(res.status()).toBe(401);
  expect(await res.json()).toEqual({ error: { code: "unauthenticated", message: expect.any(String) } });
});

test("a bad or malformed bearer token → 401", async ({ request }) => {
  for (const auth of ["Bearer nops_AAAAAAAAAAAA_" + "a".repeat(43), "Bearer", "Basic dXNlcjpwYXNz"]) {
    const res = await request.get("/api/v1/incidents", { headers: { Authorization: auth } });
    expect(res.status(), auth).toBe(401);
  }
});

test("a viewer token POST /api/v1/runs → 403", async ({ request }) => {
  const { tokens } = e2eState();
  const res = await request.post("/api/v1/runs", { headers: bearer(tokens.viewer.token), data: { playbook: "restart-deployment" } });
  expect(res.status()).toBe(403);
  expect((await res.json()).error.code).toBe("forbidden");
});

test("malformed JSON → 400 invalid_json; invalid fields → 400 with the zod issues", async ({ request }) => {
  const { tokens } = e2eState();
  const headers = { ...bearer(tokens.operator.token), "content-type": "application/json" };
  // A Buffer is sent as-is (a string would be JSON-encoded by Playwright).
  const bad = await request.post("/api/v1/runs", { headers, data: Buffer.from('{"playbook": ') });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error.code).toBe("invalid_json");

  const invalid = await request.post("/api/v1/runs", { headers, data: { playbook: "", incidentId: "nope", extra: true } });
  expect(invalid.status()).toBe(400);
  const body = await invalid.json();
  expect(body.error.code).toBe("validation_failed");
  expect(body.error.details.map((d: { path: string[] }) => d.path.join("."))).toEqual(expect.arrayContaining(["playbook", "incidentId"]));
  expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
});

test("a run request for a playbook that is not in the catalog → 404 naming it", async ({ request }) => {
  const { tokens } = e2eState();
  const res = await request.post("/api/v1/runs", { headers: bearer(tokens.operator.token), data: { playbook: "no-such-playbook", params: { replicas: 3 } } });
  expect(res.status()).toBe(404);
  expect((await res.json()).error).toMatchObject({ code: "not_found", message: "playbook 'no-such-playbook' not found" });
});

test("GET /api/v1/audit/verify → ok:true, and the audit list is newest first", async ({ request }) => {
  const { tokens } = e2eState();
  const res = await request.get("/api/v1/audit/verify", { headers: bearer(tokens.viewer.token) });
  expect(res.status()).toBe(200);
  const verdict = await res.json();
  expect(verdict).toMatchObject({ ok: true });
  expect(verdict.checked).toBeGreaterThanOrEqual(9); // org.created + 4 members + 4 tokens

  const list = await (await request.get("/api/v1/audit?limit=3", { headers: bearer(tokens.viewer.token) })).json();
  expect(list.events).toHaveLength(3);
  expect(list.events[0].seq).toBeGreaterThan(list.events[1].seq);
  expect(list.nextBefore).toBe(list.events[2].seq);
});

test("unknown API routes answer 404 in the API's error format", async ({ request }) => {
  const res = await request.get("/api/v1/nope");
  expect(res.status()).toBe(404);
  expect((await res.json()).error.code).toBe("not_found");
});

test("a token created through the API works at once and stops working when revoked", async ({ request }) => {
  const { tokens } = e2eState();
  const created = await request.post("/api/v1/tokens", { headers: bearer(tokens.admin.token), data: { name: "short-lived", role: "viewer" } });
  expect(created.status()).toBe(201);
  const { token, id } = await created.json();
  expect((await request.get("/api/v1/incidents", { headers: bearer(token) })).status()).toBe(200);
  expect((await request.delete(`/api/v1/tokens/${id}`, { headers: bearer(tokens.admin.token) })).status()).toBe(200);
  expect((await request.get("/api/v1/incidents", { headers: bearer(token) })).status()).toBe(401);
});
