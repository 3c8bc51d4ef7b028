import { fixture as capturedFixture } from "@/test/fixtures";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { systemActor } from "@/lib/context";
import { ingestSignals } from "@/lib/incidents/ingest-signals";
import { ingestAlertmanagerWebhook, ZAlertmanagerWebhook } from "@/lib/incidents/alertmanager";
import { acknowledgeIncident, resolveIncident } from "@/lib/incidents/change-incident-status";
import { getIncidentOrThrow } from "@/lib/incidents/get-incident";
import { listIncidents } from "@/lib/incidents/list-incidents";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain";
import type { SignalInput } from "@/lib/incidents/schemas";
import { makeActor, makeOrg } from "@/test/factories";
import { kpsAlert } from "@/test/kube-prometheus-stack";

const fixture = (name: string) => ZAlertmanagerWebhook.parse(JSON.parse(capturedFixture(`alertmanager/${name}`).toString("utf8")));

function alert(fp: string, labels: Record<string, string>, startsAt: string, status: "firing" | "resolved" = "firing"): SignalInput {
  return { kind: "alert", fingerprint: fp, startsAt: new Date(startsAt), status, title: labels.alertname ?? fp, labels, severity: "warning", source: "test" };
}

describe("Alertmanager deliveries → signals → incidents", () => {
  it("a firing delivery opens an incident; repeats are one signal; audit chain stays valid", async () => {
    const org = await makeOrg("am");
    const actor = await makeActor(org.id, "operator");
    const firing = fixture("firing.json");
    const first = await ingestAlertmanagerWebhook({ actor, payload: firing });
    expect(first).toMatchObject({ created: 1, updated: 0, received: 1 });
    expect(first.openedIncidents).toHaveLength(1);
    const again = await ingestAlertmanagerWebhook({ actor, payload: firing });
    expect(again).toMatchObject({ created: 0, updated: 1, openedIncidents: [] });

    const { incidents } = await listIncidents({ actor });
    expect(incidents).toHaveLength(1);
    const inc = await getIncidentOrThrow({ actor, id: incidents[0]!.id });
    expect(inc).toMatchObject({ status: "open", severity: "critical", groupKey: "alertname=AlwaysFiring", title: "Test alert that always fires" });
    expect(inc.signals).toHaveLength(1);
    expect(inc.signals[0]).toMatchObject({ hits: 2, status: "firing", fingerprint: "e18c7fffba292634" });
    expect(inc.events.map((e) => e.type)).toEqual(["opened", "signal_added"]);
    expect((await verifyAuditChain(org.id)).ok).toBe(true);
  });

  it("resolving every signal resolves the incident, on the timeline and the audit chain", async () => {
    const org = await makeOrg("am");
    const actor = await makeActor(org.id, "operator");
    const resolved = fixture("resolved.json");
    const firing = { ...resolved, status: "firing" as const, alerts: resolved.alerts.map((a) => ({ ...(a as object), status: "firing" as const, endsAt: "0001-01-01T00:00:00Z" })) };
    const opened = await ingestAlertmanagerWebhook({ actor, payload: firing });
    const id = opened.openedIncidents[0]!;
    const done = await ingestAlertmanagerWebhook({ actor, payload: resolved });
    expect(done).toMatchObject({ resolved: 1, resolvedIncidents: [id] });
    const inc = await getIncidentOrThrow({ actor, id });
    expect(inc.status).toBe("resolved");
    expect(inc.signals[0]!.endsAt?.toISOString()).toBe("2026-11-27T06:22:06.572Z");
    expect(inc.events.map((e) => e.type)).toEqual(["opened", "signal_added", "signal_resolved", "resolved"]);
    const actions = (await db.auditEvent.findMany({ where: { orgId: org.id }, orderBy: { seq: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(["org.created", "incident.opened", "incident.resolved"]);
  });

  it("a signal that fires and resolves within one batch still opens (and resolves) an incident", async () => {
    const org = await makeOrg("short");
    const actor = await makeActor(org.id, "operator");
    const r = await ingestSignals({
      actor,
      signals: [alert("s1", { alertname: "Blip", service: "api" }, "2026-01-01T10:00:00Z"), alert("s1", { alertname: "Blip", service: "api" }, "2026-01-01T10:00:00Z", "resolved")],
    });
    expect(r).toMatchObject({ created: 1, resolved: 1 });
    expect(r.openedIncidents).toHaveLength(1);
    expect(r.resolvedIncidents).toEqual(r.openedIncidents);
    const inc = await getIncidentOrThrow({ actor, id: r.openedIncidents[0]! });
    expect(inc.events.map((e) => e.type)).toEqual(["opened", "signal_added", "resolved"]);
  });

  it("rejects payloads that are not Alertmanager webhooks", () => {
    expect(ZAlertmanagerWebhook.safeParse({ alerts: 7 }).success).toBe(false);
    expect(ZAlertmanagerWebhook.safeParse({ ...fixture("firing.json"), version: "3" }).success).toBe(false);
  });
});

describe("grouping", () => {
  it("groups by service, then namespace, then alertname, within the window", async () => {
    const org = await makeOrg("grp");
    const actor = await makeActor(org.id, "operator");
    const r = await ingestSignals({
      actor,
      signals: [
        alert("a1", { alertname: "HighLatency", service: "checkout" }, "2026-01-01T10:00:00Z"),
        alert("a2", { alertname: "ErrorRate", service: "checkout" }, "2026-01-01T10:05:00Z"),
        alert("a3", { alertname: "ErrorRate", service: "search" }, "2026-01-01T10:05:00Z"),
        alert("a4", { alertname: "DiskFull", namespace: "db" }, "2026-01-01T10:06:00Z"),
      ],
    });
    expect(r.openedIncidents).toHaveLength(3);
    const { incidents } = await listIncidents({ actor });
    expect(incidents.map((i) => i.groupKey).sort()).toEqual(["namespace=db", "service=checkout", "service=search"]);
    // An hour later the checkout group's window has passed: a new incident.
    const later = await ingestSignals({ actor, signals: [alert("a5", { alertname: "HighLatency", service: "checkout" }, "2026-01-01T11:10:00Z")] });
    expect(later.openedIncidents).toHaveLength(1);
    expect((await listIncidents({ actor, query: { service: "checkout" } })).incidents).toHaveLength(2);
  });

  it("concurrent deliveries for one group open exactly one incident", async () => {
    const org = await makeOrg("race");
    const actor = await makeActor(org.id, "operator");
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => ingestSignals({ actor, signals: [alert(`r${i}`, { alertname: "X", service: "api" }, "2026-01-01T10:00:00Z")] })),
    );
    const { incidents } = await listIncidents({ actor });
    expect(incidents).toHaveLength(1);
    expect(await db.signal.count({ where: { incidentId: incidents[0]!.id } })).toBe(8);
  });
});

describe("signals from before an incident's time (backfill, late deliveries)", () => {
  const MIN = 60_000;
  const anomaly = (fp: string, startsAt: number, status: "firing" | "resolved", endsAt?: number): SignalInput => ({
    kind: "anomaly",
    fingerprint: fp,
    startsAt: new Date(startsAt),
    status,
    endsAt: endsAt === undefined ? null : new Date(endsAt),
    title: "checkout errors: anomalous checkout_error_ratio",
    labels: { service: "checkout", monitor: "checkout errors" },
    severity: "critical",
    score: 1,
    value: 0.04,
    source: "monitor:test",
  });
  async function openCheckoutIncident(at: number) {
    const org = await makeOrg("past");
    const actor = await makeActor(org.id, "operator");
    const r = await ingestSignals({ actor, signals: [alert("now-5xx", { alertname: "Checkout5xx", service: "checkout" }, new Date(at).toISOString())] });
    return { org, actor, open: r.openedIncidents[0]! };
  }

  it("a signal that started hours before the open incident does not join it: it opens its own, resolved when the signal ended", async () => {
    const now = Date.now();
    const { actor, open } = await openCheckoutIncident(now - 2 * MIN);
    const startsAt = now - 5 * 60 * MIN;
    const endsAt = startsAt + 12 * MIN;
    // A first scan over history delivers the episode whole: firing, then resolved.
    const r = await ingestSignals({ actor, signals: [anomaly("past", startsAt, "firing"), anomaly("past", startsAt, "resolved", endsAt)] });
    expect(r.openedIncidents).toHaveLength(1);
    expect(r.touchedIncidents).not.toContain(open);
    const past = await getIncidentOrThrow({ actor, id: r.openedIncidents[0]! });
    expect(past).toMatchObject({ status: "resolved", openedAt: new Date(startsAt), lastSignalAt: new Date(startsAt), resolvedAt: new Date(endsAt), resolvedBy: "auto: all signals resolved" });
    expect(past.signals.map((s) => s.fingerprint)).toEqual(["past"]);
    expect(past.events.map((e) => [e.type, e.data])).toEqual([
      ["opened", expect.objectContaining({ startsAt: new Date(startsAt).toISOString() })],
      ["signal_added", expect.objectContaining({ startsAt: new Date(startsAt).toISOString(), status: "resolved" })],
      ["resolved", expect.objectContaining({ resolvedAt: new Date(endsAt).toISOString() })],
    ]);
    const current = await getIncidentOrThrow({ actor, id: open });
    expect(current).toMatchObject({ status: "open", openedAt: new Date(now - 2 * MIN) });
    expect(current.signals.map((s) => s.fingerprint)).toEqual(["now-5xx"]);
  });

  it("a signal a few minutes older than the incident (delivered out of order) still joins it", async () => {
    const now = Date.now();
    const { actor, open } = await openCheckoutIncident(now - 2 * MIN);
    const r = await ingestSignals({ actor, signals: [anomaly("close", now - 9 * MIN, "firing")] });
    expect(r.openedIncidents).toEqual([]);
    expect(r.touchedIncidents).toEqual([open]);
  });

  it("an old signal that is still firing opens its own open incident", async () => {
    const now = Date.now();
    const { actor, open } = await openCheckoutIncident(now - 2 * MIN);
    const r = await ingestSignals({ actor, signals: [anomaly("ongoing", now - 3 * 60 * MIN, "firing")] });
    expect(r.openedIncidents).toHaveLength(1);
    expect(r.openedIncidents[0]).not.toBe(open);
    expect((await getIncidentOrThrow({ actor, id: r.openedIncidents[0]! })).status).toBe("open");
  });

  it("a signal after the incident's last one, within the group window, joins as before; after it, opens a new one", async () => {
    const now = Date.now();
    const { actor, open } = await openCheckoutIncident(now - 60 * MIN);
    expect((await ingestSignals({ actor, signals: [anomaly("within", now - 35 * MIN, "firing")] })).touchedIncidents).toEqual([open]);
    const after = await ingestSignals({ actor, signals: [anomaly("after", now, "firing")] });
    expect(after.openedIncidents).toHaveLength(1);
  });
});

describe("grouping by subject, not by the reporting exporter (kube-prometheus-stack label sets)", () => {
  it("node-exporter alerts of two nodes open two incidents; disk and NIC alerts of one node share one", async () => {
    const org = await makeOrg("subj");
    const actor = await makeActor(org.id, "operator");
    const r = await ingestSignals({
      actor,
      signals: [
        alert("n1-nic", kpsAlert("NodeNetworkTransmitErrs"), "2026-01-01T10:00:00Z"),
        alert("n1-disk", kpsAlert("NodeFilesystemSpaceFillingUp"), "2026-01-01T10:02:00Z"),
        alert("n2-disk", kpsAlert("NodeFilesystemAlmostOutOfSpace"), "2026-01-01T10:03:00Z"),
      ],
    });
    expect(r.openedIncidents).toHaveLength(2);
    const { incidents } = await listIncidents({ actor });
    expect(incidents.map((i) => i.groupKey).sort()).toEqual(["node=10.0.12.201", "node=10.0.12.202"]);
    for (const i of incidents) expect(i.service).toBeNull();
    const first = await getIncidentOrThrow({ actor, id: incidents.find((i) => i.groupKey === "node=10.0.12.201")!.id });
    expect(first.signals.map((s) => s.fingerprint).sort()).toEqual(["n1-disk", "n1-nic"]);
  });

  it("a kube-state-metrics crash loop groups under the crashing Deployment, with the app's own alert", async () => {
    const org = await makeOrg("subj");
    const actor = await makeActor(org.id, "operator");
    const r = await ingestSignals({
      actor,
      signals: [
        alert("crash", kpsAlert("KubePodCrashLooping"), "2026-01-01T10:00:00Z"),
        alert("errors", { alertname: "HighErrorRate", service: "checkout", namespace: "shop" }, "2026-01-01T10:01:00Z"),
        alert("other", { ...kpsAlert("KubeDeploymentReplicasMismatch") }, "2026-01-01T10:01:00Z"),
      ],
    });
    expect(r.openedIncidents).toHaveLength(2);
    const { incidents } = await listIncidents({ actor });
    expect(incidents.map((i) => [i.groupKey, i.service]).sort()).toEqual([
      ["service=cart", "cart"],
      ["service=checkout", "checkout"],
    ]);
    const checkout = await getIncidentOrThrow({ actor, id: incidents.find((i) => i.groupKey === "service=checkout")!.id });
    expect(checkout.signals.map((s) => s.fingerprint).sort()).toEqual(["crash", "errors"]);
    expect((await listIncidents({ actor, query: { service: "kube-prometheus-stack-kube-state-metrics" } })).incidents).toHaveLength(0);
  });
});

describe("incident lifecycle", () => {
  it("open → acknowledged → resolved, with 409 for illegal moves and 403 for viewers", async () => {
    const org = await makeOrg("life");
    const operator = await makeActor(org.id, "operator");
    const viewer = await makeActor(org.id, "viewer");
    const { openedIncidents } = await ingestSignals({ actor: operator, signals: [alert("l1", { alertname: "X", service: "s" }, "2026-01-01T10:00:00Z")] });
    const id = openedIncidents[0]!;
    await expect(acknowledgeIncident({ actor: viewer, id })).rejects.toMatchObject({ code: "forbidden" });
    expect((await acknowledgeIncident({ actor: operator, id, note: "looking" })).status).toBe("acknowledged");
    await expect(acknowledgeIncident({ actor: operator, id })).rejects.toMatchObject({ code: "conflict" });
    expect((await resolveIncident({ actor: operator, id })).status).toBe("resolved");
    await expect(resolveIncident({ actor: operator, id })).rejects.toMatchObject({ code: "conflict" });
    const inc = await getIncidentOrThrow({ actor: viewer, id });
    expect(inc.events.map((e) => e.type)).toEqual(["opened", "signal_added", "acknowledged", "resolved"]);
    expect(inc.acknowledgedBy).toBe(operator.label);
  });

  it("never shows or changes another organization's incidents", async () => {
    const a = await makeOrg();
    const b = await makeOrg();
    const opA = await makeActor(a.id, "operator");
    const opB = await makeActor(b.id, "operator");
    const { openedIncidents } = await ingestSignals({ actor: opA, signals: [alert("x1", { alertname: "X" }, "2026-01-01T10:00:00Z")] });
    await expect(getIncidentOrThrow({ actor: opB, id: openedIncidents[0]! })).rejects.toMatchObject({ code: "not_found" });
    await expect(acknowledgeIncident({ actor: opB, id: openedIncidents[0]! })).rejects.toMatchObject({ code: "not_found" });
    expect((await listIncidents({ actor: opB })).incidents).toHaveLength(0);
    expect((await ingestSignals({ actor: systemActor("t", b.id), signals: [] })).created).toBe(0);
  });
});
