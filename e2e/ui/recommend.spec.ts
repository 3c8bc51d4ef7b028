// The learning loop of playbook recommendations, in the browser against the real app and worker: two
// equally fitting playbooks, the lower-ranked one is run from the panel on an incident and succeeds, and on
// the next similar incident it ranks above the other.
import { randomInt } from "node:crypto";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { bearer, e2eState, incidentIdByTitle, login, makeSigningKey, playbookSource, postAlert, trustKey, uniqueStamp, runStatus, runUrl, startRecordingTarget, uploadPlaybook } from "../fixtures";

let target: Awaited<ReturnType<typeof startRecordingTarget>>;

test.beforeAll(async () => {
  target = await startRecordingTarget();
});

test.afterAll(async () => {
  await target?.close();
});

type Ranked = { items: { playbook: { name: string }; rank: number; score: number; suggestedParams: Record<string, unknown> }[]; warnings: string[] };

async function recommendations(request: APIRequestContext, incidentId: string): Promise<Ranked> {
  const res = await request.get(`/api/v1/incidents/${incidentId}/recommendations?limit=50`, { headers: bearer(e2eState().tokens.viewer.token) });
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()) as Ranked;
}

const rankOf = (r: Ranked, name: string) => r.items.find((i) => i.playbook.name === name)?.rank ?? Infinity;

