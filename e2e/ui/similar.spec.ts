// Similar past incidents on the incident page, against the real app and worker: the worker embeds
// incidents after their signals arrive (asynchronously), the page embeds the one it shows on demand.
import { randomInt } from "node:crypto";
import { expect, test } from "@playwright/test";
import { bearer, e2eState, incidentIdByTitle, login, playbookSource, postAlert, uniqueStamp, uploadPlaybook } from "../fixtures";

test("an incident's page lists the look-alike past incident first, with the playbook run on it", async ({ page, request }) => {
  test.setTimeout(90_000);
  const { tokens } = e2eState();
  const stamp = uniqueStamp();
  // A made-up word (letters only, so the embedder keeps it) that only this test's checkout incidents share:
  // incidents left by an earlier repeat of this test tell the same story, and must not outrank ours.
  const word = Array.from({ length: 10 }, () => String.fromCharCode(97 + randomInt(26))).join("");
  const checkout = { alertname: "KubePodCrashLooping", service: `checkout-${word}`, namespace: `shop-${word}`, severity: "critical" };
  const hour = 3600_000;
  const now = Date.now();

  // 1. An older checkout OOM incident, with a playbook run requested on it, then resolved.
  const oldTitle = `Checkout pods OOMKilled, CrashLoopBackOff (${word} ${stamp} earlier)`;
  await postAlert(request, {
    labels: checkout,
    annotations: { summary: oldTitle, description: `checkout-${word} pods restarting: OOMKilled after deploy, memory limit 512Mi exceeded, CrashLoopBackOff` },
    startsAt: new Date(now - 3 * hour),
  });
  const oldId = await incidentIdByTitle(request, oldTitle);
  const playbook = `e2e-similar-${stamp}`;
  await uploadPlaybook(request, playbookSource({ name: playbook, risk: "low", steps: [{ id: "settle", name: "Let it settle", action: "wait", with: { duration: "1s" } }] }));
  const runRes = await request.post("/api/v1/runs", { headers: bearer(tokens.operator.token), data: { playbook, incidentId: oldId, reason: "e2e: similar incidents" } });
  expect(runRes.status(), await runRes.text()).toBe(201);
  const runId = ((await runRes.json()) as { id: string }).id;
  const resolved = await request.post(`/api/v1/incidents/${oldId}/resolve`, { headers: bearer(tokens.operator.token), data: {} });
  expect(resolved.status(), await resolved.text()).toBe(200);

  // 2. Something unrelated in between.
  const diskTitle = `Disk almost full on orders-db-1 (${stamp})`;
  await postAlert(request, {
    labels: { alertname: "NodeFilesystemAlmostFull", service: `orders-db-${stamp}`, severity: "warning" },
    annotations: { summary: diskTitle, description: "/var/lib/postgresql at 97% on orders-db-1, WAL segments growing" },
    startsAt: new Date(now - 2 * hour),
  });
  const diskId = await incidentIdByTitle(request, diskTitle);

  // 3. The checkout OOM again (a new incident: the old one of its group is resolved).
  const newTitle = `Checkout OOMKilled again (${word} ${stamp} now)`;
  await postAlert(request, {
    labels: checkout,
    annotations: { summary: newTitle, description: `checkout-${word} CrashLoopBackOff: OOMKilled, memory limit 512Mi` },
    startsAt: new Date(now - 60_000),
  });
  const newId = await incidentIdByTitle(request, newTitle);
  expect(newId).not.toBe(oldId);

  await login(page, "viewer");
  await page.goto(`/incidents/${newId}`);
  await expect(page.getByRole("heading", { level: 1, name: newTitle })).toBeVisible();
  const panel = page.getByRole("region", { name: "Similar past incidents" });
  const items = panel.getByTestId("similar-incidents").getByTestId("similar-incident");
  // The older incidents are embedded by the worker, asynchronously: reload until they are in.
  await expect(async () => {
    await page.reload();
    await expect(items.first()).toHaveAttribute("data-incident-id", oldId, { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });

  const top = items.first();
  await expect(top.getByRole("link", { name: oldTitle })).toHaveAttribute("href", `/incidents/${oldId}`);
  await expect(top).toContainText("critical");
  await expect(top).toContainText("resolved");
  await expect(top.getByTestId("similarity")).toHaveText(/^\d{1,3}%$/);
  const topPct = Number((await top.getByTestId("similarity").textContent())!.replace("%", ""));
  expect(topPct).toBeGreaterThan(30);
  await expect(top.getByRole("link", { name: playbook, exact: true })).toHaveAttribute("href", `/runs/${runId}`);
  await expect(top.getByText("No playbook was run.")).toHaveCount(0);
  expect(await items.count()).toBeLessThanOrEqual(5);
  // Not itself; the unrelated one, if listed, comes later, with a lower score and no runs.
  await expect(panel.locator(`[data-incident-id="${newId}"]`)).toHaveCount(0);
  const disk = panel.locator(`[data-incident-id="${diskId}"]`);
  if ((await disk.count()) > 0) {
    const diskPct = Number((await disk.getByTestId("similarity").textContent())!.replace("%", ""));
    expect(diskPct).toBeLessThan(topPct);
    await expect(disk).toContainText("No playbook was run.");
  }

  // The API gives the same answer (its process's in-memory index may be up to one refresh behind).
  await expect(async () => {
    const res = await request.get(`/api/v1/incidents/${newId}/similar?k=5`, { headers: bearer(tokens.viewer.token) });
    expect(res.status()).toBe(200);
    const body = (await res.json()) as { items: { incident: { id: string }; similarity: number; runs: { id: string; playbookName: string }[] }[] };
    expect(body.items[0]?.incident.id).toBe(oldId);
    expect(body.items[0]?.runs.map((r) => r.id)).toEqual([runId]);
    const diskItem = body.items.find((i) => i.incident.id === diskId);
    if (diskItem) expect(diskItem.similarity).toBeLessThan(body.items[0]!.similarity);
  }).toPass({ timeout: 15_000 });
});

test("an incident with nothing like it before says so", async ({ page, request }) => {
  const stamp = uniqueStamp();
  // Opened before anything else in this database (earlier on every repeat), so there is no past incident to compare with.
  // (Alerts starting before 2000 are refused: this stays after it until 2032.)
  const startsAt = new Date(Date.UTC(2012, 0, 1) - (Date.now() - Date.UTC(2020, 0, 1)));
  const title = `Quasar flux capacitor desynchronized (${stamp})`;
  await postAlert(request, {
    labels: { alertname: "FluxCapacitorDesync", service: `quasar-${stamp}`, severity: "info" },
    annotations: { summary: title, description: "temporal drift beyond tolerance" },
    startsAt,
  });
  const id = await incidentIdByTitle(request, title);
  await login(page, "viewer");
  await page.goto(`/incidents/${id}`);
  const panel = page.getByRole("region", { name: "Similar past incidents" });
  await expect(panel.getByText("No similar past incidents yet.")).toBeVisible();
  await expect(panel.getByTestId("similar-incidents")).toHaveCount(0);
});
