// Signing keys & policy (admins only) and the signature status the catalog shows for each playbook.
import { expect, test, type Page } from "@playwright/test";
import { bearer, e2eState, login, makeSigningKey, playbookSource, trustKey, uniqueStamp, uploadPlaybook, type Role } from "../fixtures";

const nav = (page: Page) => page.getByRole("navigation", { name: "Main" });

test("an admin adds a trusted key, sees it active, and revokes it with a reason", async ({ page }) => {
  const keyName = `ui-key-${uniqueStamp()}`;
  await login(page, "admin");
  await nav(page).getByRole("link", { name: "Signing keys & policy", exact: true }).click();
  await expect(page).toHaveURL(/\/settings\/keys$/);
  await expect(page.getByRole("heading", { level: 1, name: "Signing keys & policy" })).toBeVisible();

  const form = page.getByRole("form", { name: "Add trusted key" });
  // A private key is refused: only public keys belong here.
  await form.getByLabel("Name").fill(keyName);
  await form.getByLabel("Public key (PEM)").fill(makeSigningKey().privatePem);
  await form.getByRole("button", { name: "Add key" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "private key" })).toBeVisible();
  await expect(form.getByLabel("Name")).toHaveValue(keyName);

  await form.getByLabel("Public key (PEM)").fill(makeSigningKey().publicPem);
  await form.getByRole("button", { name: "Add key" }).click();
  await expect(page.getByText(`Key ${keyName} added`)).toBeVisible();

  const row = page.getByRole("row").filter({ has: page.getByRole("cell", { name: keyName, exact: true }) });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId("key-state")).toHaveText("active");
  await expect(row).toContainText("no expiry");
  await expect(row).toContainText("admin@demo.neuralops.local");

  await row.getByRole("button", { name: "Revoke…" }).click();
  await row.getByLabel(`Reason for revoking ${keyName}`).fill("rotated (e2e)");
  await row.getByRole("button", { name: "Confirm revoke" }).click();
  await expect(row.getByTestId("key-state")).toHaveText("revoked");
  await expect(row).toContainText("rotated (e2e)");
  await expect(row.getByRole("button", { name: /Revoke/ })).toHaveCount(0);
});

test("an admin turns the unsigned-playbook policy on and off, and the catalog follows", async ({ page, request }) => {
  const { tokens } = e2eState();
  const settings = async () => (await (await request.get("/api/v1/settings/orchestrator", { headers: bearer(tokens.admin.token) })).json()) as { allowUnsignedPlaybooks: boolean; approvalTtlMinutes: number };
  const before = await settings();
  expect(before.allowUnsignedPlaybooks).toBe(false);
  const name = `e2e-unsigned-${uniqueStamp()}`;
  await uploadPlaybook(request, playbookSource({ name, risk: "low", steps: [{ id: "pause", action: "wait", with: { duration: "1s" } }] }));
  const catalogRow = (p: Page) => p.getByRole("row").filter({ has: p.getByRole("link", { name, exact: true }) });

  try {
    await login(page, "admin");
    await page.goto("/playbooks");
    await expect(catalogRow(page)).toContainText("Unsigned (refused by policy");

    await page.goto("/settings/keys");
    const policy = page.getByRole("form", { name: "Orchestrator policy" });
    await expect(policy.getByLabel("Allow unsigned playbooks")).not.toBeChecked();
    await expect(policy.getByText(/anyone who can upload or change a playbook file/)).toBeVisible();
    await expect(policy.getByLabel("Approval window (minutes)")).toHaveValue(String(before.approvalTtlMinutes));

    await policy.getByLabel("Allow unsigned playbooks").check();
    await policy.getByRole("button", { name: "Save policy" }).click();
    await expect(page.getByText("Policy saved: unsigned playbooks are allowed")).toBeVisible();
    await expect(policy.getByLabel("Allow unsigned playbooks")).toBeChecked();
    expect((await settings()).allowUnsignedPlaybooks).toBe(true);
    await page.goto("/playbooks");
    await expect(catalogRow(page)).toContainText("Unsigned (allowed by policy)");

    await page.goto("/settings/keys");
    await policy.getByLabel("Allow unsigned playbooks").uncheck();
    await policy.getByRole("button", { name: "Save policy" }).click();
    await expect(page.getByText("Policy saved: unsigned playbooks are refused")).toBeVisible();
    await expect(policy.getByLabel("Allow unsigned playbooks")).not.toBeChecked();
    expect((await settings()).allowUnsignedPlaybooks).toBe(false);
  } finally {
    // Other specs share the database: leave the policy as it was even if an assertion failed.
    await request.patch("/api/v1/settings/orchestrator", { headers: bearer(tokens.admin.token), data: { allowUnsignedPlaybooks: before.allowUnsignedPlaybooks } });
  }
});

