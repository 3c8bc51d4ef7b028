// The orchestrator journey in the browser, against the real app and worker: a signed medium-risk
// playbook is requested from an incident, dry-run, refused to its requester, approved by someone else
// and executed against a local HTTP target while the run page updates itself.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { bearer, e2eState, fireAlertWithLabels, login, makeSigningKey, playbookSource, trustKey, uniqueStamp, runStatus, runUrl, startRecordingTarget, uploadPlaybook } from "../fixtures";

let target: Awaited<ReturnType<typeof startRecordingTarget>>;

test.beforeAll(async () => {
  target = await startRecordingTarget();
});

test.afterAll(async () => {
  await target?.close();
});

/**
 * A medium-risk playbook, signed with a freshly trusted key: POST {service, note, run} to the target
 * (path unique to the test), then wait, so the run page can be seen moving.
 */
async function signedHookPlaybook(request: APIRequestContext, stamp: string, extra: Record<string, unknown> = {}) {
  const name = `e2e-hook-${stamp}`;
  const keyName = `e2e-key-${stamp}`;
  const hookPath = `/hook/${stamp}`;
  const key = makeSigningKey();
  await trustKey(request, keyName, key.publicPem);
  const source = playbookSource({
    name,
    risk: "medium",
    description: `Tells a test hook about a service, then lets it settle (e2e ${stamp}).`,
    params: {
      service: { type: "string", required: true, pattern: "[a-z0-9-]+", description: "The service to report." },
      note: { type: "string", default: "from e2e" },
    },
    steps: [
      { id: "notify", name: "Tell the hook", action: "http", with: { url: `${target.url}${hookPath}`, method: "POST", body: { service: "{{ params.service }}", note: "{{ params.note }}", run: "{{ run.id }}" } } },
      { id: "settle", name: "Let it settle", action: "wait", with: { duration: "3s" } },
    ],
    ...extra,
  });
  await uploadPlaybook(request, source, key.sign(source));
  return { name, keyName, hookPath };
}

test("an operator runs a signed playbook from an incident; an approver approves it and watches it execute live", async ({ page, request }) => {
  test.setTimeout(120_000);
  const { tokens } = e2eState();
  const stamp = uniqueStamp();
  const service = `svc-${stamp}`;
  const { name, keyName, hookPath } = await signedHookPlaybook(request, stamp, { matches: { labels: `{service="${service}"}` } });
  const { title } = await fireAlertWithLabels(request, stamp, { service });

  // The operator picks the playbook on the incident page; `service` comes from the incident's label.
  await login(page, "operator");
  // The incident is grouped by its service label, and its title carries the stamp.
  await page.goto(`/incidents?q=${stamp}`);
  await page.getByRole("link", { name: title }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const form = page.getByRole("form", { name: "Run a playbook" });
  await form.getByLabel("Playbook").selectOption(name);
  const chosen = form.getByTestId("chosen-playbook");
  await expect(chosen).toContainText("medium");
  await expect(chosen).toContainText(`verified by key ${keyName}`);
  await expect(chosen).toContainText("matches this incident");
  await expect(form.getByLabel(/^service/)).toHaveValue(service);
  await expect(form.getByLabel(/^note/)).toHaveValue("from e2e");
  await form.getByLabel(/^Reason/).fill("e2e: hook is stale");
  await form.getByRole("button", { name: "Request run" }).click();

  // The run page shows the dry-run report once the worker has planned it.
  await expect(page).toHaveURL(runUrl);
  const runId = runUrl.exec(page.url())![1]!;
  await expect(page.getByTestId("run-status")).toHaveText("awaiting approval", { timeout: 30_000 });
  await expect(page.getByTestId("dry-run-report")).toContainText(`POST ${target.url}${hookPath}`);
  await expect(page.getByTestId("run-verification")).toContainText(`by key ${keyName}`);
  expect(target.on(hookPath)).toHaveLength(0);

  // Operators see the inbox read-only, and the API refuses their approval.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Approvals", exact: true }).click();
  const opCard = page.getByTestId(`approval-${runId}`);
  await expect(opCard).toBeVisible();
  await expect(opCard.getByRole("button", { name: "Approve" })).toHaveCount(0);
  await expect(opCard.getByRole("button", { name: "Reject" })).toHaveCount(0);
  await expect(opCard).toContainText("Read-only");
  const refused = await request.post(`/api/v1/runs/${runId}/approve`, { headers: bearer(tokens.operator.token), data: {} });
  expect(refused.status()).toBe(403);

  // The approver reads the report in the inbox and approves with a comment.
  await page.context().clearCookies();
  await login(page, "approver");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Approvals", exact: true }).click();
  const card = page.getByTestId(`approval-${runId}`);
  await expect(card.getByTestId("dry-run-report")).toContainText(`POST ${target.url}${hookPath}`);
  await expect(card.getByTestId("plan-notify")).toContainText("Tell the hook");
  await expect(card).toContainText(`service=${service}`);
  await expect(card).toContainText("0 of 1");
  await expect(card).toContainText("operator@demo.neuralops.local");
  await expect(card).toContainText(`by key ${keyName}`);
  await expect(card.getByTestId("self-approval-note")).toHaveCount(0);
  await card.getByLabel(/^Comment/).fill("Looks right (e2e)");
  await card.getByRole("button", { name: "Approve" }).click();

  // The run page follows execution without a reload.
  await expect(page).toHaveURL(new RegExp(`/runs/${runId}$`));
  await page.evaluate(() => ((window as unknown as { e2eSamePage: boolean }).e2eSamePage = true));
  const settle = page.getByTestId("step-settle").getByTestId("step-status");
  await expect(settle).toHaveText("started", { timeout: 30_000 });
  await expect(page.getByTestId("run-status")).toHaveText("executing");
  await expect(page.getByTestId("step-notify").getByTestId("step-status")).toHaveText("succeeded");
  await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 30_000 });
  await expect(settle).toHaveText("succeeded");
  await expect(page.getByTestId("step-notify")).toContainText('"status": 200');
  await expect(page.getByTestId("approvals")).toContainText("Looks right (e2e)");
  await expect(page.getByTestId("live-state")).toHaveText("Final state.");
  expect(await page.evaluate(() => (window as unknown as { e2eSamePage?: boolean }).e2eSamePage)).toBe(true);

  // The target got exactly one request: the templated body and the step's idempotency key.
  const hits = target.on(hookPath);
  expect(hits).toHaveLength(1);
  expect(hits[0]!.method).toBe("POST");
  expect(hits[0]!.headers["idempotency-key"]).toContain(runId);
  expect(JSON.parse(hits[0]!.body)).toEqual({ service, note: "from e2e", run: runId });

  // Audit: the chain verifies and it recorded the approval and the success of this run.
  const verify = await request.get("/api/v1/audit/verify", { headers: bearer(tokens.admin.token) });
  expect(verify.status()).toBe(200);
  expect(await verify.json()).toMatchObject({ ok: true });
  for (const action of ["run.approval_recorded", "run.succeeded"]) {
    const res = await request.get(`/api/v1/audit?action=${action}&limit=500`, { headers: bearer(tokens.approver.token) });
    const { events } = (await res.json()) as { events: { targetId: string }[] };
    expect(events.map((e) => e.targetId)).toContain(runId);
  }
  await page.goto("/audit?action=run.succeeded");
  await expect(page.getByRole("cell", { name: `run:${runId}` })).toBeVisible();
  await page.getByRole("button", { name: "Verify chain" }).click();
  await expect(page.getByTestId("verify-result")).toContainText("Chain intact");
});