test("a playbook that fixed a similar incident ranks higher next time", async ({ page, request }) => {
  test.setTimeout(150_000);
  const { tokens } = e2eState();
  const stamp = uniqueStamp();
  // A made-up word (letters only, so the embedder keeps it) that only this test's incidents and playbooks share.
  const word = Array.from({ length: 10 }, () => String.fromCharCode(97 + randomInt(26))).join("");
  const service = `rec-${word}`;
  const labels = { alertname: "KafkaConsumerGroupLag", service, namespace: `ledger-${word}`, severity: "critical" };

  // Two low-risk playbooks, signed by a freshly trusted key, alike in everything but their name.
  const key = makeSigningKey();
  await trustKey(request, `e2e-rec-key-${stamp}`, key.publicPem);
  const names = [`rec-a-${stamp}`, `rec-b-${stamp}`] as const;
  for (const name of names) {
    const source = playbookSource({
      name,
      risk: "low",
      description: `Restarts the ${service} consumers when their Kafka consumer group lags behind.`,
      // What a lagging consumer group is diagnosed as (lib/recommend/diagnose.ts): both remedy the leading
      // hypothesis equally, so only what happened on similar incidents can tell them apart.
      addresses: ["capacity"],
      matches: { labels: `{service="${service}"}` },
      params: { service: { type: "string", required: true, pattern: "[a-z0-9-]+", description: "The service to restart." } },
      steps: [
        { id: "restart", name: "Ask for a restart", action: "http", with: { url: `${target.url}/restart/${name}`, method: "POST", body: { service: "{{ params.service }}" } } },
        { id: "settle", name: "Let it settle", action: "wait", with: { duration: "1s" } },
      ],
    });
    await uploadPlaybook(request, source, key.sign(source));
  }

  // Incident #1.
  const title1 = `Ledger ${word} consumer lag growing on Kafka (${stamp} first)`;
  await postAlert(request, { labels, annotations: { summary: title1, description: `${service} consumer group lag above 10000 messages, partitions stalled` } });
  const id1 = await incidentIdByTitle(request, title1);

  // Both playbooks are recommended on it; which one ranks lower?
  await login(page, "operator");
  await page.goto(`/incidents/${id1}`);
  await expect(page.getByRole("heading", { level: 1, name: title1 })).toBeVisible();
  // Visible only: while React streams the panel in, a hidden copy of it can sit in the DOM for a moment.
  const panel = page.getByTestId("recommendations").filter({ visible: true });
  await expect(page.getByRole("region", { name: "Recommended playbooks" })).toBeVisible();
  const item = (name: string) => panel.locator(`[data-testid="recommendation"][data-playbook="${name}"]`);
  await expect(item(names[0])).toBeVisible();
  await expect(item(names[1])).toBeVisible();
  await expect(panel.getByTestId("recommendation")).toHaveCount(3);
  const rank1 = { a: Number(await item(names[0]).getAttribute("data-rank")), b: Number(await item(names[1]).getAttribute("data-rank")) };
  expect(rank1.a).not.toBe(rank1.b);
  const [higher, lower] = rank1.a < rank1.b ? names : ([names[1], names[0]] as const);
  const api1 = await recommendations(request, id1);
  expect(rankOf(api1, lower)).toBeGreaterThan(rankOf(api1, higher));

  // Its panel entry: rank, name, risk, score as a percentage, justification, factors and suggested params.
  const lowerItem = item(lower);
  await expect(lowerItem.getByTestId("recommendation-name")).toHaveText(lower);
  await expect(lowerItem).toContainText("low");
  await expect(lowerItem.getByTestId("recommendation-score")).toHaveText(/^\d{1,3}%$/);
  await expect(lowerItem.getByTestId("recommendation-justification")).not.toBeEmpty();
  await expect(lowerItem).toContainText(`service=${service}`);
  const factors = lowerItem.getByTestId("recommendation-factors");
  await expect(factors).toBeHidden();
  await lowerItem.getByText("Why this score").click();
  await expect(factors).toBeVisible();
  await expect(factors.locator('tr[data-factor="selector_match"]')).toBeVisible();
  await expect(factors.locator('tr[data-factor="history"]')).toBeVisible();

  // One click requests a run of the lower-ranked playbook with the suggested params.
  await lowerItem.getByRole("button", { name: `Request run of ${lower}` }).click();
  await expect(page).toHaveURL(runUrl);
  const runId = runUrl.exec(page.url())![1]!;
  await expect.poll(() => runStatus(request, runId), { timeout: 30_000 }).toBe("awaiting_approval");
  const run = (await (await request.get(`/api/v1/runs/${runId}`, { headers: bearer(tokens.viewer.token) })).json()) as { playbookName: string; incidentId: string; params: Record<string, unknown> };
  expect(run.playbookName).toBe(lower);
  expect(run.incidentId).toBe(id1);
  expect(run.params).toMatchObject({ service });

  // An approver approves; the worker executes it.
  const approved = await request.post(`/api/v1/runs/${runId}/approve`, { headers: bearer(tokens.approver.token), data: { comment: "e2e: recommended" } });
  expect(approved.status(), await approved.text()).toBe(200);
  await expect.poll(() => runStatus(request, runId), { timeout: 30_000 }).toBe("succeeded");
  expect(target.on(`/restart/${lower}`).length).toBe(1);
  expect(target.on(`/restart/${higher}`).length).toBe(0);

  // The incident is over.
  const resolved = await request.post(`/api/v1/incidents/${id1}/resolve`, { headers: bearer(tokens.operator.token), data: {} });
  expect(resolved.status(), await resolved.text()).toBe(200);

  // Incident #2: the same trouble again (a new incident, the old one of its group is resolved).
  const title2 = `Ledger ${word} consumer lag again (${stamp} second)`;
  await postAlert(request, { labels, annotations: { summary: title2, description: `${service} consumer group lag growing, partitions stalled` } });
  const id2 = await incidentIdByTitle(request, title2);
  expect(id2).not.toBe(id1);

  // Once the worker has embedded the incidents, the playbook that fixed #1 ranks above the other one.
  await page.goto(`/incidents/${id2}`);
  await expect(page.getByRole("heading", { level: 1, name: title2 })).toBeVisible();
  await expect(async () => {
    await page.reload();
    await expect(item(lower)).toBeVisible({ timeout: 5_000 });
    await expect(item(higher)).toBeVisible({ timeout: 1_000 });
    const a = Number(await item(lower).getAttribute("data-rank"));
    const b = Number(await item(higher).getAttribute("data-rank"));
    expect(a).toBeLessThan(b);
  }).toPass({ timeout: 30_000 });
  await item(lower).getByText("Why this score").click();
  await expect(item(lower).getByTestId("recommendation-factors").locator('tr[data-factor="history"]')).toContainText("fixed 1");

  // The API agrees.
  const api2 = await recommendations(request, id2);
  expect(rankOf(api2, lower)).toBeLessThan(rankOf(api2, higher));
  const history = (r: Ranked, name: string) =>
    (r.items.find((i) => i.playbook.name === name) as unknown as { factors: { name: string; value: number }[] }).factors.find((f) => f.name === "history")!.value;
  expect(history(api2, lower)).toBeGreaterThan(0);
  expect(history(api2, higher)).toBeLessThanOrEqual(0);
});
