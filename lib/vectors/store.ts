// Where vectors live and how nearest neighbours are found. The Embedding table (Prisma) is the source
// of truth everywhere. Two search paths behind one API:
// - pgvector, when the database has the extension (embedded PGlite, most managed Postgres): a mirror
//   table per dimension with an HNSW cosine index, created here at run time and never in the Prisma
//   migrations (Debian's PostgreSQL 15 has no pgvector, and migrations must apply there too);
// - otherwise exact cosine search in process over a compact in-memory index per (org, kind, embedder),
//   loaded once and then refreshed with the rows updated since (other processes write embeddings too).
// VECTOR_STORE=pgvector|memory forces one; the default (auto) probes the database once.
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { db as defaultDb } from "@/lib/db";
import { VectorIndex, fromBytes, toBytes, toPgVector } from "@/lib/vectors/vector-index";

export type StoredVector = { orgId: string; kind: "incident" | "run"; objectId: string; embedder: string; vector: Float32Array; textHash: string };
export type Neighbour = { objectId: string; score: number };
export type SearchOptions = { orgId: string; kind: "incident" | "run"; embedder: string; k: number; exclude?: readonly string[] };

export interface VectorStore {
  readonly backend: "pgvector" | "memory";
  upsert(v: StoredVector): Promise<void>;
  search(q: Float32Array, opts: SearchOptions): Promise<Neighbour[]>;
}

type Client = PrismaClient;

const mirrorTable = (dim: number) => `nops_embedding_vec_${dim}`;

async function hasPgvector(client: Client): Promise<boolean> {
  const installed = await client.$queryRaw<{ ok: boolean }[]>`SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') AS ok`;
  if (installed[0]?.ok) return true;
  const available = await client.$queryRaw<{ ok: boolean }[]>`SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') AS ok`;
  if (!available[0]?.ok) return false;
  try {
    await client.$executeRawUnsafe(`CREATE EXTENSION IF NOT EXISTS vector`);
    return true;
  } catch {
    return false; // e.g. not allowed to create extensions: the in-memory path works everywhere
  }
}

class PgvectorStore implements VectorStore {
  readonly backend = "pgvector" as const;
  private ready = new Map<number, Promise<void>>();
  constructor(private client: Client) {}

  private ensureTable(dim: number): Promise<void> {
    let p = this.ready.get(dim);
    if (!p) {
      const t = mirrorTable(dim);
      p = (async () => {
        await this.client.$executeRawUnsafe(
          `CREATE TABLE IF NOT EXISTS ${t} (id uuid PRIMARY KEY REFERENCES "Embedding"(id) ON DELETE CASCADE, org_id uuid NOT NULL, kind text NOT NULL, embedder text NOT NULL, object_id uuid NOT NULL, v vector(${dim}) NOT NULL)`,
        );
        await this.client.$executeRawUnsafe(`CREATE INDEX IF NOT EXISTS ${t}_hnsw ON ${t} USING hnsw (v vector_cosine_ops)`);
        await this.client.$executeRawUnsafe(`CREATE INDEX IF NOT EXISTS ${t}_org ON ${t} (org_id, kind, embedder)`);
      })();
      p.catch(() => this.ready.delete(dim));
      this.ready.set(dim, p);
    }
    return p;
  }

  async upsert(v: StoredVector): Promise<void> {
    await this.ensureTable(v.vector.length);
    const row = await upsertRow(this.client, v);
    await this.client.$executeRawUnsafe(
      `INSERT INTO ${mirrorTable(v.vector.length)} (id, org_id, kind, embedder, object_id, v) VALUES ($1::uuid, $2::uuid, $3, $4, $5::uuid, $6::vector)
       ON CONFLICT (id) DO UPDATE SET embedder = EXCLUDED.embedder, v = EXCLUDED.v`,
      row.id,
      v.orgId,
      v.kind,
      v.embedder,
      v.objectId,
      toPgVector(v.vector),
    );
  }

