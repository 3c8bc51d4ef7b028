// Raw SQL on Prisma's pool (the ingest hot path): commit, rollback, a connection the server drops
// mid-transaction (an error, not a crash, and the connection is not reused), and Prisma still working
// on the same pool after $disconnect.
import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { db, dbPool } from "@/lib/db";
import { rawSql, rawTransaction } from "@/lib/db/raw";
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

  it("Prisma and raw SQL share one pool, also after $disconnect ended it", async () => {
    const before = dbPool();
    expect(await db.organization.count()).toBeGreaterThan(0);
    await db.$disconnect();
    expect(dbPool()).not.toBe(before);
    expect(await db.organization.count()).toBeGreaterThan(0);
    expect(await rawSql().$queryRaw<{ one: number }[]>`SELECT 1 AS one`).toEqual([{ one: 1 }]);
  });
});
