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
        // Only the HNSW index: with a btree on org_id as well, the planner prefers it and sorts every
        // vector of the org exactly, which is what the in-memory path is for.
        await this.client.$executeRawUnsafe(`CREATE INDEX IF NOT EXISTS ${t}_hnsw ON ${t} USING hnsw (v vector_cosine_ops)`);
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
    // The HNSW scan filters by org/kind/embedder as it goes; iterative scanning (pgvector ≥ 0.8) keeps
    // scanning until k rows pass the filter, so a small org in a big table still gets k neighbours.
    // relaxed_order may return them slightly out of order: sorted below.
    const [, rows] = await this.client.$transaction([
      this.client.$executeRawUnsafe(`SET LOCAL hnsw.iterative_scan = relaxed_order`),
      this.client.$queryRawUnsafe<{ object_id: string; distance: number }[]>(
        `SELECT object_id::text, (v <=> $1::vector)::float8 AS distance FROM ${mirrorTable(q.length)}
         WHERE org_id = $2::uuid AND kind = $3 AND embedder = $4 AND NOT (object_id::text = ANY($5::text[]))
         ORDER BY v <=> $1::vector LIMIT $6`,
        toPgVector(q),
        o.orgId,
        o.kind,
        o.embedder,
        [...(o.exclude ?? [])],
        o.k,
      ),
    ]);
    return rows.map((r) => ({ objectId: r.object_id, score: 1 - Number(r.distance) })).sort((a, b) => b.score - a.score);
  }
}

const SYNC_OVERLAP_MS = 10_000;
// How stale a search may be: the in-memory index asks the database for changes at most this often.
const refreshMs = () => Number(process.env.VECTOR_REFRESH_MS ?? 1_000);

type Loaded = { index: VectorIndex; syncedTo: Date; checkedAt: number; seen: Map<string, number> };

class MemoryStore implements VectorStore {
  readonly backend = "memory" as const;
  private indexes = new Map<string, Loaded>();
  private refreshing = new Map<string, Promise<void>>();
  constructor(private client: Client) {}

  async upsert(v: StoredVector): Promise<void> {
    await upsertRow(this.client, v);
  }

  /**
   * Loads the index once, then brings in rows written since (by any process). Timestamps are assigned
   * before commit, so each refresh looks back over an overlap window; rows already seen at the same
   * updatedAt are skipped without fetching their vectors.
   */
  private async current(o: SearchOptions, dim: number): Promise<Loaded> {
    const key = `${o.orgId}|${o.kind}|${o.embedder}`;
    let loaded = this.indexes.get(key);
    if (!loaded) {
      loaded = { index: new VectorIndex(dim), syncedTo: new Date(0), checkedAt: 0, seen: new Map() };
      this.indexes.set(key, loaded);
    }
    const every = refreshMs();
    if (Date.now() - loaded.checkedAt >= every) {
      let p = this.refreshing.get(key);
      if (!p) {
        p = this.refresh(loaded, o).finally(() => this.refreshing.delete(key));
        this.refreshing.set(key, p);
      }
      // The first load is awaited; later refreshes run beside the searches (which use the index as it
      // is, at most one refresh behind), except when VECTOR_REFRESH_MS=0 asks for read-your-writes.
      if (loaded.checkedAt === 0 || every === 0) await p;
      else p.catch((err: Error) => console.error(JSON.stringify({ level: "warn", msg: "vector index refresh failed", error: err.message })));
    }
    return loaded;
  }

  private async refresh(loaded: Loaded, o: SearchOptions) {
    const since = new Date(loaded.syncedTo.getTime() - SYNC_OVERLAP_MS);
    const startedAt = Date.now();
    const changed = await this.client.embedding.findMany({
      where: { orgId: o.orgId, kind: o.kind, embedder: o.embedder, updatedAt: { gt: since } },
      select: { objectId: true, updatedAt: true },
    });
    const fresh = changed.filter((r) => loaded.seen.get(r.objectId) !== r.updatedAt.getTime());
    for (let i = 0; i < fresh.length; i += 5000) {
      const rows = await this.client.embedding.findMany({
        where: { kind: o.kind, objectId: { in: fresh.slice(i, i + 5000).map((r) => r.objectId) } },
        select: { objectId: true, vector: true, updatedAt: true, embedder: true },
      });
      for (const r of rows) {
        if (r.embedder !== o.embedder) continue;
        loaded.index.upsert(r.objectId, fromBytes(r.vector));
        loaded.seen.set(r.objectId, r.updatedAt.getTime());
      }
    }
    for (const r of changed) if (r.updatedAt > loaded.syncedTo) loaded.syncedTo = r.updatedAt;
    loaded.checkedAt = startedAt;
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
