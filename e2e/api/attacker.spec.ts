// An attacker's journey against the running app (SECURITY.md): each step tries to get around four-eyes,
// token scopes, a demotion, the browser's ambient cookies or the ingest front door, and must fail.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { bearer, e2eState, login, makeSigningKey, playbookSource, runStatus, trustKey, uniqueStamp, uploadPlaybook } from "../fixtures";

async function token(request: APIRequestContext, as: string, data: Record<string, unknown>) {
  const res = await request.post("/api/v1/tokens", { headers: bearer(as), data });
  return { status: res.status(), body: (await res.json()) as { token: string; id: string } };
}

async function until(check: () => Promise<boolean>, ms = 30_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("condition not met in time");
}

test("a family of one admin's tokens cannot meet a high-risk quorum", async ({ request }) => {
  const { tokens } = e2eState();
  const stamp = uniqueStamp();
  const key = makeSigningKey();
  await trustKey(request, `attack-${stamp}`, key.publicPem);
  const name = `attack-high-${stamp}`;
  const source = playbookSource({ name, risk: "high", description: `high-risk e2e ${stamp}`, steps: [{ id: "pause", action: "wait", with: { duration: "1ms" } }] });
  await uploadPlaybook(request, source, key.sign(source));

  // The admin's token mints two approver tokens: both act for the admin.
  const alt1 = await token(request, tokens.admin.token, { name: `alt1-${stamp}`, role: "approver" });
  const alt2 = await token(request, tokens.admin.token, { name: `alt2-${stamp}`, role: "approver" });
  expect([alt1.status, alt2.status]).toEqual([201, 201]);

  const run = await request.post("/api/v1/runs", { headers: bearer(tokens.admin.token), data: { playbook: name, params: {}, reason: "attack" } });
  expect(run.status()).toBe(201);
  const runId = ((await run.json()) as { id: string }).id;
  await until(async () => (await runStatus(request, runId)) === "awaiting_approval");

  for (const alt of [alt1, alt2]) {
    const res = await request.post(`/api/v1/runs/${runId}/approve`, { headers: bearer(alt.body.token), data: {} });
    expect(res.status(), await res.text()).toBe(403);
  }
  expect(await runStatus(request, runId)).toBe("awaiting_approval");
});

test("a token scoped to tokens.manage cannot mint a broader token", async ({ request }) => {
  const { tokens } = e2eState();
  const stamp = uniqueStamp();
  const minter = await token(request, tokens.admin.token, { name: `minter-${stamp}`, role: "admin", scopes: ["tokens.manage"] });
  expect(minter.status).toBe(201);
  expect((await token(request, minter.body.token, { name: `full-${stamp}`, role: "admin" })).status).toBe(403);
  expect((await token(request, minter.body.token, { name: `read-${stamp}`, role: "viewer" })).status).toBe(403);
});

test("a demoted admin's token is demoted with them; a removed member's token stops working", async ({ browser, request }) => {
  const { tokens } = e2eState();
  const stamp = uniqueStamp();
  const email = `second-admin-${stamp}@e2e.local`;
  const invite = await request.post("/api/v1/invitations", { headers: bearer(tokens.admin.token), data: { email, role: "admin" } });
  expect(invite.status()).toBe(201);
  const { token: inviteToken } = (await invite.json()) as { token: string };
  const joined = await request.post("/api/v1/invitations/accept", { data: { token: inviteToken, name: "Second Admin", password: "a long enough password" } });
  expect(joined.status(), await joined.text()).toBe(201);
  const { userId } = (await joined.json()) as { userId: string };

  // The new admin signs in and makes a token for themselves.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("a long enough password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/$/);
  const origin = new URL(page.url()).origin;
  const mine = await page.request.post("/api/v1/tokens", { headers: { Origin: origin }, data: { name: `mine-${stamp}`, role: "admin" } });
  expect(mine.status(), await mine.text()).toBe(201);
  const theirs = ((await mine.json()) as { token: string }).token;
  await context.close();
  expect((await request.get("/api/v1/tokens", { headers: bearer(theirs) })).status()).toBe(200);

  expect((await request.patch(`/api/v1/members/${userId}`, { headers: bearer(tokens.admin.token), data: { role: "viewer" } })).status()).toBe(200);
  expect((await request.get("/api/v1/tokens", { headers: bearer(theirs) })).status()).toBe(403);
  expect((await request.get("/api/v1/incidents", { headers: bearer(theirs) })).status()).toBe(200);

  expect((await request.delete(`/api/v1/members/${userId}`, { headers: bearer(tokens.admin.token) })).status()).toBe(200);
  expect((await request.get("/api/v1/incidents", { headers: bearer(theirs) })).status()).toBe(401);
});

