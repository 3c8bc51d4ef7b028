import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { appendAudit } from "@/lib/audit/append-audit";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain";
import { checkAuditChain, lastAuditCheck } from "@/lib/audit/check-audit-chain";
import { systemActor } from "@/lib/context";
import { makeActor, makeOrg } from "@/test/factories";

async function orgWithEvents(n: number) {
  const org = await makeOrg("audit"); // ensureOrg already appends org.created (seq 1)
  const actor = systemActor("test", org.id);
  for (let i = 2; i <= n; i++) {
    await db.$transaction((tx) => appendAudit(tx, { actor, action: "test.event", target: { type: "thing", id: `t${i}` }, data: { i, nested: { b: 2, a: [1, 2] } } }));
  }
  return org;
}

const rows = (orgId: string) => db.auditEvent.findMany({ where: { orgId }, orderBy: { seq: "asc" } });

describe("audit hash chain", () => {
  it("links each event to the previous one and verifies", async () => {
    const org = await orgWithEvents(5);
    const events = await rows(org.id);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    for (let i = 1; i < events.length; i++) expect(events[i]!.prevHash).toBe(events[i - 1]!.hash);
    expect(await verifyAuditChain(org.id)).toEqual({ ok: true, checked: 5, head: { seq: 5, hash: events[4]!.hash } });
  });

  it("detects a modified row (data, action, actor or time)", async () => {
    for (const change of [
      { data: { i: 3, nested: { b: 2, a: [1, 2] }, extra: 1 } },
      { action: "test.other" },
      { actorId: "someone-else" },
      { actorLabel: "someone-else" },
      { createdAt: new Date(Date.now() - 1000) },
    ]) {
      const org = await orgWithEvents(5);
      await db.auditEvent.update({ where: { orgId_seq: { orgId: org.id, seq: 3 } }, data: change });
      const v = await verifyAuditChain(org.id);
      expect(v, JSON.stringify(change)).toMatchObject({ ok: false, checked: 2, firstBrokenSeq: 3 });
    }
  });

  it("detects a modified row whose hash was recomputed (the next link breaks)", async () => {
    const org = await orgWithEvents(5);
    const { auditHash } = await import("@/lib/audit/hash");
    const e3 = (await rows(org.id))[2]!;
    const forged = { ...e3, action: "test.forged" };
    await db.auditEvent.update({ where: { id: e3.id }, data: { action: forged.action, hash: auditHash(e3.prevHash, { ...forged, data: forged.data as never }) } });
    expect(await verifyAuditChain(org.id)).toMatchObject({ ok: false, firstBrokenSeq: 4 });
  });

  it("detects a deleted row", async () => {
    const org = await orgWithEvents(5);
    await db.auditEvent.delete({ where: { orgId_seq: { orgId: org.id, seq: 3 } } });
    expect(await verifyAuditChain(org.id)).toMatchObject({ ok: false, checked: 2, firstBrokenSeq: 3 });
  });

  it("detects an inserted row", async () => {
    const org = await orgWithEvents(5);
    const e2 = (await rows(org.id))[1]!;
    // Make room after seq 2 and slip in a plausible event that links to seq 2.
    await db.$executeRaw`UPDATE "AuditEvent" SET seq = seq + 100 WHERE "orgId" = ${org.id}::uuid AND seq > 2`;
    await db.$executeRaw`UPDATE "AuditEvent" SET seq = seq - 99 WHERE "orgId" = ${org.id}::uuid AND seq > 100`;
    const { auditHash } = await import("@/lib/audit/hash");
    const ev = { orgId: org.id, seq: 3, actorType: "user", actorId: "x", actorLabel: "x", action: "test.inserted", targetType: "thing", targetId: "y", data: {}, createdAt: new Date() };
    await db.auditEvent.create({ data: { ...ev, prevHash: e2.hash, hash: auditHash(e2.hash, ev) } });
    expect(await verifyAuditChain(org.id)).toMatchObject({ ok: false, checked: 3, firstBrokenSeq: 4 });
  });

  it("detects reordered rows", async () => {
    const org = await orgWithEvents(5);
    const swap = (from: number, to: number) => db.$executeRaw`UPDATE "AuditEvent" SET seq = ${to} WHERE "orgId" = ${org.id}::uuid AND seq = ${from}`;
    await db.$transaction([swap(3, -3), swap(4, 3), swap(-3, 4)]);
    expect(await verifyAuditChain(org.id)).toMatchObject({ ok: false, checked: 2, firstBrokenSeq: 3 });
  });

  it("detects a truncated tail once a verified head was recorded", async () => {
    const org = await orgWithEvents(5);
    expect((await checkAuditChain({ actor: systemActor("test", org.id) })).ok).toBe(true);
    await db.auditEvent.deleteMany({ where: { orgId: org.id, seq: { gte: 4 } } });
    expect(await verifyAuditChain(org.id)).toMatchObject({ ok: false, checked: 3, firstBrokenSeq: 4 });
  });

  it("a check someone runs from the Audit page is the one the overview shows, and becomes the verified head", async () => {
    const org = await orgWithEvents(4);
    const viewer = await makeActor(org.id, "viewer");
    expect(await lastAuditCheck({ actor: viewer })).toBeNull();
    await checkAuditChain({ actor: viewer });
    await checkAuditChain({ actor: viewer });
    const last = await lastAuditCheck({ actor: viewer });
    expect(last).toMatchObject({ ok: true, verdict: { ok: true, checked: 4, head: { seq: 4 } } });
    expect(await db.jobResult.count({ where: { orgId: org.id, job: "audit.verify" } })).toBe(2);
    // Its head is what the next check compares against, exactly like the nightly job's.
    await db.auditEvent.deleteMany({ where: { orgId: org.id, seq: { gte: 4 } } });
    expect(await checkAuditChain({ actor: viewer })).toMatchObject({ ok: false, checked: 3 });
    expect(await lastAuditCheck({ actor: viewer })).toMatchObject({ ok: false, verdict: { firstBrokenSeq: 4 } });
  });

  it("keeps chains of different organizations independent", async () => {
    const a = await orgWithEvents(3);
    const b = await orgWithEvents(2);
    await db.auditEvent.update({ where: { orgId_seq: { orgId: a.id, seq: 2 } }, data: { action: "tampered" } });
    expect((await verifyAuditChain(a.id)).ok).toBe(false);
    expect(await verifyAuditChain(b.id)).toMatchObject({ ok: true, checked: 2 });
  });

  it("16 concurrent appenders leave one valid chain with no gaps or forks", async () => {
    const org = await makeOrg("conc");
    const actor = systemActor("test", org.id);
    const perWriter = 5;
    await Promise.all(
      Array.from({ length: 16 }, (_, w) =>
        (async () => {
          for (let i = 0; i < perWriter; i++) {
            await db.$transaction((tx) => appendAudit(tx, { actor, action: "test.concurrent", target: { type: "writer", id: String(w) }, data: { w, i } }));
          }
        })(),
      ),
    );
    const events = await rows(org.id);
    expect(events).toHaveLength(1 + 16 * perWriter);
    expect(new Set(events.map((e) => e.prevHash)).size).toBe(events.length);
    expect(await verifyAuditChain(org.id)).toMatchObject({ ok: true, checked: 1 + 16 * perWriter });
  });

  it("commits with the change it describes, or not at all", async () => {
    const org = await makeOrg("atomic");
    const actor = systemActor("test", org.id);
    await expect(
      db.$transaction(async (tx) => {
        await tx.incident.create({ data: { orgId: org.id, title: "will roll back" } });
        await appendAudit(tx, { actor, action: "incident.created", target: { type: "incident", id: "x" } });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await db.incident.count({ where: { orgId: org.id } })).toBe(0);
    expect(await db.auditEvent.count({ where: { orgId: org.id } })).toBe(1);
    expect((await verifyAuditChain(org.id)).ok).toBe(true);
  });
});