for (const role of ["viewer", "operator"] as Role[]) {
  test(`a ${role} cannot reach Signing keys & policy`, async ({ page, request }) => {
    await login(page, role);
    await expect(nav(page).getByRole("link", { name: "Signing keys & policy" })).toHaveCount(0);
    await page.goto("/settings/keys");
    await expect(page.getByRole("heading", { level: 1, name: "Forbidden" })).toBeVisible();
    await expect(page.getByRole("form", { name: "Add trusted key" })).toHaveCount(0);
    await expect(page.getByRole("form", { name: "Orchestrator policy" })).toHaveCount(0);
    const res = await request.post("/api/v1/keys", { headers: bearer(e2eState().tokens[role].token), data: { name: "nope", publicKeyPem: makeSigningKey().publicPem } });
    expect(res.status()).toBe(403);
  });
}

test("the catalog shows each playbook's signature status: trusted key, untrusted key, unsigned", async ({ page, request }) => {
  const stamp = uniqueStamp();
  const trusted = makeSigningKey();
  const keyName = `catalog-key-${stamp}`;
  await trustKey(request, keyName, trusted.publicPem);
  const untrusted = makeSigningKey();
  const steps = [{ id: "pause", action: "wait", with: { duration: "1s" } }];
  const good = playbookSource({ name: `e2e-trusted-${stamp}`, risk: "low", steps });
  const bad = playbookSource({ name: `e2e-untrusted-${stamp}`, risk: "high", steps });
  await uploadPlaybook(request, good, trusted.sign(good));
  await uploadPlaybook(request, bad, untrusted.sign(bad));

  await login(page, "viewer");
  await nav(page).getByRole("link", { name: "Playbooks", exact: true }).click();
  const row = (name: string) => page.getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });
  await expect(row(`e2e-trusted-${stamp}`)).toContainText(`Verified by key ${keyName}`);
  await expect(row(`e2e-trusted-${stamp}`)).toContainText("low risk");
  await expect(row(`e2e-untrusted-${stamp}`)).toContainText("Invalid");
  await expect(row(`e2e-untrusted-${stamp}`)).toContainText("does not verify with any key trusted by this organization");
  await expect(row(`e2e-untrusted-${stamp}`)).toContainText("high risk");
  // Viewers neither sync the catalog nor request runs.
  await expect(page.getByRole("button", { name: /Sync catalog/ })).toHaveCount(0);

  await row(`e2e-untrusted-${stamp}`).getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1, name: `e2e-untrusted-${stamp}` })).toBeVisible();
  await expect(page.getByTestId("playbook-signature")).toContainText("Invalid");
  await expect(page.getByTestId("playbook-source")).toContainText(`"name": "e2e-untrusted-${stamp}"`);
  await expect(page.getByRole("table", { name: "Versions, newest first" }).getByRole("row")).toHaveCount(2);
  await expect(page.getByRole("link", { name: "Request a run" })).toHaveCount(0);
});

test("an admin syncs the catalog from playbooks/ and sees what happened to each file", async ({ page }) => {
  await login(page, "admin");
  await page.goto("/playbooks");
  await page.getByRole("button", { name: "Sync catalog from playbooks/" }).click();
  const results = page.getByTestId("sync-results");
  await expect(results).toContainText("restart-deployment.yaml");
  await expect(page.getByText(/^Synced \d+ files/)).toBeVisible();
  await expect(page.getByRole("link", { name: "restart-deployment", exact: true })).toBeVisible();
});
