// A saved monitor behaves like its preview, against the real Prometheus 2.42: 24 h of a `checkout`
// series with 4 spikes are backfilled (promtool), the monitor is previewed over those 24 h, saved and
// scanned. The scan flags the preview's points and nothing else, and the signals it raises for those
// past spikes do not join the `checkout` incident that is open now.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { setPrometheusSource } from "@/lib/integrations/prometheus-source";
import { createMonitor } from "@/lib/monitors/manage-monitors";
import { previewMonitor } from "@/lib/monitors/preview-monitor";
import { scanMonitor } from "@/lib/monitors/scan-monitor";
import { ingestSignals } from "@/lib/incidents/ingest-signals";
import { makeActor, makeOrg } from "@/test/factories";
import { mulberry32 } from "@/test/random";
import { missingBinaries, startPrometheus, stopAll } from "./harness";

const missing = missingBinaries();
if (missing.length) throw new Error(`missing ${missing.join(", ")}: apt-get install -y prometheus prometheus-alertmanager`);

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(stopAll);

const STEP = 60_000;
const HOUR = 3_600_000;
const SPIKES_MIN = [200, 560, 900, 1250];

/**
 * 26 h of an error ratio around 0.0018 (noise and an hourly wave), one sample a minute up to `anchor`,
 * with 4 spikes at those minutes after `anchor − 24 h`, each higher than the last.
 */
function checkoutHistory(anchor: number) {
  const from = anchor - 24 * HOUR;
  const r = mulberry32(14);
  const spikeAt = new Map(SPIKES_MIN.map((m, i) => [from + m * STEP, 0.02 * (i + 1)]));
  const lines = ["# TYPE checkout_error_ratio gauge"];
  for (let t = anchor - 26 * HOUR; t <= anchor; t += STEP) {
    const v = spikeAt.get(t) ?? 0.0018 + 0.0002 * (r() - 0.5) + 0.0001 * Math.sin((2 * Math.PI * (t - from)) / HOUR);
    lines.push(`checkout_error_ratio{service="checkout"} ${v} ${t / 1000}`);
  }
  return { text: `${lines.join("\n")}\n# EOF\n`, spikes: [...spikeAt.keys()] };
}

describe("a saved monitor behaves like its preview (real Prometheus, backfilled history)", () => {
  it("backfill, preview 24 h, save, scan: the scan flags exactly the preview's points, and past signals open their own resolved incidents", async () => {
    const now0 = Math.floor(Date.now() / STEP) * STEP;
    const history = checkoutHistory(now0);
    const prom = await startPrometheus({ backfill: history.text });
    cleanups.push(prom.stop);
    const org = await makeOrg("prev");
    const admin = await makeActor(org.id, "admin");
    await setPrometheusSource({ actor: admin, input: { url: prom.url } });

    // What a new user does: the default detector, previewed over the last 24 h.
    const input = { query: `checkout_error_ratio{service="checkout"}`, stepSeconds: 60, detector: { type: "ensemble" as const }, sensitivity: 0.99 };
    const preview = await previewMonitor({ actor: admin, input, rangeSeconds: 24 * 3600, now: now0 });
    expect(preview.series).toHaveLength(1);
    const flagged = preview.series[0]!.points.filter((p) => p.score >= input.sensitivity);
    expect(flagged.map((p) => p.t)).toEqual(history.spikes);

    // Meanwhile, a `checkout` incident is open (an alert from a minute ago).
    const alert = await ingestSignals({
      actor: admin,
      signals: [{ kind: "alert", fingerprint: "checkout-5xx", startsAt: new Date(now0 - STEP), status: "firing", title: "checkout 5xx", labels: { alertname: "Checkout5xx", service: "checkout" }, severity: "critical", source: "test" }],
    });
    const openIncident = alert.openedIncidents[0]!;

    // Saved as it was previewed, then its first scan.
    const monitor = await createMonitor({ actor: admin, input: { ...input, name: "checkout errors", severity: "critical", labels: { service: "checkout" }, enabled: false } });
    await db.monitor.update({ where: { id: monitor.id }, data: { enabled: true } });
    const scan = await scanMonitor({ monitorId: monitor.id, now: now0 });
    expect(scan.series).toBe(1);

    const signals = await db.signal.findMany({ where: { orgId: org.id, kind: "anomaly" }, orderBy: { startsAt: "asc" }, include: { incident: true } });
    // One signal per flagged point (isolated spikes: one episode each), none on the baseline.
    expect(signals.map((s) => s.startsAt.getTime())).toEqual(history.spikes);
    expect(signals.map((s) => s.value)).toEqual(flagged.map((p) => p.v));
    for (const s of signals) {
      // Hours older than the open incident: not attached to it; each opened its own, already over.
      expect(s.incidentId).not.toBe(openIncident);
      expect(s.incident).toMatchObject({ status: "resolved", openedAt: s.startsAt });
      expect(s.incident!.resolvedAt!.getTime()).toBeLessThan(now0);
    }
    const open = await db.incident.findUniqueOrThrow({ where: { id: openIncident }, include: { signals: true } });
    expect(open.signals.map((s) => s.fingerprint)).toEqual(["checkout-5xx"]);

    // Saved from the form after the preview: the form hands over the preview's window, so the first
    // scan learns from the same history even though its clock has moved on. Here it also catches up in
    // pieces (scans at earlier clocks), its checkpoint going through the database between them, and an
    // episode (the 560th minute's) firing in one scan and resolved in the next.
    const later = await createMonitor({
      actor: admin,
      input: { ...input, name: "checkout errors (later)", severity: "critical", labels: { service: "checkout-later" }, enabled: false, historyFrom: preview.from },
    });
    await db.monitor.update({ where: { id: later.id }, data: { enabled: true } });
    const from = preview.from;
    for (const at of [from + 400 * STEP, from + 565 * STEP + 17_000, from + 1000 * STEP, now0 + 3 * STEP + 17_000]) await scanMonitor({ monitorId: later.id, now: at });
    const laterSignals = await db.signal.findMany({ where: { orgId: org.id, source: `monitor:${later.id}` }, orderBy: { startsAt: "asc" }, include: { incident: true } });
    expect(laterSignals.map((s) => s.startsAt.getTime())).toEqual(history.spikes);
    for (const s of laterSignals) {
      expect(s.status).toBe("resolved");
      // Resolved when the episode ended, even the one whose end arrived a scan later.
      expect(s.incident).toMatchObject({ status: "resolved", resolvedAt: s.endsAt });
    }
    const state = await db.monitorSeries.findFirstOrThrow({ where: { monitorId: later.id } });
    expect((state.checkpoint as { episode: unknown }).episode).toBeNull();
  }, 120_000);
});