  async search(q: Float32Array, o: SearchOptions): Promise<Neighbour[]> {
    await this.ensureTable(q.length);
    // HNSW returns approximate neighbours of the whole table; ask for more than k so the org/kind filter
    // still leaves k (hnsw.ef_search bounds what one scan can return).
    const rows = await this.client.$queryRawUnsafe<{ object_id: string; distance: number }[]>(
      `SELECT object_id::text, (v <=> $1::vector)::float8 AS distance FROM ${mirrorTable(q.length)}
       WHERE org_id = $2::uuid AND kind = $3 AND embedder = $4 AND NOT (object_id::text = ANY($5::text[]))
       ORDER BY v <=> $1::vector LIMIT $6`,
      toPgVector(q),
      o.orgId,
      o.kind,
      o.embedder,
      [...(o.exclude ?? [])],
      o.k,
    );
    return rows.map((r) => ({ objectId: r.object_id, score: 1 - Number(r.distance) }));
  }
}

const SYNC_OVERLAP_MS = 10_000;

type Loaded = { index: VectorIndex; syncedTo: Date; objectIds: Map<string, string> };

class MemoryStore implements VectorStore {
  readonly backend = "memory" as const;
  private indexes = new Map<string, Promise<Loaded>>();
  constructor(private client: Client) {}

  async upsert(v: StoredVector): Promise<void> {
    await upsertRow(this.client, v);
  }

  /** Loads the index once, then brings in rows written since (by any process). */
  private async current(o: SearchOptions, dim: number): Promise<Loaded> {
    const key = `${o.orgId}|${o.kind}|${o.embedder}`;
    let p = this.indexes.get(key);
    if (!p) {
      p = Promise.resolve({ index: new VectorIndex(dim), syncedTo: new Date(0), objectIds: new Map<string, string>() });
      this.indexes.set(key, p);
    }
    const loaded = await p;
    // Overlap the last window: a row stamped before `syncedTo` may commit after we read.
    const since = new Date(loaded.syncedTo.getTime() - SYNC_OVERLAP_MS);
    const rows = await this.client.embedding.findMany({
      where: { orgId: o.orgId, kind: o.kind, embedder: o.embedder, updatedAt: { gt: since } },
      select: { objectId: true, vector: true, updatedAt: true },
      orderBy: { updatedAt: "asc" },
    });
    for (const r of rows) {
      loaded.index.upsert(r.objectId, fromBytes(r.vector));
      if (r.updatedAt > loaded.syncedTo) loaded.syncedTo = r.updatedAt;
    }
    return loaded;
  }

  async search(q: Float32Array, o: SearchOptions): Promise<Neighbour[]> {
    const { index } = await this.current(o, q.length);
    const exclude = new Set(o.exclude ?? []);
    return index.search(q, o.k, exclude.size ? (id) => !exclude.has(id) : undefined).map((h) => ({ objectId: h.id, score: h.score }));
  }
}

async function upsertRow(client: Client, v: StoredVector) {
  const data = { orgId: v.orgId, kind: v.kind, objectId: v.objectId, embedder: v.embedder, dim: v.vector.length, vector: toBytes(v.vector), textHash: v.textHash };
  return client.embedding.upsert({ where: { kind_objectId: { kind: v.kind, objectId: v.objectId } }, create: data, update: data, select: { id: true } });
}

const stores = new WeakMap<object, Promise<VectorStore>>();

/** The store for a database (probed once per client). */
export function vectorStore(client: Client = defaultDb): Promise<VectorStore> {
  let s = stores.get(client);
  if (!s) {
    const mode = process.env.VECTOR_STORE ?? "auto";
    s = (async () => {
      if (mode === "memory") return new MemoryStore(client);
      if (mode === "pgvector" || (await hasPgvector(client))) {
        if (!(await hasPgvector(client))) throw new Error("VECTOR_STORE=pgvector but the database has no pgvector extension");
        return new PgvectorStore(client);
      }
      return new MemoryStore(client);
    })();
    stores.set(client, s);
  }
  return s;
}
