// Exports in the browser, against the real app and worker: an operator starts a redacted export, the list
// follows it to the end without a reload, and the downloaded file holds placeholders instead of PII.
import { gunzipSync } from "node:zlib";
import { expect, test } from "@playwright/test";
import { bearer, e2eState, login, postAlert, uniqueStamp } from "../fixtures";

const EMAIL = "jane.doe@example.com";
const IPV4 = "81.2.69.160"; // a public client address (private ones name infrastructure and are kept)

test("an operator starts an export, watches it finish live and downloads a redacted file", async ({ page, request }) => {
  test.setTimeout(90_000);
  const stamp = uniqueStamp();
  // Two incidents of their own (distinct service labels), with PII in their annotations.
  const titles = [`Export test payments ${stamp}`, `Export test search ${stamp}`];
  for (const [i, title] of titles.entries()) {
    await postAlert(request, {
      labels: { alertname: "ExportPiiTest", service: `export-${i}-${stamp}`, severity: "warning" },
      annotations: { summary: title, description: `Customer ${EMAIL} reports errors; upstream ${IPV4} refused the connection` },
    });
  }

  await login(page, "operator");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Exports", exact: true }).click();
  await expect(page).toHaveURL(/\/exports$/);
  await expect(page.getByRole("heading", { level: 1, name: "Exports" })).toBeVisible();
  await expect(page.getByText(/placeholders, stable within this organization/)).toBeVisible();

  const form = page.getByRole("form", { name: "Start export" });
  await expect(form.getByRole("checkbox", { name: "Incidents" })).toBeChecked();
  await expect(form.getByRole("checkbox", { name: "Runs" })).toBeChecked();
  await expect(form.getByRole("checkbox", { name: "Compress (gzip)" })).toBeChecked();

  // Nothing chosen: the form says so and starts nothing.
  await form.getByRole("checkbox", { name: "Incidents" }).uncheck();
  await form.getByRole("checkbox", { name: "Runs" }).uncheck();
  await form.getByRole("button", { name: "Start export" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Check the highlighted fields." })).toBeVisible();
  await expect(form.getByText("choose at least one kind")).toBeVisible();
  await expect(page.getByTestId("started-export-id")).toHaveCount(0);

  // A marker on the window: if the page reloaded, it would be gone.
  await page.evaluate(() => ((window as unknown as { __sameDocument?: boolean }).__sameDocument = true));
  await form.getByRole("checkbox", { name: "Incidents" }).check();
  await form.getByRole("checkbox", { name: "Runs" }).check();
  await form.getByRole("button", { name: "Start export" }).click();
  const started = page.getByTestId("started-export-id");
  await expect(started).toHaveText(/^[0-9a-f]{8}$/);
  const shortId = (await started.textContent())!;

  const row = page.locator(`[data-testid="export-row"][data-export-id^="${shortId}"]`);
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("manual");
  await expect(row).toContainText("operator@demo.neuralops.local");
  await expect(row).toContainText("incidents, runs");
  await expect(row).toContainText("all time");
  const bar = row.getByRole("progressbar", { name: `Progress of export ${shortId}` });
  await expect(bar).toBeVisible();
  // The worker runs it; the list polls and shows it succeed.
  await expect(row.getByTestId("export-status")).toHaveText("succeeded", { timeout: 30_000 });
  await expect(bar).toHaveAttribute("aria-valuenow", "100");
  await expect(bar).toHaveAttribute("aria-valuetext", /^\d[\d,]* \/ \d[\d,]* rows \(100%\)$/);
  await expect(row.getByTestId("export-redactions")).toContainText("email");
  await expect(row.getByTestId("export-redactions")).toContainText("ipv4");
  await expect(page.getByTestId("exports-live-state")).toHaveText("");
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);

  // Download with the browser session (the link is a plain <a>).
  const sha256 = await row.getByTestId("export-sha256").getAttribute("title");
  expect(sha256).toMatch(/^[0-9a-f]{64}$/);
  const href = await row.getByRole("link", { name: /^Download/ }).getAttribute("href");
  expect(href).toMatch(/^\/api\/v1\/exports\/[0-9a-f-]{36}\/download$/);
  expect(href).toContain(shortId);
  const res = await page.request.get(href!);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toBe("application/gzip");
  expect(res.headers()["x-content-sha256"]).toBe(sha256);

  const text = gunzipSync(await res.body()).toString("utf8");
  const lines = text.split("\n").filter((l) => l.length > 0);
  const records = lines.map((l) => JSON.parse(l) as { type: string; title?: string; signals?: { annotations: Record<string, string> }[] });
  expect(records.some((r) => r.type === "incident")).toBe(true);
  expect(text).not.toContain(EMAIL);
  expect(text).not.toContain(IPV4);
  expect(text).toContain("<email:");
  expect(text).toContain("<ipv4:");
  // Both of this test's incidents are in it, and the same address became the same placeholder in each.
  const ours = records.filter((r) => r.type === "incident" && titles.includes(r.title ?? ""));
  expect(ours).toHaveLength(2);
  const placeholders = ours.map((r) => /<email:[0-9a-f]{8}>/.exec(r.signals?.[0]?.annotations.description ?? "")?.[0]);
  expect(placeholders[0]).toBeTruthy();
  expect(placeholders[1]).toBe(placeholders[0]);
});

test("a viewer sees the exports list without the start form and cannot start one through the API", async ({ page, request }) => {
  const { tokens } = e2eState();
  await login(page, "viewer");
  await page.goto("/exports");
  await expect(page.getByRole("heading", { level: 1, name: "Exports" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Recent exports" })).toBeVisible();
  await expect(page.getByRole("form", { name: "Start export" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Start export" })).toHaveCount(0);

  expect((await request.get("/api/v1/exports", { headers: bearer(tokens.viewer.token) })).status()).toBe(200);
  const res = await request.post("/api/v1/exports", { headers: bearer(tokens.viewer.token), data: { kinds: ["incidents"], gzip: true } });
  expect(res.status()).toBe(403);
});
