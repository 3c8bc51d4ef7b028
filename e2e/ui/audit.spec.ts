import { expect, test } from "@playwright/test";
import { login } from "../fixtures";

test("the audit page lists events and verifies the chain", async ({ page }) => {
  await login(page, "viewer");
  await page.getByRole("navigation").getByRole("link", { name: "Audit", exact: true }).click();
  await expect(page).toHaveURL(/\/audit$/);
  // Newest first: what earlier specs did fills the first page, so the oldest events are reached by filter.
  await expect(page.getByRole("row").nth(1)).toBeVisible();
  await page.goto("/audit?action=org.created");
  await expect(page.getByRole("cell", { name: "org.created" })).toBeVisible();
  await page.goto("/audit?action=token.created");
  await expect(page.getByRole("cell", { name: "token.created" }).first()).toBeVisible();

  await page.getByRole("button", { name: "Verify chain" }).click();
  const status = page.getByRole("status");
  await expect(status).toContainText("Chain intact");
  await expect(status).toContainText(/\d+ events?/);
});

test("an admin creates an API token in Settings; it is shown once and is audited", async ({ page }) => {
  await login(page, "admin");
  await page.goto("/settings");
  const name = `ui-token-${Date.now()}`;
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Role").selectOption("viewer");
  await page.getByRole("button", { name: /create token/i }).click();
  const token = (await page.getByTestId("new-token").textContent())?.trim() ?? "";
  expect(token).toMatch(/^nops_/);
  expect((await page.request.get("/api/v1/incidents", { headers: { Authorization: `Bearer ${token}` } })).status()).toBe(200);

  await page.goto("/audit");
  await expect(page.getByRole("cell", { name: "token.created" }).first()).toBeVisible();
  await page.reload();
  await expect(page.getByText(token)).toHaveCount(0);
});
