// The OpenAPI document and its reference page, against the real server: public JSON, examples that the real
// handlers accept (a viewer's GETs answer 200 or 404, never 400), and the page a signed-in person reads.
import { expect, test } from "@playwright/test";
import { bearer, e2eState, login } from "../fixtures";

type Op = { parameters?: { name: string; in: string; example?: string }[]; "x-access": string };
type Doc = { openapi: string; paths: Record<string, Record<string, Op>> };

test("GET /api/v1/openapi.json is public OpenAPI 3.1 covering the API", async ({ request }) => {
  const res = await request.get("/api/v1/openapi.json");
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toMatch(/application\/json/);
  const doc = (await res.json()) as Doc;
  expect(doc.openapi).toBe("3.1.0");
  expect(Object.keys(doc.paths).length).toBeGreaterThan(60);
  expect(doc.paths["/api/v1/runs/{id}/approve"]?.post?.["x-access"]).toBe("runs.approve");
});

test("a viewer's documented GET examples pass the real handlers' validation", async ({ request }) => {
  const doc = (await (await request.get("/api/v1/openapi.json")).json()) as Doc;
  const viewer = bearer(e2eState().tokens.viewer.token);
  const tried: string[] = [];
  for (const [p, item] of Object.entries(doc.paths)) {
    const op = item.get;
    if (!op || !["incidents.read", "runs.read", "playbooks.read", "audit.read"].includes(op["x-access"])) continue;
    let url = p;
    const query = new URLSearchParams();
    for (const param of op.parameters ?? []) {
      if (param.example === undefined) continue;
      if (param.in === "path") url = url.replace(`{${param.name}}`, encodeURIComponent(param.example));
      else query.set(param.name, param.example);
    }
    const res = await request.get(query.size ? `${url}?${query}` : url, { headers: viewer });
    // The example ids name nothing in this database: 404 is the handler's answer after validation passed.
    expect([200, 404], `${url}?${query}: ${await res.text()}`).toContain(res.status());
    tried.push(url);
  }
  expect(tried.length).toBeGreaterThan(10);
});

test("the API reference page lists the operations for a viewer, linked from Settings", async ({ page }) => {
  await login(page, "viewer");
  await page.goto("/settings");
  await page.getByRole("link", { name: "API reference" }).click();
  await expect(page).toHaveURL(/\/settings\/api$/);
  await expect(page.getByRole("heading", { name: "API reference", level: 1 })).toBeVisible();
  await expect(page.getByRole("link", { name: "/api/v1/openapi.json" })).toBeVisible();
  const approve = page.locator("#postRunsByIdApprove");
  await expect(approve).toContainText("Approve a run");
  await expect(approve).toContainText("runs.approve");
  await approve.getByText("Body schema").click();
  await expect(approve.locator("pre").first()).toContainText('"override"');
});
