import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, demoEmail, login, ROLES } from "../fixtures";

test("signed-out visitors are sent to the login page", async ({ page }) => {
  await page.goto("/audit");
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
});

test("a wrong password is refused with a message and no session", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(demoEmail("admin"));
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /incorrect/i })).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
  expect((await page.request.get("/api/v1/me")).status()).toBe(401);
});

for (const role of ROLES) {
  test(`${role} logs in and sees the signed-in shell with the role`, async ({ page }) => {
    await login(page, role);
    const nav = page.getByRole("navigation");
    for (const item of ["Overview", "Incidents", "On-call", "Approvals", "Runs", "Playbooks", "Audit", "Integrations", "Settings"]) {
      await expect(nav.getByRole("link", { name: item, exact: true })).toBeVisible();
    }
    await expect(page.getByText(demoEmail(role))).toBeVisible();
    // The session cookie authenticates API calls as this user and role.
    const me = await (await page.request.get("/api/v1/me")).json();
    expect(me).toMatchObject({ type: "user", role });
    await expect(nav.getByRole("link", { name: "Users", exact: true })).toHaveCount(role === "admin" ? 1 : 0);
  });
}

test("a viewer cannot reach admin pages or admin APIs", async ({ page }) => {
  await login(page, "viewer");
  await page.goto("/settings/users");
  await expect(page.getByRole("heading", { name: "Forbidden" })).toBeVisible();
  await expect(page.getByText(demoEmail("admin"))).toHaveCount(0);
  expect((await page.request.get("/api/v1/members")).status()).toBe(403);
  expect((await page.request.post("/api/v1/tokens", { data: { name: "x", role: "viewer" } })).status()).toBe(403);
});

test("an admin invites a person, who accepts from the link, signs in with the new role, and can be removed", async ({ page, browser }) => {
  await login(page, "admin");
  await page.goto("/settings/users");
  await expect(page.getByRole("heading", { name: "Users" }).first()).toBeVisible();
  const email = `new-${Date.now()}@demo.neuralops.local`;
  const form = page.getByRole("form", { name: "Invite" });
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Role").selectOption("operator");
  await form.getByRole("button", { name: "Invite" }).click();
  const link = await page.getByLabel("Invitation link").textContent();
  expect(link).toMatch(/\/invite\/inv_/);
  await expect(page.getByRole("table", { name: "Pending invitations" }).getByRole("cell", { name: email })).toBeVisible();

  // The invitee opens the link signed out, creates the account and joins.
  const ctx = await browser.newContext();
  const other = await ctx.newPage();
  await other.goto(new URL(link!).pathname);
  await expect(other.getByText(`${email} is invited to join`)).toBeVisible();
  await other.getByLabel("Your name").fill("New Operator");
  await other.getByLabel("Choose a password").fill("a long enough password");
  await other.getByRole("button", { name: /create account and join/i }).click();
  await expect(other.getByRole("status")).toContainText("You joined");
  await other.goto("/login");
  await other.getByLabel("Email").fill(email);
  await other.getByLabel("Password").fill("a long enough password");
  await other.getByRole("button", { name: "Sign in" }).click();
  await expect(other).toHaveURL(/\/$/);
  expect((await (await other.request.get("/api/v1/me")).json()).role).toBe("operator");
  // The link worked once.
  await other.goto(new URL(link!).pathname);
  await expect(other.getByText(/invalid, expired, revoked or already used/)).toBeVisible();
  await ctx.close();

  await page.reload();
  const row = page.getByRole("row", { name: new RegExp(email) });
  await row.getByRole("button", { name: "Remove" }).click();
  await expect(page.getByRole("cell", { name: email })).toHaveCount(0);
  expect(DEMO_PASSWORD).not.toBe("a long enough password");
});

test("signing out ends the session", async ({ page }) => {
  await login(page, "operator");
  await page.getByRole("button", { name: /sign out/i }).click();
  await expect(page).toHaveURL(/\/login/);
  expect((await page.request.get("/api/v1/me")).status()).toBe(401);
});

test("pages carry the security headers and run under their Content-Security-Policy without violations", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/content security policy|refused to (execute|load|apply|connect|frame)/i.test(m.text())) violations.push(`${page.url()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => violations.push(`${page.url()}: ${e.message}`));
  const res = await page.goto("/login");
  const headers = res!.headers();
  expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(headers["content-security-policy"]).not.toContain("unsafe-eval");
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  // Signing in needs the page's scripts (the form submits through next-auth's client): a blocked script fails here.
  await login(page, "admin");
  for (const path of ["/incidents", "/monitors", "/runs", "/playbooks", "/audit", "/integrations", "/settings", "/settings/users", "/exports", "/agents"]) {
    await page.goto(path);
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  }
  // A client-side navigation works too (hydrated, router running).
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Incidents", exact: true }).click();
  await expect(page).toHaveURL(/\/incidents/);
  expect(violations).toEqual([]);
});

test("a throttled sign-in answers 429 with Retry-After, whatever X-Forwarded-For says, and the page says how long to wait", async ({ page }) => {
  const email = `throttle-${Date.now()}@demo.neuralops.local`;
  const attempt = async (i: number) => {
    const { csrfToken } = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
    return page.request.post("/api/auth/callback/credentials", {
      form: { email, password: "wrong password", csrfToken, json: "true" },
      // A client cannot buy itself a fresh budget by claiming another address (no trusted proxy here).
      headers: { "x-forwarded-for": `203.0.113.${i % 250}` },
    });
  };
  // Fail until the wait is long enough for the page below to hit it: the delay doubles with each failure made
  // after the previous wait (1 s, 2 s, 4 s …); attempts during a wait are refused without counting.
  let res = await attempt(0);
  for (let i = 1; i < 60; i++) {
    if (res.status() === 429) {
      const wait = Number(res.headers()["retry-after"]);
      expect(wait).toBeGreaterThanOrEqual(1);
      if (wait >= 8) break;
      await page.waitForTimeout(wait * 1000);
    } else expect(res.status()).toBe(401);
    res = await attempt(i);
  }
  expect(res.status()).toBe(429);

  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("wrong password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /try again in \d+ s/i })).toBeVisible();
});