test("a page on another origin cannot use a signed-in admin's cookies to invite someone", async ({ page, request }) => {
  const { tokens } = e2eState();
  const stamp = uniqueStamp();
  await login(page, "admin");
  const app = new URL(page.url()).origin;
  const victimEmail = `csrf-${stamp}@evil.example`;
  // Same site (127.0.0.1), another origin (port): the browser sends the SameSite=Lax session cookie
  // with a top-level form POST, as it would from any page on the same host.
  const evil: Server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end(`<form id="f" method="POST" action="${app}/api/v1/invitations" enctype="text/plain">
      <input name='{"email":"${victimEmail}","role":"admin","x":"' value='"}'></form><script>document.getElementById("f").submit()</script>`);
  });
  await new Promise<void>((r) => evil.listen(0, "127.0.0.1", r));
  try {
    const landed = page.waitForResponse((res) => res.url().startsWith(`${app}/api/v1/invitations`));
    await page.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
    expect((await landed).status()).toBeGreaterThanOrEqual(400);
  } finally {
    evil.close();
  }
  const pending = (await (await request.get("/api/v1/invitations", { headers: bearer(tokens.admin.token) })).json()) as { invitations: { email: string }[] };
  expect(pending.invitations.map((i) => i.email)).not.toContain(victimEmail);
});

test("a NUL byte in one alert does not cost the valid alerts of its batch", async ({ request }) => {
  const { tokens } = e2eState();
  const stamp = uniqueStamp();
  const alert = (name: string, extra: Record<string, string> = {}) => ({
    status: "firing",
    labels: { alertname: name, service: `attack-${stamp}`, severity: "warning", ...extra },
    annotations: { summary: `${name} ${stamp}` },
    startsAt: new Date().toISOString(),
    endsAt: "0001-01-01T00:00:00Z",
    generatorURL: "http://prometheus:9090/graph",
    fingerprint: `${name}-${stamp}`.slice(0, 16),
  });
  const payload = {
    version: "4",
    groupKey: `{}:{service="attack-${stamp}"}`,
    truncatedAlerts: 0,
    status: "firing",
    receiver: "neuralops",
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: "http://alertmanager:9093",
    alerts: [alert("GoodOne"), alert("Poisoned", { pod: "web-\u0000-1" }), alert("GoodTwo")],
  };
  const res = await request.post("/api/v1/integrations/alertmanager", { headers: bearer(tokens.operator.token), data: payload });
  expect(res.status(), await res.text()).toBe(200);
  const body = (await res.json()) as { accepted: number; rejected: { index: number; reason: string }[] };
  expect(body.accepted).toBe(2);
  expect(body.rejected).toEqual([expect.objectContaining({ index: 1, reason: "invalid_characters" })]);
  const incidents = (await (await request.get(`/api/v1/incidents?q=${stamp}`, { headers: bearer(tokens.viewer.token) })).json()) as { incidents: { id: string }[] };
  expect(incidents.incidents).toHaveLength(1);
  const inc = (await (await request.get(`/api/v1/incidents/${incidents.incidents[0]!.id}`, { headers: bearer(tokens.viewer.token) })).json()) as { signals: { title: string }[] };
  expect(inc.signals.map((s) => s.title).sort()).toEqual([`GoodOne ${stamp}`, `GoodTwo ${stamp}`]);
});
