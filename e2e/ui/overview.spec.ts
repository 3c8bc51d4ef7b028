// The overview answers "what needs me, and is everything that feeds us alive": the most urgent open
// incidents, each source's health, and the audit card showing the last verification, whoever ran it.
import { expect, test } from "@playwright/test";
import { login, postAlert, incidentIdByTitle, uniqueStamp } from "../fixtures";

test("lists the most urgent open incidents and the health of every source", async ({ page, request }) => {
  const stamp = uniqueStamp();
  const title = `Overview critical ${stamp}`;
  await postAlert(request, { labels: { alertname: `Overview${stamp}`, severity: "critical", service: `ov-${stamp}` }, annotations: { summary: title } });
  const id = await incidentIdByTitle(request, title);

  await login(page, "viewer");
  const top = page.getByTestId("top-incidents");
  // Critical and unacknowledged: among the first five whatever else is open.
  await expect(top.getByRole("link", { name: title })).toHaveAttribute("href", `/incidents/${id}`);
  await expect(page.getByTestId("source-prometheus")).toBeVisible();
  await expect(page.getByTestId("source-monitors")).toBeVisible();
  await expect(page.getByTestId("source-agents")).toBeVisible();
  // The alert just posted is the last one received: within the last minute.
  const lastAlert = page.getByTestId("last-alert-at").locator("time");
  const at = Date.parse((await lastAlert.getAttribute("datetime"))!);
  expect(Date.now() - at).toBeLessThan(120_000);
});

test("the audit card shows the check someone just ran on the Audit page", async ({ page }) => {
  await login(page, "viewer");
  await page.goto("/audit");
  await page.getByRole("button", { name: "Verify chain" }).click();
  await expect(page.getByTestId("verify-result")).toContainText("Chain intact");
  const verifiedAfter = Date.now() - 5_000;
  await page.goto("/");
  const card = page.getByTestId("audit-card");
  await expect(card).toContainText("Chain intact");
  await expect(card).not.toContainText("not been verified");
  const at = Date.parse((await card.locator("time").getAttribute("datetime"))!);
  expect(at).toBeGreaterThan(verifiedAfter);
});

test.describe("times", () => {
  test.use({ timezoneId: "Asia/Tokyo" });

  test("are shown in the browser's time zone, with UTC on hover", async ({ page, request }) => {
    const stamp = uniqueStamp();
    const title = `Overview tz ${stamp}`;
    await postAlert(request, { labels: { alertname: `Tz${stamp}`, severity: "critical", service: `tz-${stamp}` }, annotations: { summary: title } });
    const id = await incidentIdByTitle(request, title);
    // Server renders UTC, the browser switches to local time: without a hydration mismatch.
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    await login(page, "viewer");
    await page.goto(`/incidents/${id}`);
    const opened = page.locator("time").first();
    await expect(opened).toHaveText(/GMT\+9$/);
    const iso = (await opened.getAttribute("datetime"))!;
    const utc = `${iso.slice(0, 19).replace("T", " ")} UTC`;
    await expect(opened).toHaveAttribute("title", utc);
    const tokyo = new Date(Date.parse(iso) + 9 * 3600_000).toISOString().slice(0, 19).replace("T", " ");
    await expect(opened).toHaveText(`${tokyo} GMT+9`);
    expect(errors).toEqual([]);
  });
});
