// Approvals that mean something, in the browser: a run whose secret the org may not read shows "Cannot
// run" with the reason (never "Will run: yes"), its approval is refused in the inbox and by the API; an
// admin fixes it (grants the secret the worker holds), the run is requested again from its page, the new
// one can run, is approved, runs, and its step output and audit history are one click away.
import { expect, test } from "@playwright/test";
import { bearer, e2eState, login, makeSigningKey, playbookSource, runUrl, startRecordingTarget, trustKey, uniqueStamp, uploadPlaybook } from "../fixtures";

const SECRET = "E2E_RUNS_TOKEN";

let target: Awaited<ReturnType<typeof startRecordingTarget>>;
test.beforeAll(async () => {
  target = await startRecordingTarget();
});
test.afterAll(async () => {
  await target?.close();
});

test("cannot run → verdict shown → approval refused → fixed → requested again → approved → runs", async ({ page, request }) => {
  test.setTimeout(120_000);
  const { tokens } = e2eState();
  const admin = bearer(tokens.admin.token);
  const stamp = uniqueStamp();
  const name = `e2e-verdict-${stamp}`;
  const hookPath = `/purge/${stamp}`;
  const key = makeSigningKey();
  await trustKey(request, `e2e-verdict-key-${stamp}`, key.publicPem);
  const source = playbookSource({
    name,
    risk: "low",
    description: `Purges a cache with an admin token (e2e ${stamp}).`,
    params: { service: { type: "string", required: true, pattern: "[a-z0-9-]+" } },
    steps: [{ id: "purge", name: "Purge the cache", action: "http", with: { url: `${target.url}${hookPath}`, method: "POST", headers: { authorization: `Bearer {{ secret "${SECRET}" }}` }, body: { service: "{{ params.service }}" } } }],
  });
  await uploadPlaybook(request, source, key.sign(source));

  // The worker holds the secret, but the demo org is not granted it (yet).
  const before = (await (await request.get("/api/v1/settings/secrets", { headers: admin })).json()) as { grants: string[] };
  expect(before.grants).not.toContain(SECRET);

  const created = await request.post("/api/v1/runs", { headers: bearer(tokens.operator.token), data: { playbook: name, params: { service: "checkout" } } });
  expect(created.status(), await created.text()).toBe(201);
  const runId = ((await created.json()) as { id: string }).id;

  try {
    await test.step("the run page says it cannot run, and why", async () => {
      await login(page, "approver");
      await page.goto(`/runs/${runId}`);
      await expect(page.getByTestId("run-status")).toHaveText("awaiting approval", { timeout: 30_000 });
      const verdict = page.getByTestId("run-verdict");
      await expect(verdict).toContainText("Cannot run");
      await expect(verdict).toContainText(`"${SECRET}" is not granted`);
      await expect(verdict.locator('[data-code="secret_not_granted"]')).toBeVisible();
      const report = page.getByTestId("dry-run-report");
      await expect(report.getByTestId("plan-purge")).toContainText("no: the run cannot run");
      await expect(report).not.toContainText(/Will run\s*yes/);
    });

    await test.step("approval is refused, in the inbox and by the API", async () => {
      await page.getByRole("link", { name: "Review in Approvals" }).click();
      const card = page.getByTestId(`approval-${runId}`);
      await expect(card.getByTestId("run-verdict")).toContainText("Cannot run");
      // An approver is not offered the override.
      await expect(card.getByText("Admin override")).toHaveCount(0);
      await card.getByRole("button", { name: "Approve" }).click();
      await expect(card.getByRole("alert").filter({ hasText: "This run cannot run" })).toContainText(SECRET);
      const api = await request.post(`/api/v1/runs/${runId}/approve`, { headers: bearer(tokens.approver.token), data: {} });
      expect(api.status()).toBe(409);
      expect(((await api.json()) as { error: { code: string } }).error.code).toBe("CANNOT_RUN");
      expect(target.on(hookPath)).toHaveLength(0);
    });

    await test.step("an admin grants the secret; the run is requested again and the new one can run", async () => {
      const granted = await request.put("/api/v1/settings/secrets", { headers: admin, data: { grants: [...before.grants, SECRET] } });
      expect(granted.status(), await granted.text()).toBe(200);
      await page.goto(`/runs/${runId}`);
      await page.getByRole("button", { name: "Request again" }).click();
      await expect(page).toHaveURL(runUrl);
      await expect(page).not.toHaveURL(new RegExp(runId));
      await expect(page.getByTestId("run-status")).toHaveText("awaiting approval", { timeout: 30_000 });
      await expect(page.getByTestId("run-verdict")).toContainText("Can run");
      await expect(page.getByTestId("previous-run-link")).toContainText(`${runId.slice(0, 8)} (cancelled)`);
    });
    const againId = runUrl.exec(page.url())![1]!;

    await test.step("approved, it runs; the step's output is rendered, the raw JSON behind a toggle", async () => {
      await page.getByRole("link", { name: "Review in Approvals" }).click();
      const card = page.getByTestId(`approval-${againId}`);
      await card.getByLabel(/^Comment/).fill("secret granted (e2e)");
      await card.getByRole("button", { name: "Approve" }).click();
      await expect(page).toHaveURL(new RegExp(`/runs/${againId}$`));
      await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 30_000 });
      const step = page.getByTestId("step-purge");
      await expect(step.getByTestId("step-http-status")).toContainText("200");
      const raw = step.getByLabel("Output of step purge");
      await expect(raw).toBeHidden();
      await step.getByText("Raw JSON").click();
      await expect(raw).toBeVisible();
      await expect(raw).toContainText('"status": 200');
      const hits = target.on(hookPath);
      expect(hits).toHaveLength(1);
      expect(hits[0]!.headers.authorization).toBe(`Bearer ${process.env.E2E_RUNS_SECRET}`);
    });

    await test.step("the run's audit history is one click away", async () => {
      await page.getByTestId("run-audit-link").click();
      await expect(page).toHaveURL(/\/audit\?target=run%3A/);
      await expect(page.getByTestId("audit-filters")).toContainText(`run:${againId}`);
      for (const action of ["run.requested", "run.approval_recorded", "run.succeeded"]) await expect(page.getByRole("cell", { name: action, exact: true })).toBeVisible();
      // Only this run's events.
      await expect(page.getByRole("cell", { name: `run:${runId}` })).toHaveCount(0);
    });
  } finally {
    await request.put("/api/v1/settings/secrets", { headers: admin, data: { grants: before.grants } });
  }
});
