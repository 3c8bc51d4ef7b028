import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { ingestSignals } from "@/lib/incidents/ingest-signals";
import { monitorSeries, monitorSignals } from "@/lib/monitors/monitor-activity";
import { makeActor, makeOrg } from "@/test/factories";

describe("monitor activity", () => {
  it("lists the signals a monitor raised (scans and remote_write), with their incident, and nothing else", async () => {
    const org = await makeOrg("mact");
    const operator = await makeActor(org.id, "operator");
    const m = await db.monitor.create({ data: { orgId: org.id, name: "errors", query: "rate(errors[5m])", detector: {} } });
    const at = new Date(Date.now() - 5 * 60_000);
    const base = { kind: "anomaly" as const, startsAt: at, status: "firing" as const, title: "errors anomalous", labels: { service: "checkout" }, severity: "warning" as const };
    await ingestSignals({
      actor: operator,
      signals: [
        { ...base, fingerprint: "a", source: `monitor:${m.id}` },
        { ...base, fingerprint: "b", source: `remote_write:${m.id}`, startsAt: new Date(at.getTime() + 60_000) },
        { ...base, fingerprint: "c", source: "monitor:someone-else" },
      ],
    });
    const viewer = await makeActor(org.id, "viewer");
    const signals = await monitorSignals({ actor: viewer, id: m.id });
    expect(signals.map((s) => s.source)).toEqual([`remote_write:${m.id}`, `monitor:${m.id}`]);
    expect(signals[0]!.incident?.title).toBeTruthy();
    // Another org asking for the same monitor id sees nothing.
    const stranger = await makeActor((await makeOrg("mact-other")).id, "viewer");
    expect(await monitorSignals({ actor: stranger, id: m.id })).toEqual([]);
    await expect(monitorSeries({ actor: stranger, id: m.id })).rejects.toMatchObject({ code: "not_found" });
    // No Prometheus configured: no chart, and no error.
    expect(await monitorSeries({ actor: viewer, id: m.id })).toBeNull();
  });
});
