// A monitor's page charts its query (uPlot) against a small Prometheus stand-in: the chart's text
// alternative, pointer and keyboard tooltips, and the preview's anomaly dots and sensitivity line, in
// light and dark mode (screenshots kept in test-results/ for a look).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { bearer, e2eState, login } from "../fixtures";

/** query_range answers: two series over the asked range, the first with a spike and a NaN gap. */
function fakePrometheus(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      if (!req.url?.includes("query_range")) {
        res.writeHead(404).end();
        return;
      }
      const form = new URLSearchParams(req.method === "POST" ? body : (req.url.split("?")[1] ?? ""));
      const start = Number(form.get("start"));
      const end = Number(form.get("end"));
      const step = Number(form.get("step"));
      const n = Math.floor((end - start) / step) + 1;
      const values = (f: (i: number) => number) =>
        Array.from({ length: n }, (_, i) => {
          const v = f(i);
          return [start + i * step, Number.isFinite(v) ? String(v) : "NaN"];
        });
      const spike = Math.floor(n * 0.7);
      const result = [
        { metric: { __name__: "http_latency_ms", pod: "checkout-a" }, values: values((i) => (i >= spike && i < spike + 6 ? 480 : i === Math.floor(n * 0.3) ? Number.NaN : 120 + 20 * Math.sin(i / 40) + ((i * 7919) % 11))) },
        { metric: { __name__: "http_latency_ms", pod: "checkout-b" }, values: values((i) => 90 + 15 * Math.cos(i / 55) + ((i * 104729) % 7)) },
      ];
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "success", data: { resultType: "matrix", result } }));
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server })));
}

test("a monitor's page charts its query: summary, tooltips by pointer and keyboard, anomalies in the preview, light and dark", async ({ page, request }) => {
  const { tokens } = e2eState();
  const admin = bearer(tokens.admin.token);
  const prom = await fakePrometheus();
  const before = (await (await request.get("/api/v1/integrations/prometheus", { headers: admin })).json()) as { prometheus: { url: string } | null };
  try {
    expect((await request.put("/api/v1/integrations/prometheus", { headers: admin, data: { url: prom.url } })).ok()).toBe(true);
    const name = `chart-${Date.now()}`;
    const created = await request.post("/api/v1/monitors", { headers: admin, data: { name, query: "http_latency_ms", stepSeconds: 60, enabled: false } });
    expect(created.status()).toBe(201);
    const { id } = (await created.json()) as { id: string };

    await login(page, "operator");
    await page.setViewportSize({ width: 1280, height: 1100 });
    await page.goto(`/monitors/${id}`);
    // A streamed section can briefly exist twice (Next's hidden pre-swap copy and the shown one): act on the shown one.
    const chart = page.getByTestId("monitor-chart").filter({ visible: true }).getByTestId("time-series-chart");
    await expect(chart).toHaveAttribute("data-points", "2882");
    await expect(chart).toHaveAttribute("aria-label", new RegExp(`^${name}, last 24 hours: 2 series from .* UTC to .* UTC, 0 anomalous points\\.$`));
    // uPlot drew it: one canvas, sized to the box.
    await expect(chart.locator("canvas")).toHaveCount(1);
    const summary = page.getByRole("table", { name: `${name}, last 24 hours: summary per series` });
    await expect(summary.getByRole("row")).toHaveCount(3);
    await expect(summary.getByRole("rowheader", { name: 'http_latency_ms{pod="checkout-a"}' })).toBeVisible();

    // Pointer: the tooltip names the time, the series and its value.
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 3);
    const tooltip = chart.getByTestId("chart-tooltip");
    await expect(tooltip).toBeVisible();
    await expect(tooltip).toContainText(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    await expect(tooltip).toContainText(/http_latency_ms\{pod="checkout-[ab]"\}/);
    await expect(tooltip).toContainText(/value: \d/);
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      // Dark mode repaints the chart in the dark palette (a new uPlot): point again for the tooltip, until the new
      // chart is there to see the pointer (a move that lands before the rebuild is lost with the old one).
      let nudge = 1;
      await expect(async () => {
        nudge = -nudge;
        await page.mouse.move(box.x + box.width / 2 + nudge, box.y + box.height / 3);
        await expect(tooltip).toBeVisible({ timeout: 500 });
      }).toPass({ timeout: 10_000 });
      await page.getByTestId("monitor-chart").filter({ visible: true }).screenshot({ path: `test-results/monitor-chart-${scheme}.png` });
    }
    await page.emulateMedia({ colorScheme: "light" });
    await page.mouse.move(0, 0);
    await expect(tooltip).toHaveCount(0);

    // Keyboard: Home shows the first point, End the last, Escape hides it.
    await chart.focus();
    await page.keyboard.press("Home");
    await expect(tooltip).toContainText('http_latency_ms{pod="checkout-a"}');
    const first = await tooltip.textContent();
    await page.keyboard.press("End");
    await expect(tooltip).not.toHaveText(first!);
    await page.keyboard.press("ArrowDown");
    await expect(tooltip).toContainText('http_latency_ms{pod="checkout-b"}');
    await page.keyboard.press("Escape");
    await expect(tooltip).toHaveCount(0);

    // The preview scores the same data: the spike is anomalous (red dots) and the score chart has its line.
    await page.getByRole("button", { name: "Preview" }).click();
    const preview = page.getByTestId("monitor-preview");
    const charts = preview.getByTestId("time-series-chart");
    await expect(charts).toHaveCount(2);
    await expect(charts.first()).not.toHaveAttribute("data-anomalies", "0");
    await expect(charts.nth(1)).toHaveAttribute("aria-label", /^Preview: anomaly score per point: 2 series/);

    await preview.screenshot({ path: "test-results/monitor-preview-light.png" });
    await page.emulateMedia({ colorScheme: "dark" });
    await expect(charts.first().locator("canvas")).toHaveCount(1);
    await preview.screenshot({ path: "test-results/monitor-preview-dark.png" });
  } finally {
    // Put back a Prometheus configured before this spec. The API cannot remove a source, so when there
    // was none, later specs see this closed port (unreachable), which none of them depends on.
    if (before.prometheus) await request.put("/api/v1/integrations/prometheus", { headers: admin, data: { url: before.prometheus.url } });
    prom.server.close();
  }
});
