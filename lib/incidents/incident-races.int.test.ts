// Incident lifecycle under concurrency on real PostgreSQL: people acknowledging and resolving while
// deliveries arrive. A new alert must never join an incident that was just resolved.
import { describe, expect, it } from "vitest";
import pg from "pg";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { ingestSignals } from "@/lib/incidents/ingest-signals";
import { acknowledgeIncident, resolveIncident } from "@/lib/incidents/change-incident-status";
import type { SignalInput } from "@/lib/incidents/schemas";
import { makeActor, makeOrg } from "@/test/factories";

const alert = (fp: string, service: string, at: Date): SignalInput => ({
  kind: "alert",
  fingerprint: fp,
  startsAt: at,
  status: "firing",
  title: `${service} errors`,
  labels: { service, alertname: "HighErrorRate" },
  severity: "warning",
  source: "test",
});

async function openIncident(service: string) {
  const org = await makeOrg("race");
  const operator = await makeActor(org.id, "operator");
  const opened = await ingestSignals({ actor: operator, signals: [alert(`${service}-1`, service, new Date(Date.now() - 60_000))] });
  return { org, operator, id: opened.openedIncidents[0]! };
}

const settled = async (p: Promise<unknown>, ms: number) => Promise.race([p.then(() => true, () => true), new Promise((r) => setTimeout(() => r(false), ms))]);

describe("incident lifecycle under concurrency", () => {
  it("a resolve waits for a delivery of the same group that is in flight, so the delivery never joins a resolved incident", async () => {
    const { org, operator, id } = await openIncident("checkout");
    const inc = await db.incident.findUniqueOrThrow({ where: { id } });
    // An in-flight delivery: another connection holds the group's lock, as ingestSignals does.
    const other = new pg.Client({ connectionString: env().DATABASE_URL });
    await other.connect();
    try {
      await other.query("BEGIN");
      await other.query(`SELECT pg_advisory_xact_lock(${0x494e}, hashtext($1))`, [`${org.id}|${inc.groupKey}`]);
      const resolving = resolveIncident({ actor: operator, id });
      expect(await settled(resolving, 500)).toBe(false);
      await other.query("COMMIT");
      expect((await resolving).status).toBe("resolved");
    } finally {
      await other.end();
    }
  });

  it("a delivery racing a resolve either joins before it or opens a new incident", async () => {
    for (let i = 0; i < 8; i++) {
      const { operator, id } = await openIncident(`svc${i}`);
      const [, delivered] = await Promise.all([resolveIncident({ actor: operator, id }), ingestSignals({ actor: operator, signals: [alert(`svc${i}-2`, `svc${i}`, new Date())] })]);
      const signal = await db.signal.findFirstOrThrow({ where: { fingerprint: `svc${i}-2`, orgId: operator.orgId } });
      if (signal.incidentId === id) {
        // It joined, which the group lock allows only before the resolve: nothing new was opened.
        expect(delivered.openedIncidents).toEqual([]);
      } else {
        expect(delivered.openedIncidents).toEqual([signal.incidentId]);
        expect((await db.incident.findUniqueOrThrow({ where: { id: signal.incidentId! } })).status).toBe("open");
      }
    }
  });

  it("two people resolving (or acknowledging) at once: one succeeds, the other gets a conflict, one timeline entry", async () => {
    for (let i = 0; i < 5; i++) {
      const { operator, id } = await openIncident(`dup${i}`);
      const [a, b] = await Promise.allSettled([resolveIncident({ actor: operator, id }), resolveIncident({ actor: operator, id })]);
      expect([a.status, b.status].sort()).toEqual(["fulfilled", "rejected"]);
      expect(await db.incidentEvent.count({ where: { incidentId: id, type: "resolved" } })).toBe(1);

      const second = await openIncident(`ack${i}`);
      const acks = await Promise.allSettled([acknowledgeIncident({ actor: second.operator, id: second.id }), acknowledgeIncident({ actor: second.operator, id: second.id })]);
      expect(acks.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(await db.incidentEvent.count({ where: { incidentId: second.id, type: "acknowledged" } })).toBe(1);
    }
  });
});
