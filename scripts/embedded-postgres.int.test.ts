// The embedded PGlite server: real migrations, persistence across restarts, and the Postgres
// features the app relies on, through several ordinary `pg` connections.
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@/scripts/embedded-postgres";
import { applyMigrations, readMigrations } from "@/lib/db/migrations";

describe("embedded postgres (PGlite over the wire protocol)", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "neuralops-pglite-"));
  const dataDir = path.join(dir, "pglite");
  let server: EmbeddedPostgres | undefined;

  beforeAll(async () => {
    server = await startEmbeddedPostgres({ dataDir });
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("applies the real migrations, then is a no-op the second time", async () => {
    const applied = await applyMigrations(server!.url);
    expect(applied).toEqual(readMigrations().map((m) => m.name));
    expect(await applyMigrations(server!.url)).toEqual([]);
  }, 60_000);

  it("has pg_trgm, so the incident search column gets its trigram index and matches label values", async () => {
    const client = new pg.Client({ connectionString: server!.url });
    await client.connect();
    try {
      const idx = await client.query(`SELECT indexdef FROM pg_indexes WHERE indexname = 'Incident_searchText_trgm_idx'`);
      expect(idx.rows[0]?.indexdef).toMatch(/gin_trgm_ops/);
      const org = await client.query<{ id: string }>(`INSERT INTO "Organization" (id, slug, name) VALUES (gen_random_uuid(), 'trgm', 'trgm') RETURNING id`);
      await client.query(`INSERT INTO "Incident" (id, "orgId", title, labels, "updatedAt") VALUES (gen_random_uuid(), $1, 'Latency', '{"cluster":"prod-eu-1","namespace":"Payments"}', now())`, [org.rows[0]!.id]);
      const found = await client.query(`SELECT "searchText" FROM "Incident" WHERE "searchText" LIKE '%payments%' AND "searchText" LIKE '%prod-eu-1%'`);
      expect(found.rows).toEqual([{ searchText: "latency   cluster=prod-eu-1 namespace=payments" }]);
    } finally {
      await client.end();
    }
  });

  it("refuses a second server on the same data directory", async () => {
    await expect(startEmbeddedPostgres({ dataDir })).rejects.toThrow(/already open/);
  });

  it("serves several connections: enums, transactions and advisory locks", async () => {
    const pool = new pg.Pool({ connectionString: server!.url, max: 6 });
    try {
      await pool.query(`CREATE TYPE "UpCheckMood" AS ENUM ('calm', 'busy')`);
      await pool.query(`CREATE TABLE "UpCheckCounter" (id int PRIMARY KEY, n int NOT NULL, mood "UpCheckMood" NOT NULL)`);
      await pool.query(`INSERT INTO "UpCheckCounter" VALUES (1, 0, 'calm')`);

      const a = await pool.connect();
      const b = await pool.connect();
      try {
        await a.query("SELECT pg_advisory_lock(1)");
        await a.query("SELECT pg_advisory_unlock(1)");

        // Read-modify-write in 30 concurrent transactions: none may be lost.
        await Promise.all(
          Array.from({ length: 30 }, async (_, i) => {
            const c = await pool.connect();
            try {
              await c.query("BEGIN");
              await c.query("SELECT pg_advisory_xact_lock($1::int, hashtext($2))", [7, "org"]);
              const { rows } = await c.query<{ n: number }>(`SELECT n FROM "UpCheckCounter" WHERE id = 1`);
              await c.query(`UPDATE "UpCheckCounter" SET n = $1, mood = $2 WHERE id = 1`, [rows[0]!.n + 1, i % 2 ? "busy" : "calm"]);
              await c.query("COMMIT");
            } finally {
              c.release();
            }
          }),
        );
        const { rows } = await b.query(`SELECT n FROM "UpCheckCounter" WHERE id = 1`);
        expect(rows[0].n).toBe(30);

        // A rolled-back transaction leaves nothing behind and does not block the others.
        await a.query("BEGIN");
        await a.query(`UPDATE "UpCheckCounter" SET n = -1 WHERE id = 1`);
        await a.query("ROLLBACK");
        expect((await b.query(`SELECT n FROM "UpCheckCounter" WHERE id = 1`)).rows[0].n).toBe(30);

        // A failed statement inside a transaction is reported and cleaned up by ROLLBACK.
        await a.query("BEGIN");
        await expect(a.query(`INSERT INTO "UpCheckCounter" VALUES (2, 0, 'angry')`)).rejects.toThrow(/invalid input value for enum/);
        await a.query("ROLLBACK");
      } finally {
        a.release();
        b.release();
      }

      // Parameterised queries of different shapes from many connections at once get their own results.
      const shapes: [string, (v: number) => unknown][] = [
        ["SELECT $1::int AS v", (v) => v],
        ["SELECT $1::int * 2 AS v", (v) => v * 2],
        ["SELECT ($1::int)::text || 'x' AS v", (v) => `${v}x`],
      ];
      const wrong: unknown[] = [];
      await Promise.all(
        Array.from({ length: 6 }, async (_, worker) => {
          for (let i = 0; i < 50; i++) {
            const v = worker * 1000 + i;
            const [sql, expected] = shapes[(worker + i) % shapes.length]!;
            const { rows } = await pool.query(sql, [v]);
            if (rows[0].v !== expected(v)) wrong.push({ sql, v, got: rows[0].v });
          }
        }),
      );
      expect(wrong).toEqual([]);
    } finally {
      await pool.end();
    }
  }, 60_000);

  it("keeps an extended-protocol query together when it arrives in two reads", async () => {
    // A raw client sends Parse, pauses (as a large Bind split over TCP reads would), and only then the rest.
    const sock = net.connect(server!.port, "127.0.0.1");
    let received = Buffer.alloc(0);
    sock.on("data", (d: Buffer) => (received = Buffer.concat([received, d])));
    await new Promise((resolve) => sock.once("connect", resolve));
    sock.write(serialize.startup({ user: "postgres", database: "postgres" }));
    await waitFor(() => received.includes(Buffer.from("Z\0\0\0\x05I", "latin1")));
    received = Buffer.alloc(0);
    sock.write(serialize.parse({ text: "SELECT 'raw client'::text AS who", types: [] }));
    await new Promise((resolve) => setTimeout(resolve, 100));

    const other = new pg.Client({ connectionString: server!.url });
    const otherResult = other.connect().then(() => other.query("SELECT $1::text AS who", ["pg client"]));
    await new Promise((resolve) => setTimeout(resolve, 100));
    sock.write(Buffer.concat([serialize.bind({}), serialize.describe({ type: "P" }), serialize.execute({}), serialize.sync()]));

    expect((await otherResult).rows[0].who).toBe("pg client");
    await waitFor(() => received.includes(Buffer.from("SELECT 1", "latin1")) || received.includes(Buffer.from("ERROR", "latin1")));
    expect(received.toString("latin1")).toContain("raw client");
    sock.end(serialize.end());
    await other.end();
  }, 30_000);

  it("keeps data across a restart on the same directory", async () => {
    const client = new pg.Client({ connectionString: server!.url });
    await client.connect();
    await client.query(`INSERT INTO "Organization" (id, slug, name) VALUES (gen_random_uuid(), 'persisted', 'Persisted Org')`);
    await client.end();
    await server!.stop();
    server = undefined;

    server = await startEmbeddedPostgres({ dataDir });
    const again = new pg.Client({ connectionString: server.url });
    await again.connect();
    try {
      const { rows } = await again.query(`SELECT name FROM "Organization" WHERE slug = 'persisted'`);
      expect(rows).toEqual([{ name: "Persisted Org" }]);
      expect(await applyMigrations(server.url)).toEqual([]);
    } finally {
      await again.end();
    }
  }, 60_000);
});

