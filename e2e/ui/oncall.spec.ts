// On-call, end to end in the browser: an admin sets up a webhook channel, a schedule, an escalation
// policy and a route in the UI; an alert for team=payments opens an incident; the webhook receiver (a
// local server checking Standard Webhooks signatures) gets the page; nobody acknowledges, so step 2
// notifies a second person. Viewers get read-only pages that say why.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { bearer, demoEmail, e2eState, incidentIdByTitle, login, postAlert, uniqueStamp } from "../fixtures";

type Delivery = { headers: IncomingHttpHeaders; body: string; json: { type: string; incident: { id: string; title: string }; step: number; user?: { email: string } } };

/** Standard Webhooks, from the spec: HMAC-SHA256 over "<id>.<timestamp>.<body>" keyed with base64-decoded "whsec_…". */
function verifySignature(headers: IncomingHttpHeaders, body: string, secret: string): boolean {
  const id = String(headers["webhook-id"] ?? "");
  const timestamp = String(headers["webhook-timestamp"] ?? "");
  if (!id || !/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const expected = createHmac("sha256", Buffer.from(secret.slice("whsec_".length), "base64")).update(`${id}.${timestamp}.${body}`).digest();
  return String(headers["webhook-signature"] ?? "")
    .split(" ")
    .some((entry) => {
      const [version, sig] = entry.split(",");
      const got = Buffer.from(sig ?? "", "base64");
      return version === "v1" && got.length === expected.length && timingSafeEqual(got, expected);
    });
}

/** The receiver: answers 401 to a request whose signature does not verify (once it knows the secret). */
async function startReceiver() {
  let secret: string | null = null;
  const deliveries: Delivery[] = [];
  const refused: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      if (!secret || !verifySignature(req.headers, body, secret)) {
        refused.push(body);
        return void res.writeHead(401).end();
      }
      deliveries.push({ headers: req.headers, body, json: JSON.parse(body) as Delivery["json"] });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/page`,
    deliveries,
    refused,
    setSecret: (s: string) => void (secret = s),
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

const stamp = uniqueStamp();
const names = { channel: `pay-hook-${stamp}`, schedule: `pay-primary-${stamp}`, policy: `payments-${stamp}`, route: `payments-${stamp}` };
const person = (role: "operator" | "approver") => `Demo ${role} (${demoEmail(role)})`;

test.describe.serial("on-call journey", () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let incidentId = "";

  test.beforeAll(async () => {
    receiver = await startReceiver();
  });
  test.afterAll(async ({ request }) => {
    // The database is shared with later specs: their incidents must not page through this route.
    const admin = bearer(e2eState().tokens.admin.token);
    const routes = (await (await request.get("/api/v1/routes", { headers: admin })).json()) as { routes: { id: string; name: string }[] };
    for (const r of routes.routes.filter((x) => x.name === names.route)) await request.delete(`/api/v1/routes/${r.id}`, { headers: admin });
    await receiver.close();
  });

  test("an admin sets up paging in the UI; the page reaches the webhook, then step 2 reaches a second person", async ({ page, request }) => {
    test.setTimeout(120_000);
    await login(page, "admin");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "On-call", exact: true }).click();
    await expect(page).toHaveURL(/\/oncall\/schedules$/);
    const tabs = page.getByRole("navigation", { name: "On-call" });

    await test.step("a webhook channel; its signing secret is shown once", async () => {
      await tabs.getByRole("link", { name: "Channels" }).click();
      const form = page.getByRole("form", { name: "New channel" });
      await form.getByLabel("Channel name").fill(names.channel);
      await expect(form.getByLabel("Type")).toHaveValue("webhook");
      await form.getByLabel("URL").fill(receiver.url);
      await form.getByRole("button", { name: "Create channel" }).click();
      const secret = (await page.getByTestId("signing-secret").textContent())!.trim();
      expect(secret).toMatch(/^whsec_/);
      receiver.setSecret(secret);
      await expect(page.getByRole("row").filter({ hasText: names.channel })).toContainText(receiver.url);
      // Shown once: a fresh load of the page does not show it again.
      await page.reload();
      await expect(page.getByTestId("signing-secret")).toHaveCount(0);
      await expect(page.locator("body")).not.toContainText(secret);
    });

    await test.step("a schedule with the operator on call", async () => {
      await tabs.getByRole("link", { name: "Schedules" }).click();
      await page.getByRole("link", { name: "New schedule" }).click();
      const form = page.getByRole("form", { name: "New schedule" });
      await form.getByLabel("Name", { exact: true }).fill(names.schedule);
      await form.getByLabel("Time zone").fill("UTC");
      await form.getByLabel("Layer 1 rotation").selectOption("daily");
      await form.getByLabel("Layer 1 starts").fill("2026-01-01T00:00");
      await form.getByLabel("Layer 1 participants: add a person").selectOption({ label: person("operator") });
      await form.getByRole("button", { name: "Create schedule" }).click();
      await expect(page.getByRole("heading", { level: 1, name: names.schedule })).toBeVisible();
      await expect(page.getByTestId("schedule-now")).toHaveText("Demo operator");
    });

    await test.step("a policy: step 1 the channel and whoever is on call; step 2, 3 s later, the approver", async () => {
      await tabs.getByRole("link", { name: "Escalation policies" }).click();
      await page.getByRole("link", { name: "New policy" }).click();
      const form = page.getByRole("form", { name: "New escalation policy" });
      await form.getByLabel("Name", { exact: true }).fill(names.policy);
      await form.getByLabel("Step 1: minutes after the start").fill("0");
      await form.getByLabel("Step 1, target 1: kind").selectOption("channel");
      await form.getByLabel("Step 1, target 1: channel").selectOption({ label: `${names.channel} (webhook)` });
      await form.getByRole("button", { name: "Add target to step 1" }).click();
      await form.getByLabel("Step 1, target 2: kind").selectOption("schedule");
      await form.getByLabel("Step 1, target 2: schedule").selectOption({ label: names.schedule });
      await form.getByRole("group", { name: /^Step 1, target 2: reach through/ }).getByRole("checkbox", { name: names.channel }).check();
      await form.getByRole("button", { name: "Add step" }).click();
      await form.getByLabel("Step 2: minutes after the start").fill("0.05");
      await form.getByLabel("Step 2, target 1: kind").selectOption("user");
      await form.getByLabel("Step 2, target 1: person").selectOption({ label: person("approver") });
      await form.getByRole("group", { name: /^Step 2, target 1: reach through/ }).getByRole("checkbox", { name: names.channel }).check();
      await form.getByRole("button", { name: "Create policy" }).click();
      await expect(page).toHaveURL(/\/oncall\/policies$/);
      const card = page.getByTestId("policy").filter({ hasText: names.policy });
      const steps = card.getByRole("listitem");
      await expect(steps.nth(0)).toContainText(`channel ${names.channel}; whoever is on call in ${names.schedule}, via ${names.channel}`);
      await expect(steps.nth(0)).toContainText("at once");
      await expect(steps.nth(1)).toContainText(`Demo approver, via ${names.channel}`);
      await expect(steps.nth(1)).toContainText("after 3 s");
    });

    await test.step("a route for team=payments", async () => {
      await tabs.getByRole("link", { name: "Routes" }).click();
      const form = page.getByRole("form", { name: "New route" });
      await form.getByLabel("Route name").fill(names.route);
      await form.getByLabel("Escalation policy").selectOption({ label: names.policy });
      await form.getByLabel("Matchers 1: label").fill("team");
      await form.getByLabel("Matchers 1: operator").selectOption("=");
      await form.getByLabel("Matchers 1: value").fill("payments");
      await form.getByRole("button", { name: "Add route" }).click();
      await expect(page.getByText("Route saved.")).toBeVisible();
      const row = page.getByRole("row").filter({ has: page.getByRole("cell", { name: names.route, exact: true }) });
      await expect(row).toContainText('{team="payments"}');
      await expect(row).toContainText(names.policy);
    });

    await test.step("an alert for team=payments pages the webhook (signed) and the person on call", async () => {
      const title = `Payments API down ${stamp}`;
      await postAlert(request, { labels: { alertname: `PaymentsDown${stamp}`, team: "payments", severity: "critical" }, annotations: { summary: title } });
      incidentId = await incidentIdByTitle(request, title);
      const ours = () => receiver.deliveries.filter((d) => d.json.incident.id === incidentId);
      await expect.poll(() => ours().filter((d) => d.json.type === "incident.triggered").length, { timeout: 15_000 }).toBe(2);
      const triggered = ours().filter((d) => d.json.type === "incident.triggered");
      expect(triggered.map((d) => d.json.user?.email ?? "channel").sort()).toEqual([demoEmail("operator"), "channel"].sort());
      expect(triggered.every((d) => d.json.incident.title === title && d.json.step === 0)).toBe(true);
      expect(receiver.refused).toEqual([]);

      await page.goto(`/incidents/${incidentId}`);
      const paging = page.getByRole("region", { name: "Paging" });
      await expect(paging).toContainText(`Route ${names.route} → ${names.policy}`);
      await expect(paging.getByTestId("attempt-status").first()).toHaveText("sent");
    });

    await test.step("nobody acknowledges: step 2 notifies the approver", async () => {
      const escalated = () => receiver.deliveries.filter((d) => d.json.incident.id === incidentId && d.json.type === "incident.escalated");
      await expect.poll(() => escalated().length, { timeout: 30_000 }).toBe(1);
      expect(escalated()[0]!.json).toMatchObject({ step: 1, user: { email: demoEmail("approver") } });
      const paging = page.getByRole("region", { name: "Paging" });
      // The panel follows on its own while paging goes on.
      await expect(paging.getByTestId("paging-progress")).toContainText("2 of 2 steps notified", { timeout: 15_000 });
      await expect(paging.getByTestId("attempt-recipient").filter({ hasText: "Demo approver" })).toHaveCount(1);
      await page.reload();
      const timeline = page.getByTestId("timeline");
      await expect(timeline.locator('[data-event="paging_started"]')).toContainText(`route "${names.route}" → escalation policy "${names.policy}"`);
      await expect(timeline.locator('[data-event="escalated"]')).toContainText(`step 2 of 2: ${demoEmail("approver")} via ${names.channel}`);
      expect(receiver.refused).toEqual([]);
    });
  });

  test("the second person acknowledges from the link in their notification; escalation stops", async ({ browser, request }) => {
    const escalated = receiver.deliveries.find((d) => d.json.incident.id === incidentId && d.json.type === "incident.escalated")!;
    const link = (escalated.json as unknown as { actions?: { ack?: string } }).actions?.ack;
    expect(link, "the escalation to the approver carries a one-time acknowledge link").toBeTruthy();
    // No session: the link is the credential, and only the button acknowledges (a prefetch of the page does not).
    const anonymous = await browser.newContext();
    const page = await anonymous.newPage();
    await page.goto(new URL(link!).pathname);
    const incidentNow = async () => ((await (await request.get(`/api/v1/incidents/${incidentId}`, { headers: bearer(e2eState().tokens.viewer.token) })).json()) as { status: string });
    expect((await incidentNow()).status).toBe("open");
    await page.getByRole("button", { name: /Acknowledge/ }).click();
    await expect(page.getByText(/acknowledged/i).first()).toBeVisible();
    await expect.poll(async () => (await incidentNow()).status).toBe("acknowledged");
    // It works once.
    await page.goto(new URL(link!).pathname);
    await expect(page.getByRole("button", { name: /Acknowledge/ })).toHaveCount(0);
    await anonymous.close();
    await expect.poll(() => receiver.deliveries.filter((d) => d.json.incident.id === incidentId && d.json.type === "incident.acknowledged").length, { timeout: 15_000 }).toBe(1);
  });
});

test("viewers see on-call read-only, with the reason the controls are missing", async ({ page }) => {
  await login(page, "viewer");
  const check = async (path: string, note: RegExp, hidden: string) => {
    await page.goto(path);
    await expect(page.getByTestId("read-only-note")).toContainText(note);
    await expect(page.getByRole("link", { name: hidden })).toHaveCount(0);
    await expect(page.getByRole("button", { name: hidden })).toHaveCount(0);
  };
  await check("/oncall/schedules", /Only admins create or change schedules/, "New schedule");
  await check("/oncall/policies", /Only admins create or change escalation policies/, "New policy");
  await check("/oncall/routes", /Only admins add, change or reorder routes/, "Add route");
  await check("/oncall/silences", /Operators and admins create and expire silences/, "Create silence");
  await check("/oncall/inhibitions", /Only admins add or change inhibition rules/, "Add rule");
  await check("/oncall/channels", /they hold credentials/, "Create channel");
  // Channel settings (URLs can hold tokens) are not on the viewer's page.
  await expect(page.locator("body")).not.toContainText("127.0.0.1");
});

test("an operator creates a one-hour silence and expires it", async ({ page }) => {
  const comment = `e2e maintenance ${stamp}`;
  await login(page, "operator");
  await page.goto("/oncall/silences");
  const form = page.getByRole("form", { name: "New silence" });
  await form.getByLabel("Matchers 1: label").fill("e2e_silence");
  await form.getByLabel("Matchers 1: value").fill(stamp);
  await form.getByLabel("Time zone").fill("UTC");
  await form.getByRole("button", { name: "1 hour" }).click();
  await form.getByLabel("Comment").fill(comment);
  await form.getByRole("button", { name: "Create silence" }).click();
  await expect(page.getByText("Silence created.")).toBeVisible();
  const row = page.getByRole("row").filter({ hasText: comment });
  await expect(row).toContainText("Active");
  await expect(row).toContainText(demoEmail("operator"));
  await row.getByRole("button", { name: "Expire" }).click();
  await expect(page.getByRole("table", { name: "Expired silences" }).getByRole("row").filter({ hasText: comment })).toContainText("Expired");
});