test("four eyes: the requester of a medium-risk run cannot approve it, by API or in the inbox", async ({ page, request }) => {
  test.setTimeout(90_000);
  const { tokens } = e2eState();
  const stamp = uniqueStamp();
  const { name, hookPath } = await signedHookPlaybook(request, stamp);

  // By API: the approver token requests a run and tries to approve it itself.
  const created = await request.post("/api/v1/runs", { headers: bearer(tokens.approver.token), data: { playbook: name, params: { service: "checkout" } } });
  expect(created.status()).toBe(201);
  const apiRunId = ((await created.json()) as { id: string }).id;
  await expect.poll(() => runStatus(request, apiRunId), { timeout: 30_000 }).toBe("awaiting_approval");
  const self = await request.post(`/api/v1/runs/${apiRunId}/approve`, { headers: bearer(tokens.approver.token), data: { comment: "my own" } });
  expect(self.status()).toBe(403);
  expect(((await self.json()) as { error: { message: string } }).error.message).toMatch(/someone other than the requester/);

  // In the UI: the approver requests a run from the playbook's page (no incident)...
  await login(page, "approver");
  await page.goto(`/playbooks/${name}`);
  await expect(page.getByTestId("playbook-signature")).toContainText("Verified");
  await expect(page.getByTestId("playbook-source")).toContainText(`"name": "${name}"`);
  await page.getByRole("link", { name: "Request a run" }).click();
  const form = page.getByRole("form", { name: "Request a run" });
  await expect(form.getByLabel("Playbook")).toHaveValue(name);
  // Server-side validation of params comes back next to the field.
  await form.getByLabel(/^service/).fill("Not Valid");
  await form.getByRole("button", { name: "Request run" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Invalid params" })).toContainText("service: does not match");
  await expect(form.getByLabel(/^service/)).toHaveValue("Not Valid");
  await form.getByLabel(/^service/).fill("checkout");
  await form.getByRole("button", { name: "Request run" }).click();
  await expect(page).toHaveURL(runUrl);
  const uiRunId = runUrl.exec(page.url())![1]!;
  await expect(page.getByTestId("run-status")).toHaveText("awaiting approval", { timeout: 30_000 });

  // ...and the inbox says they cannot approve it; the server is still the judge.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Approvals", exact: true }).click();
  const mine = page.getByTestId(`approval-${uiRunId}`);
  await expect(mine.getByTestId("self-approval-note")).toContainText("medium-risk runs must be approved by someone other than the requester");
  // The approver token acts for this same person: its run is theirs too.
  await expect(page.getByTestId(`approval-${apiRunId}`).getByTestId("self-approval-note")).toContainText("someone other than the requester");
  await mine.getByRole("button", { name: "Approve" }).click();
  await expect(mine.getByRole("alert")).toHaveText(/^medium-risk runs must be approved by someone other than the requester$/i);

  // Rejecting needs a comment; with one, the run is rejected and nothing was sent.
  await mine.getByRole("button", { name: "Reject" }).click();
  await expect(mine.getByText("say why you reject it")).toBeVisible();
  await mine.getByLabel(/^Comment/).fill("wrong service (e2e)");
  await mine.getByRole("button", { name: "Reject" }).click();
  await expect(page).toHaveURL(new RegExp(`/runs/${uiRunId}$`));
  await expect(page.getByTestId("run-status")).toHaveText("rejected");
  await expect(page.getByTestId("approvals")).toContainText("wrong service (e2e)");
  const cleanup = await request.post(`/api/v1/runs/${apiRunId}/reject`, { headers: bearer(tokens.admin.token), data: { comment: "e2e cleanup" } });
  expect(cleanup.status()).toBe(200);
  expect(target.on(hookPath)).toHaveLength(0);
});
