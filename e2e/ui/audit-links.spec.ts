// Audit events link to what they are about, and narrow to one actor or one target.
import { expect, test } from "@playwright/test";
import { incidentIdByTitle, login, postAlert, uniqueStamp } from "../fixtures";

test("an event's target links to its page, and its history and actor filter the log", async ({ page, request }) => {
  const stamp = uniqueStamp();
  const title = `Audit link ${stamp}`;
  await postAlert(request, { labels: { alertname: `AuditLink${stamp}`, severity: "warning", service: `al-${stamp}` }, annotations: { summary: title } });
  const id = await incidentIdByTitle(request, title);

  await login(page, "viewer");
  await page.goto(`/audit?targetType=incident&targetId=${id}`);
  await expect(page.getByTestId("audit-filters")).toContainText(`incident:${id}`);
  const rows = page.getByRole("table").getByRole("row");
  // The header row and this incident's events only (it was opened once).
  await expect(rows.filter({ hasText: "incident.opened" })).toHaveCount(1);
  await expect(page.getByTestId("audit-target").filter({ hasNotText: id })).toHaveCount(0);

  // Its actor: everything the operator's token did, this event among them.
  const actor = rows.filter({ hasText: "incident.opened" }).getByRole("cell").nth(2).getByRole("link");
  await actor.click();
  await expect(page).toHaveURL(/actorId=/);
  await expect(page.getByTestId("audit-target").filter({ hasText: id }).first()).toBeVisible();

  await page.getByTestId("audit-target").filter({ hasText: id }).first().click();
  await expect(page).toHaveURL(new RegExp(`/incidents/${id}$`));
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
});
