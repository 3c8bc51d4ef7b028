// Triage from the incident list: find incidents by a label value, sort, page both ways, and acknowledge
// two at once — as an operator, in the browser, against the real API and database.
import { expect, test } from "@playwright/test";
import { bearer, e2eState, login, postAlert, uniqueStamp } from "../fixtures";

test("an operator searches a label value, sorts, pages Older/Newer and bulk-acknowledges two incidents", async ({ page, request }) => {
  const stamp = uniqueStamp();
  const cluster = `prod-eu-${stamp}`;
  const title = (n: number) => `Triage ${stamp} #${n}`;
  // Five incidents (distinct alert names, so five groups), a minute apart, only found by their cluster label.
  const t0 = Date.now() - 10 * 60_000;
  for (let n = 0; n < 5; n++) {
    await postAlert(request, { labels: { alertname: `Triage${stamp}n${n}`, cluster, severity: n === 2 ? "critical" : "warning" }, annotations: { summary: title(n) }, startsAt: new Date(t0 + n * 60_000) });
  }
  const rows = page.getByTestId("incident-row");
  const titles = () => rows.getByRole("link").allTextContents();
  // Hydration mismatches and failed fetches show up here.
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`${page.url()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`${page.url()}: ${e.message}`));

  await login(page, "operator");
  await page.goto("/incidents");
  await page.getByLabel("Search", { exact: true }).fill(cluster);
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(new RegExp(`q=${cluster}`));
  await expect(rows).toHaveCount(5);
  await expect(page.getByTestId("incident-total")).toHaveText("5");
  expect(await titles()).toEqual([4, 3, 2, 1, 0].map(title));

  // Sort: oldest first, then severity (the critical one first).
  await page.getByLabel("Sort").selectOption("oldest");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(rows.first()).toContainText(title(0));
  expect(await titles()).toEqual([0, 1, 2, 3, 4].map(title));
  await page.getByLabel("Sort").selectOption("severity");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(rows.first()).toContainText(title(2));

  // Two per page, newest first: Older twice, then Newer back.
  await page.goto(`/incidents?q=${cluster}&limit=2`);
  await expect(rows).toHaveCount(2);
  expect(await titles()).toEqual([title(4), title(3)]);
  await expect(page.getByRole("link", { name: /Newer/ })).toHaveCount(0);
  await page.getByRole("link", { name: /Older/ }).click();
  await expect(rows.first()).toContainText(title(2));
  expect(await titles()).toEqual([title(2), title(1)]);
  await page.getByRole("link", { name: /Older/ }).click();
  await expect(rows.first()).toContainText(title(0));
  await expect(rows).toHaveCount(1);
  await expect(page.getByRole("link", { name: /Older/ })).toHaveCount(0);
  await page.getByRole("link", { name: /Newer/ }).click();
  await expect(rows.first()).toContainText(title(2));
  expect(await titles()).toEqual([title(2), title(1)]);
  await expect(page.getByTestId("incident-total")).toHaveText("5");

  // Select both on this page and acknowledge them in one go.
  await page.getByRole("checkbox", { name: `Select ${title(2)}` }).check();
  await page.getByRole("checkbox", { name: `Select ${title(1)}` }).check();
  const bar = page.getByRole("region", { name: "Bulk actions" });
  await expect(bar.getByTestId("bulk-count")).toHaveText("2 selected");
  await bar.getByRole("button", { name: "Acknowledge" }).click();
  await expect(page.getByTestId("bulk-outcome")).toHaveText("2 acknowledged.");
  await expect(rows.getByTestId("incident-status")).toHaveText(["acknowledged", "acknowledged"]);
  await expect(rows.getByTestId("incident-owner")).toHaveText([/operator|Operator/, /operator|Operator/]);
  await expect(bar).toHaveCount(0);

  // The API agrees, and the others were left alone.
  const res = await request.get(`/api/v1/incidents?q=${cluster}&sort=oldest`, { headers: bearer(e2eState().tokens.viewer.token) });
  const list = (await res.json()) as { incidents: { title: string; status: string }[] };
  expect(list.incidents.map((i) => [i.title, i.status])).toEqual([
    [title(0), "open"],
    [title(1), "acknowledged"],
    [title(2), "acknowledged"],
    [title(3), "open"],
    [title(4), "open"],
  ]);
  expect(errors).toEqual([]);
});

test("a viewer sees the list without checkboxes or bulk actions, and new incidents appear without a reload", async ({ page, request }) => {
  const stamp = uniqueStamp();
  await postAlert(request, { labels: { alertname: `View${stamp}`, cluster: `prod-eu-${stamp}` }, annotations: { summary: `Viewer ${stamp}` } });
  await login(page, "viewer");
  await page.goto(`/incidents?q=prod-eu-${stamp}`);
  await expect(page.getByTestId("incident-row")).toHaveCount(1);
  await expect(page.getByRole("checkbox")).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Bulk actions" })).toHaveCount(0);

  // Live refresh: the list polls the API (every 10 s), so a new incident shows up on the open page.
  await postAlert(request, { labels: { alertname: `ViewLater${stamp}`, cluster: `prod-eu-${stamp}` }, annotations: { summary: `Viewer later ${stamp}` } });
  await expect(page.getByTestId("incident-row")).toHaveCount(2, { timeout: 15_000 });
  await expect(page.getByTestId("incident-row").first()).toContainText(`Viewer later ${stamp}`);
  await expect(page.getByTestId("incident-total")).toHaveText("2");
});
