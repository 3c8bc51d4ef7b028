// Group commit on the webhook path: concurrent deliveries of one sender share a transaction, and each
// still gets the answer it would have got alone (a key is created for the first delivery carrying it and
// a repeat for the others); signals are exactly once, hits count deliveries, one incident per group.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { ingestAlertmanagerWebhook, ZAlertmanagerWebhook } from "@/lib/incidents/alertmanager";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain";
import { makeOrg } from "@/test/factories";
import { systemActor, type Actor } from "@/lib/context";

function delivery(n: number, status: "firing" | "resolved" = "firing") {
  return ZAlertmanagerWebhook.parse({
    version: "4",
    status,
    receiver: "neuralops",
    alerts: Array.from({ length: 10 }, (_, k) => ({
      status,
      labels: { alertname: "Coalesced", service: `svc-${n % 3}`, instance: `c-${n}-${k}` },
      annotations: { summary: `alert ${n}/${k}` },
      startsAt: "2026-01-01T00:00:00Z",
      endsAt: status === "resolved" ? "2026-01-01T00:05:00Z" : "0001-01-01T00:00:00Z",
      fingerprint: `c-${n}-${k}`,
    })),
  });
}

describe("concurrent webhook deliveries of one sender (group commit)", () => {
  it("exactly-once signals, per-delivery answers that add up, hits per delivery, one incident per group", async () => {
    const org = await makeOrg("coalesced");
    const actor: Actor = { ...systemActor("alertmanager", org.id), type: "token", id: "am-token", role: "operator" };
    // Deliveries 0 and 1 are sent twice at the same moment (Alertmanager resending a group).
    const numbers = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1];
    const answers = await Promise.all(numbers.map((n) => ingestAlertmanagerWebhook({ actor, payload: delivery(n) })));

    expect(answers.reduce((a, r) => a + r.created, 0)).toBe(100);
    expect(answers.reduce((a, r) => a + r.updated, 0)).toBe(20);
    for (const r of answers) expect(r.created + r.updated).toBe(10);
    const opened = answers.flatMap((r) => r.openedIncidents);
    expect(new Set(opened).size).toBe(opened.length);
    expect(opened.length).toBe(3);

    const signals = await db.signal.findMany({ where: { orgId: org.id }, select: { fingerprint: true, hits: true, incidentId: true } });
    expect(signals.length).toBe(100);
    for (const s of signals) expect(s.hits, s.fingerprint).toBe(/^c-[01]-/.test(s.fingerprint) ? 2 : 1);
    const incidents = await db.incident.findMany({ where: { orgId: org.id }, select: { id: true, groupKey: true } });
    expect(incidents.map((i) => i.groupKey).sort()).toEqual(["service=svc-0", "service=svc-1", "service=svc-2"]);
    expect(new Set(signals.map((s) => s.incidentId))).toEqual(new Set(incidents.map((i) => i.id)));
    expect(new Set(opened)).toEqual(new Set(incidents.map((i) => i.id)));

    // Resolving every delivery at once resolves every incident, each once, on the audit chain.
    const resolved = await Promise.all([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => ingestAlertmanagerWebhook({ actor, payload: delivery(n, "resolved") })));
    expect(resolved.reduce((a, r) => a + r.resolved, 0)).toBe(100);
    expect(await db.signal.count({ where: { orgId: org.id, status: "firing" } })).toBe(0);
    expect(await db.incident.count({ where: { orgId: org.id, status: "resolved" } })).toBe(3);
    expect(await db.incidentEvent.count({ where: { orgId: org.id, type: "resolved" } })).toBe(3);
    expect((await verifyAuditChain(org.id)).ok).toBe(true);
  });
});
