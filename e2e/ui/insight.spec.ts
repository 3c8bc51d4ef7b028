// Incidents, monitors and integrations through the UI, against the real server and a fresh database.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { alertmanagerFixture, bearer, e2eState, login } from "../fixtures";

type Alert = { labels: Record<string, string>; annotations: Record<string, string>; fingerprint: string };

/**
 * Posts Alertmanager's firing.json with the operator token, renamed so this test gets its own incident
 * (other specs post the same fixture and change its incident). Returns the alert name and title.
 */
async function fireAlert(request: APIRequestContext, tag: string) {
  const { tokens } = e2eState();
  const stamp = `${tag}${Date.now()}`;
  const payload = alertmanagerFixture("firing.json") as { alerts: Alert[] };
  const alertname = `UiFiring${stamp}`;
  const title = `UI test alert ${stamp}`;
  payload.alerts = payload.alerts.map((a) => ({
    ...a,
    fingerprint: `ui-${stamp}`,
    labels: { ...a.labels, alertname },
    annotations: { ...a.annotations, summary: title },
  }));
  const res = await request.post("/api/v1/integrations/alertmanager", { headers: bearer(tokens.operator.token), data: payload });
  expect(res.status()).toBe(200);
  return { alertname, title };
}

test("an operator finds an incident, sees its signal and timeline, and acknowledges it", async ({ page, request }) => {
  const { alertname, title } = await fireAlert(request, "ack");

  await login(page, "operator");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Incidents", exact: true }).click();
  await expect(page).toHaveURL(/\/incidents$/);
  const filters = page.getByRole("search", { name: "Filter incidents" });
  await filters.getByLabel("Search", { exact: true }).fill(alertname);
  await filters.getByLabel("Status").selectOption("open");
  await filters.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/q=UiFiring/);
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: title }) });
  await expect(row).toHaveCount(1);
  await expect(row.getByText("critical")).toBeVisible();
  await row.getByRole("link", { name: title }).click();

  await expect(page).toHaveURL(/\/incidents\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByTestId("incident-status")).toHaveText("open");
  await expect(page.getByText(`alertname=${alertname}`).first()).toBeVisible();

  const signals = page.getByRole("table", { name: /signals of this incident/i });
  await expect(signals.getByRole("row")).toHaveCount(2);
  await expect(signals.getByRole("cell", { name: "alert", exact: true })).toBeVisible();
  await expect(signals.getByText(title)).toBeVisible();
  await expect(signals.getByText("firing", { exact: true })).toBeVisible();
  // Alert-only incidents have no metric to chart; the page says why instead.
  await expect(page.getByText(/came from Alertmanager/)).toBeVisible();

  const timeline = page.getByTestId("timeline");
  await expect(timeline.getByRole("listitem")).toHaveCount(2);
  await expect(timeline.getByText("Opened")).toBeVisible();
  await expect(timeline.getByText("Signal added")).toBeVisible();

  await page.getByLabel(/^Note/).fill("looking into it");
  await page.getByRole("button", { name: "Acknowledge" }).click();
  await expect(page.getByTestId("incident-status")).toHaveText("acknowledged");
  await expect(page.getByRole("button", { name: "Acknowledge" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Resolve" })).toBeVisible();
  await expect(timeline.getByRole("listitem")).toHaveCount(3);
  const ack = timeline.getByRole("listitem").last();
  await expect(ack).toContainText("Acknowledged");
  await expect(ack).toContainText("operator@demo.neuralops.local");
  await expect(ack).toContainText("looking into it");
});

test("a viewer sees an open incident without the Acknowledge and Resolve buttons", async ({ page, request }) => {
  const { alertname, title } = await fireAlert(request, "view");
  await login(page, "viewer");
  await page.goto(`/incidents?q=${alertname}`);
  await page.getByRole("link", { name: title }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByTestId("incident-status")).toHaveText("open");
  await expect(page.getByTestId("timeline")).toBeVisible();
  await expect(page.getByRole("button", { name: "Acknowledge" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Resolve" })).toHaveCount(0);
});

test("an admin sees both integration snippets and creates an ingest token into one", async ({ page }) => {
  await login(page, "admin");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Integrations", exact: true }).click();
  await expect(page).toHaveURL(/\/integrations$/);
  await expect(page.getByRole("form", { name: "Prometheus source" })).toBeVisible();

  const am = page.getByTestId("snippet-alertmanager");
  const rw = page.getByTestId("snippet-remote-write");
  await expect(am.getByTestId("snippet-alertmanager-code")).toContainText("/api/v1/integrations/alertmanager");
  await expect(am.getByTestId("snippet-alertmanager-code")).toContainText("send_resolved: true");
  await expect(am.getByTestId("snippet-alertmanager-code")).toContainText("credentials: <TOKEN>");
  await expect(rw.getByTestId("snippet-remote-write-code")).toContainText("/api/v1/write");
  await expect(rw.getByTestId("snippet-remote-write-code")).toContainText("credentials: <TOKEN>");

  await am.getByRole("button", { name: "Create ingest token" }).click();
  await expect(am.getByTestId("snippet-alertmanager-code")).toContainText(/credentials: nops_\S+/);
  const code = (await am.getByTestId("snippet-alertmanager-code").textContent()) ?? "";
  const token = /credentials: (nops_\S+)/.exec(code)?.[1] ?? "";
  expect(token).toMatch(/^nops_/);
  // The other snippet still asks for a token, and the button is gone where the token was shown.
  await expect(rw.getByTestId("snippet-remote-write-code")).toContainText("credentials: <TOKEN>");
  await expect(am.getByRole("button", { name: "Create ingest token" })).toHaveCount(0);

  // The token may push signals and nothing else.
  const payload = alertmanagerFixture("firing.json");
  expect((await page.request.post("/api/v1/integrations/alertmanager", { headers: bearer(token), data: payload })).status()).toBe(200);
  expect((await page.request.get("/api/v1/incidents", { headers: bearer(token) })).status()).toBe(403);

  // Shown once: a reload puts the placeholder back.
  await page.reload();
  await expect(page.getByTestId("snippet-alertmanager-code")).toContainText("credentials: <TOKEN>");
  await expect(page.getByText(token)).toHaveCount(0);
});

test("an operator creates a disabled monitor and sees it listed", async ({ page }) => {
  const name = `ui-up-${Date.now()}`;
  await login(page, "operator");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Monitors", exact: true }).click();
  await expect(page).toHaveURL(/\/monitors$/);

  const form = page.getByRole("form", { name: "New monitor" });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("PromQL query").fill("up");
  await form.getByLabel("Step (seconds)").fill("30");
  // Disabled, so no scan job runs against a Prometheus the test does not have.
  await form.getByLabel(/^Enabled/).uncheck();
  await form.getByRole("button", { name: "Create monitor" }).click();

  await expect(page.getByText(`Monitor ${name} created.`)).toBeVisible();
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name }) });
  await expect(row).toHaveCount(1);
  await expect(row.getByRole("cell", { name: "up", exact: true })).toBeVisible();
  await expect(row.getByText("30s")).toBeVisible();
  await expect(row.getByText("ensemble")).toBeVisible();
  await expect(row.getByText("Disabled")).toBeVisible();
  // The form is ready for the next monitor.
  await expect(form.getByLabel("Name")).toHaveValue("");
});

test("a viewer sees monitors read-only", async ({ page, request }) => {
  const { tokens } = e2eState();
  const name = `ui-viewer-${Date.now()}`;
  const res = await request.post("/api/v1/monitors", { headers: bearer(tokens.operator.token), data: { name, query: "up", enabled: false } });
  expect(res.status()).toBe(201);
  await login(page, "viewer");
  await page.goto("/monitors");
  await expect(page.getByRole("link", { name })).toBeVisible();
  await expect(page.getByRole("form", { name: "New monitor" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Delete" })).toHaveCount(0);
  await page.getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByRole("button", { name: /save changes|delete/i })).toHaveCount(0);
});
