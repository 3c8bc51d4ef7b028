import { fixture as capturedFixture } from "@/test/fixtures";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createMonitor, updateMonitor } from "@/lib/monitors/manage-monitors";
import { ingestRemoteWrite } from "@/lib/monitors/ingest-remote-write";
import { encodeWriteRequest } from "@/lib/insight/remote-write/encode.testing";
import { makeActor, makeOrg } from "@/test/factories";

const fixture = capturedFixture("remote_write/prometheus-2.42-writerequest.snappy");

describe("remote_write → detectors", () => {
  it("routes the real captured body's matching series into the monitor's detector state", async () => {
    const org = await makeOrg("rw");
    const operator = await makeActor(org.id, "operator");
    const monitor = await createMonitor({ actor: operator, input: { name: "goroutines", query: `go_goroutines{job="prometheus"}`, enabled: false } });
    // Disabled monitors are not fed; enable it without scheduling scans (no Prometheus here).
    await db.monitor.update({ where: { id: monitor.id }, data: { enabled: true } });
    const r = await ingestRemoteWrite({ actor: operator, body: fixture });
    expect(r).toMatchObject({ series: 500, matchedSeries: 1 });
    expect(r.scored).toBeGreaterThan(0);
    const state = await db.monitorSeries.findMany({ where: { monitorId: monitor.id } });
    expect(state).toHaveLength(1);
    expect(state[0]!.labels).toMatchObject({ __name__: "go_goroutines", job: "prometheus" });
    // The same body again: its points are not newer than the stored state, so nothing is re-learned.
    const again = await ingestRemoteWrite({ actor: operator, body: fixture });
    expect(again.scored).toBe(0);
  });

  it("a pushed spike becomes an anomaly signal and an incident", async () => {
    const org = await makeOrg("rw");
    const operator = await makeActor(org.id, "operator");
    const m = await createMonitor({
      actor: operator,
      input: { name: "queue depth", query: `queue_depth{service="billing"}`, detector: { type: "zscore", window: 60, minPoints: 30 }, labels: { service: "billing" }, enabled: false },
    });
    await db.monitor.update({ where: { id: m.id }, data: { enabled: true } });
    const t0 = Date.UTC(2026, 0, 1);
    const samples = Array.from({ length: 80 }, (_, i) => ({ t: t0 + i * 60_000, v: i === 70 ? 500 : 10 + Math.sin(i) }));
    const body = encodeWriteRequest({ series: [{ labels: { __name__: "queue_depth", service: "billing", instance: "q1" }, samples }] });
    const r = await ingestRemoteWrite({ actor: operator, body });
    expect(r.signals).toBe(1);
    const incidents = await db.incident.findMany({ where: { orgId: org.id }, include: { signals: true } });
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ groupKey: "service=billing", status: "open" });
    expect(incidents[0]!.signals[0]).toMatchObject({ kind: "anomaly", source: `remote_write:${m.id}`, value: 500 });
  });

  it("rejects undecodable bodies with 400-class errors and stores nothing", async () => {
    const org = await makeOrg("rw");
    const operator = await makeActor(org.id, "operator");
    await expect(ingestRemoteWrite({ actor: operator, body: new Uint8Array([1, 2, 3, 4, 5]) })).rejects.toMatchObject({ code: "bad_request" });
    await expect(ingestRemoteWrite({ actor: operator, body: fixture.subarray(0, 100) })).rejects.toMatchObject({ code: "bad_request" });
    // A snappy header that declares 1 GiB is refused before anything is allocated.
    await expect(ingestRemoteWrite({ actor: operator, body: new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x04, 0]) })).rejects.toMatchObject({ code: "payload_too_large" });
    const viewer = await makeActor(org.id, "viewer");
    await expect(ingestRemoteWrite({ actor: viewer, body: fixture })).rejects.toMatchObject({ code: "forbidden" });
    expect(await db.signal.count({ where: { orgId: org.id } })).toBe(0);
  });
});

describe("remote_write series PostgreSQL cannot store", () => {
  it("a matching series with a NUL in a label is skipped (and counted), the others in the body are scored", async () => {
    const org = await makeOrg("rwnul");
    const operator = await makeActor(org.id, "operator");
    const m = await createMonitor({ actor: operator, input: { name: "nul", query: `jobs_queued{service="billing"}`, enabled: false } });
    await db.monitor.update({ where: { id: m.id }, data: { enabled: true } });
    const samples = [{ t: Date.UTC(2026, 0, 1), v: 1 }];
    const body = encodeWriteRequest({
      series: [
        { labels: { __name__: "jobs_queued", service: "billing", queue: "a\u0000b" }, samples },
        { labels: { __name__: "jobs_queued", service: "billing", queue: "ok" }, samples },
      ],
    });
    const r = await ingestRemoteWrite({ actor: operator, body });
    expect(r).toMatchObject({ series: 2, matchedSeries: 1, skippedSeries: 1 });
    const state = await db.monitorSeries.findMany({ where: { monitorId: m.id } });
    expect(state.map((s) => (s.labels as Record<string, string>).queue)).toEqual(["ok"]);
  });

  it("a series seen before is matched again when the org's monitors change, and another org's monitors never see it", async () => {
    const org = await makeOrg("rw-facts");
    const other = await makeOrg("rw-facts-other");
    const operator = await makeActor(org.id, "operator");
    const otherOperator = await makeActor(other.id, "operator");
    const t0 = Date.UTC(2026, 1, 1);
    const push = (actor: typeof operator, i: number) =>
      ingestRemoteWrite({ actor, body: encodeWriteRequest({ series: [{ labels: { __name__: "jobs_waiting", service: "facts" }, samples: [{ t: t0 + i * 60_000, v: 1 }] }] }) });
    expect((await push(operator, 0)).matchedSeries).toBe(0);
    const m = await createMonitor({ actor: operator, input: { name: "waiting", query: `jobs_waiting{service="facts"}` } });
    expect((await push(operator, 1)).matchedSeries).toBe(1);
    // The same bytes from an org without that monitor match nothing.
    expect((await push(otherOperator, 2)).matchedSeries).toBe(0);
    await updateMonitor({ actor: operator, id: m.id, input: { name: "waiting", query: `jobs_waiting{service="other"}` } });
    expect((await push(operator, 3)).matchedSeries).toBe(0);
  });
});
