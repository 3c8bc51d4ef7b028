// Raw SQL on Prisma's pool (the ingest hot path): commit, rollback, a connection the server drops
// mid-transaction (an error, not a crash, and the connection is not reused), and Prisma still working
// on the same pool after $disconnect.
import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { db, dbPool } from "@/lib/db";
import { inFlight, rawSql, rawTransaction } from "@/lib/db/raw";
import { isStoreUnavailable } from "@/lib/http/store-errors";
import { makeOrg } from "@/test/factories";

describe("raw SQL on the shared pool", () => {
  it("commits, and rolls back when the function throws", async () => {
    const org = await makeOrg("raw-sql");
    const kept = randomUUID();
    const dropped = randomUUID();
    const insert = (id: string) => (tx: Parameters<Parameters<typeof rawTransaction>[0]>[0]) =>
      tx.$executeRaw`INSERT INTO "AuditEvent" (id, "orgId", seq, "actorType", "actorId", "actorLabel", action, "targetType", "targetId", data, "createdAt", "prevHash", hash)
        VALUES (${id}::uuid, ${org.id}::uuid, ${id === kept ? 1001 : 1002}, 'system', 'test', 'test', 'test', 'test', 'test', '{}'::jsonb, ${new Date()}, 'x', 'y')`;
    expect(await rawTransaction(async (tx) => insert(kept)(tx))).toBe(1);
    await expect(
      rawTransaction(async (tx) => {
        await insert(dropped)(tx);
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    const rows = await rawSql().$queryRaw<{ id: string }[]>`SELECT id FROM "AuditEvent" WHERE id = ANY(${[kept, dropped]}::uuid[])`;
    expect(rows.map((r) => r.id)).toEqual([kept]);
    await db.auditEvent.deleteMany({ where: { id: kept } });
  });

  it("a connection the server terminates mid-transaction is a store-unavailable error, not a crash, and is not reused", async () => {
    const err = await rawTransaction(async (tx) => {
      const [row] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
      const pid = row!.pid;
      await rawSql().$executeRaw`SELECT pg_terminate_backend(${pid}::int)`;
      await tx.$queryRaw`SELECT 1`;
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeTruthy();
    expect(isStoreUnavailable(err), String(err)).toBe(true);
    // The pool still answers, on a live connection.
    for (let i = 0; i < 12; i++) expect(await rawTransaction(async (tx) => tx.$queryRaw<{ one: number }[]>`SELECT 1 AS one`)).toEqual([{ one: 1 }]);
  });

  it("a statement left in flight that fails rolls the whole transaction back, with its own error", async () => {
    const org = await makeOrg("raw-sql-inflight");
    const id = randomUUID();
    const err = await rawTransaction(async (tx) => {
      inFlight(tx.$executeRaw`INSERT INTO "AuditEvent" (id, "orgId", seq, "actorType", "actorId", "actorLabel", action, "targetType", "targetId", data, "createdAt", "prevHash", hash)
        VALUES (${id}::uuid, ${org.id}::uuid, 5001, 'system', 'test', 'test', 'test', 'test', 'test', '{}'::jsonb, ${new Date()}, 'x', 'y')`);
      inFlight(tx.$executeRaw`SELECT 1 / 0`);
      // Fails too, but only because the transaction is aborted by then: not the error reported.
      inFlight(tx.$executeRaw`SELECT 2`);
      return "done";
    }).then(
      (r) => r,
      (e: unknown) => e,
    );
    expect(String(err)).toMatch(/division by zero/);
    expect(await rawSql().$queryRaw<unknown[]>`SELECT 1 FROM "AuditEvent" WHERE id = ${id}::uuid`).toEqual([]);
    // The connection went back to the pool idle and in its normal mode: Prisma and raw SQL still work on it.
    for (let i = 0; i < 12; i++) expect(await db.organization.count({ where: { id: org.id } })).toBe(1);
  });

  it("a read pipelined behind a lock sees what the lock's holder committed", async () => {
    const org = await makeOrg("raw-sql-lock");
    const id = randomUUID();
    const LOCK = 0x7465; // a class no product code uses
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const lockTaken = new Promise<void>((r) => (locked = r));
    const holder = rawTransaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LOCK}::int, hashtext(${org.id}))`;
      locked();
      await held;
      await tx.$executeRaw`INSERT INTO "AuditEvent" (id, "orgId", seq, "actorType", "actorId", "actorLabel", action, "targetType", "targetId", data, "createdAt", "prevHash", hash)
        VALUES (${id}::uuid, ${org.id}::uuid, 5001, 'system', 'test', 'test', 'test', 'test', 'test', '{}'::jsonb, ${new Date()}, 'x', 'y')`;
    });
    await lockTaken;
    const reader = rawTransaction(async (tx) => {
      const lock = tx.$executeRaw`SELECT pg_advisory_xact_lock(${LOCK}::int, hashtext(${org.id}))`;
      const read = tx.$queryRaw<{ id: string }[]>`SELECT id FROM "AuditEvent" WHERE "orgId" = ${org.id}::uuid AND seq = 5001`;
      return (await Promise.all([lock, read]))[1];
    });
    // Both statements are on the wire and the reader waits on the lock; the holder commits only now.
    await new Promise((r) => setTimeout(r, 100));
    release();
    await holder;
    expect((await reader).map((r) => r.id)).toEqual([id]);
    await db.auditEvent.deleteMany({ where: { id } });
  });

  it("Prisma and raw SQL share one pool, also after $disconnect ended it", async () => {
    const before = dbPool();
    expect(await db.organization.count()).toBeGreaterThan(0);
    await db.$disconnect();
    expect(dbPool()).not.toBe(before);
    expect(await db.organization.count()).toBeGreaterThan(0);
    expect(await rawSql().$queryRaw<{ one: number }[]>`SELECT 1 AS one`).toEqual([{ one: 1 }]);
  });
});
