// Both storage paths behind one API: pgvector on the embedded PGlite (which ships the extension) and the
// in-memory index on the test PostgreSQL (Debian's PostgreSQL 15 has no pgvector). Same data, same
// questions, same answers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@/scripts/embedded-postgres";
import { applyMigrations } from "@/lib/db/migrations";
import { vectorStore, type VectorStore } from "@/lib/vectors/store";
import { createLocalEmbedder } from "@/lib/vectors/local-embedder";
import { toBytes } from "@/lib/vectors/vector-index";

// Tests look right after writing; the product tolerates up to a second of staleness.
process.env.VECTOR_REFRESH_MS = "0";

const TEXTS = [
  "checkout pods CrashLoopBackOff OOMKilled after deploy of checkout v2.14",
  "checkout-7d9f8 OOMKilled, container restarting, memory limit 512Mi exceeded",
  "disk full on db-1: /var/lib/postgresql 100% used, writes failing",
  "postgres replica lag above 30s on db-2 after vacuum",
  "payment API 5xx rate above 5% for 10 minutes, upstream timeouts to bank gateway",
  "payments gateway timeouts, 502 from bank upstream, error budget burning",
  "certificate for api.example.com expires in 3 days",
  "kafka consumer group orders-processor lag growing, partitions rebalancing",
];

const dir = mkdtempSync(path.join(os.tmpdir(), "nops-vec-"));
let pglite: EmbeddedPostgres;
let pgliteClient: PrismaClient;
const embedder = createLocalEmbedder();

beforeAll(async () => {
  pglite = await startEmbeddedPostgres({ dataDir: path.join(dir, "pglite"), port: 0 });
  await applyMigrations(pglite.url);
  pgliteClient = new PrismaClient({ adapter: new PrismaPg({ connectionString: pglite.url, max: 4 }) });
}, 120_000);

afterAll(async () => {
  await pgliteClient?.$disconnect();
  await pglite?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function seed(client: PrismaClient, store: VectorStore) {
  const org = await client.organization.create({ data: { slug: `vec-${randomUUID().slice(0, 8)}`, name: "vec" } });
  const other = await client.organization.create({ data: { slug: `vec-${randomUUID().slice(0, 8)}`, name: "other" } });
  const vectors = await embedder.embed(TEXTS);
  const ids: string[] = TEXTS.map(() => randomUUID());
  for (let i = 0; i < TEXTS.length; i++) {
    await store.upsert({ orgId: org.id, kind: "incident", objectId: ids[i]!, embedder: embedder.id, vector: vectors[i]!, textHash: String(i) });
    // The same texts in another org must never show up in this org's results.
    await store.upsert({ orgId: other.id, kind: "incident", objectId: randomUUID(), embedder: embedder.id, vector: vectors[i]!, textHash: String(i) });
  }
  return { orgId: org.id, ids, vectors };
}

async function ask(store: VectorStore, s: Awaited<ReturnType<typeof seed>>) {
  const out: string[][] = [];
  for (let i = 0; i < TEXTS.length; i++) {
    const hits = await store.search(s.vectors[i]!, { orgId: s.orgId, kind: "incident", embedder: embedder.id, k: 3, exclude: [s.ids[i]!] });
    for (const h of hits) expect(s.ids).toContain(h.objectId);
    expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => b - a));
    out.push(hits.map((h) => TEXTS[s.ids.indexOf(h.objectId)]!));
  }
  return out;
}

describe("vector store", () => {
  it("uses pgvector where the database has it, and the in-memory index where it does not", async () => {
    expect((await vectorStore(pgliteClient)).backend).toBe("pgvector");
    expect((await vectorStore(db)).backend).toBe("memory");
  });

  it("both paths return the same neighbours, nearest first, only from the asking org", async () => {
    const pgv = await vectorStore(pgliteClient);
    const mem = await vectorStore(db);
    const a = await ask(pgv, await seed(pgliteClient, pgv));
    const b = await ask(mem, await seed(db, mem));
    expect(a).toEqual(b);
    // And the neighbours make sense: each incident's nearest is its look-alike.
    expect(a[0]![0]).toBe(TEXTS[1]);
    expect(a[2]![0]).toBe(TEXTS[3]);
    expect(a[4]![0]).toBe(TEXTS[5]);
  });

  it("an updated vector replaces the old one on both paths (memory: also when another process wrote it)", async () => {
    for (const [client, store] of [
      [pgliteClient, await vectorStore(pgliteClient)],
      [db, await vectorStore(db)],
    ] as const) {
      const s = await seed(client, store);
      await ask(store, s); // loads the in-memory index
      // Rewrite incident 7 to look like incident 2 behind the store's back (as the worker process would).
      const v = (await embedder.embed([TEXTS[2]!]))[0]!;
      if (store.backend === "memory") await client.embedding.update({ where: { kind_objectId: { kind: "incident", objectId: s.ids[7]! } }, data: { vector: toBytes(v) } });
      else await store.upsert({ orgId: s.orgId, kind: "incident", objectId: s.ids[7]!, embedder: embedder.id, vector: v, textHash: "x" });
      const hits = await store.search(s.vectors[2]!, { orgId: s.orgId, kind: "incident", embedder: embedder.id, k: 1, exclude: [s.ids[2]!] });
      expect(hits[0]!.objectId).toBe(s.ids[7]);
      expect(hits[0]!.score).toBeGreaterThan(0.99);
    }
  });
});