// Just enough of the frontend protocol to send a query in pieces (pg always sends it in one write).
function message(type: string, body: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeInt32BE(body.length + 4);
  return Buffer.concat([Buffer.from(type, "latin1"), len, body]);
}
const cstr = (s: string) => Buffer.from(`${s}\0`, "utf8");
const serialize = {
  startup(params: Record<string, string>): Buffer {
    const body = Buffer.concat([...Object.entries(params).flatMap(([k, v]) => [cstr(k), cstr(v)]), Buffer.from([0])]);
    const head = Buffer.alloc(8);
    head.writeInt32BE(body.length + 8, 0);
    head.writeInt32BE(196608, 4); // protocol 3.0
    return Buffer.concat([head, body]);
  },
  parse: ({ text }: { text: string; types: [] }) => message("P", Buffer.concat([cstr(""), cstr(text), Buffer.from([0, 0])])),
  // unnamed portal and statement, no parameters, all results in text
  bind: (_: object) => message("B", Buffer.concat([cstr(""), cstr(""), Buffer.from([0, 0, 0, 0, 0, 0])])),
  describe: (_: { type: "P" }) => message("D", Buffer.concat([Buffer.from("P"), cstr("")])),
  execute: (_: object) => message("E", Buffer.concat([cstr(""), Buffer.from([0, 0, 0, 0])])),
  sync: () => message("S", Buffer.alloc(0)),
  end: () => message("X", Buffer.alloc(0)),
};

async function waitFor(cond: () => boolean, ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
