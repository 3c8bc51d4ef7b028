// The incident page answers "what is this and where do I look": the alert's description, its runbook and
// the Prometheus graph (links only when http(s): annotations come from whoever can post alerts), label values
// of any length without widening the page, and a viewer told why the buttons are missing.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { alertmanagerFixture, bearer, e2eState, incidentIdByTitle, login, uniqueStamp } from "../fixtures";

type Alert = { labels: Record<string, string>; annotations: Record<string, string>; fingerprint: string; startsAt: string; generatorURL?: string };

/** One firing alert with these labels, annotations and generatorURL; returns its incident's id. */
async function incidentWith(request: APIRequestContext, spec: { labels?: Record<string, string>; annotations: Record<string, string>; generatorURL?: string }) {
  const stamp = uniqueStamp();
  const title = `Detail page ${stamp}`;
  const payload = alertmanagerFixture("firing.json") as { alerts: Alert[] };
  payload.alerts = [
    {
      ...payload.alerts[0]!,
      fingerprint: `detail-${stamp}`,
      startsAt: new Date(Date.now() - 60_000).toISOString(),
      labels: { alertname: `DetailPage${stamp}`, severity: "warning", service: `svc-${stamp}`, ...spec.labels },
      annotations: { summary: title, ...spec.annotations },
      generatorURL: spec.generatorURL,
    },
  ];
  const res = await request.post("/api/v1/integrations/alertmanager", { headers: bearer(e2eState().tokens.operator.token), data: payload });
  expect(res.status(), await res.text()).toBe(200);
  return { id: await incidentIdByTitle(request, title), title };
}

test("shows the alert's description, its runbook and an 'Open in Prometheus' link", async ({ page, request }) => {
  const runbook = "https://runbooks.example.org/payments/latency#mitigate";
  const graph = "http://prometheus.example.org:9090/graph?g0.expr=histogram_quantile(0.99%2C%20x)&g0.tab=0";
  const { id } = await incidentWith(request, {
    annotations: { description: "p99 latency of payments above 2 s for 10 minutes in prod-eu-1", runbook_url: runbook },
    generatorURL: graph,
  });
  await login(page, "operator");
  await page.goto(`/incidents/${id}`);
  const panel = page.getByTestId("alert-context");
  await expect(panel.getByTestId("alert-description")).toHaveText("p99 latency of payments above 2 s for 10 minutes in prod-eu-1");
  await expect(panel.getByRole("link", { name: /Runbook/ })).toHaveAttribute("href", runbook);
  const prom = panel.getByRole("link", { name: /Open in Prometheus/ });
  await expect(prom).toHaveAttribute("href", new URL(graph).href);
  await expect(prom).toHaveAttribute("rel", /noopener/);
});

test("javascript: URLs in annotations are shown as text, never as links", async ({ page, request }) => {
  const { id } = await incidentWith(request, {
    annotations: { description: "an attacker wrote these annotations", runbook_url: "javascript:alert(document.cookie)" },
    generatorURL: " JaVaScRiPt:alert(1)",
  });
  await login(page, "operator");
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(`/incidents/${id}`);
  const panel = page.getByTestId("alert-context");
  await expect(panel.getByTestId("alert-runbook-refused")).toContainText("javascript:alert(document.cookie)");
  await expect(panel.getByTestId("alert-source-refused")).toContainText("alert(1)");
  await expect(panel.getByRole("link")).toHaveCount(0);
  const scriptHrefs = await page.evaluate(() => [...document.querySelectorAll("a[href]")].map((a) => a.getAttribute("href")!).filter((h) => /^\s*(javascript|data|vbscript):/i.test(h)));
  expect(scriptHrefs).toEqual([]);
  await panel.getByTestId("alert-runbook-refused").click();
  expect(dialogs).toEqual([]);
});

test("a 1,500-character label value does not widen the page", async ({ page, request }) => {
  const long = `${"a".repeat(700)}-${"b".repeat(799)}`;
  const { id } = await incidentWith(request, { labels: { pod: long, note: long.replace(/-/g, "_") }, annotations: { description: `x${"y".repeat(1500)}` } });
  await login(page, "operator");
  await page.goto(`/incidents/${id}`);
  await expect(page.getByTestId("incident-labels")).toContainText("pod=aaaa");
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
  // The whole value is one hover away.
  await expect(page.getByTestId("incident-labels").locator(`[title="pod=${long}"]`)).toHaveCount(1);
});

test("a viewer reads why Acknowledge and Request run are missing", async ({ page, request }) => {
  const { id } = await incidentWith(request, { annotations: { description: "viewer test" } });
  await login(page, "viewer");
  await page.goto(`/incidents/${id}`);
  const notes = page.getByTestId("role-note");
  await expect(notes.filter({ hasText: "Your role (viewer) cannot acknowledge this incident; operators and above can." })).toHaveCount(1);
  await expect(notes.filter({ hasText: "Your role (viewer) cannot request a playbook run; operators and above can." })).toHaveCount(1);
  await expect(page.getByRole("button", { name: /Acknowledge/ })).toHaveCount(0);

  // An operator has the buttons and no notes.
  await page.context().clearCookies();
  await login(page, "operator");
  await page.goto(`/incidents/${id}`);
  await expect(page.getByRole("button", { name: /Acknowledge/ })).toBeVisible();
  await expect(page.getByTestId("role-note")).toHaveCount(0);
});

test("an unknown incident says what was not found, with a way back", async ({ page }) => {
  await login(page, "viewer");
  const res = await page.goto("/incidents/00000000-0000-4000-8000-000000000000");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Incident not found" })).toBeVisible();
  await page.getByRole("link", { name: /All incidents/ }).click();
  await expect(page).toHaveURL(/\/incidents$/);
});
