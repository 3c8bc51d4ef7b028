// `npm run bench:vectors -- [--vectors 100000] [--queries 300] [--dim 512] [--only memory|pgvector]`
// Similarity search through the product's VectorStore API, on both storage paths, with N stored
// vectors of one organization (plus the embedder's throughput):
//  - memory: the test PostgreSQL (no pgvector) + the in-process exact index;
//  - pgvector: the embedded PGlite with pgvector (HNSW, cosine).
// Stored vectors are embeddings of generated incident texts (so neighbours are realistic, not noise).
import { mkdtempSync, rmSync } from "node:fs";
import { randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { PrismaPg } from "@prisma/adapter-pg";
import { createTestDatabase, dropTestDatabase, runId } from "../test/services";

const { values } = parseArgs({
  options: { vectors: { type: "string", default: "100000" }, queries: { type: "string", default: "300" }, dim: { type: "string", default: "512" }, only: { type: "string" } },
});
const N = Number(values.vectors);
const Q = Number(values.queries);
const DIM = Number(values.dim);

const dbName = `neuralops_test_${runId()}_bench`;
process.env.DATABASE_URL = await createTestDatabase(dbName);
const { PrismaClient } = await import("../lib/generated/prisma/client");
const { db } = await import("../lib/db");
const { vectorStore } = await import("../lib/vectors/store");
const { createLocalEmbedder } = await import("../lib/vectors/local-embedder");
const { toBytes, toPgVector } = await import("../lib/vectors/vector-index");
const { startEmbeddedPostgres } = await import("../scripts/embedded-postgres");
const { applyMigrations } = await import("../lib/db/migrations");

const SERVICES = ["checkout", "payments", "search", "cart", "auth", "inventory", "shipping", "email", "gateway", "orders"];
const PROBLEMS = [
  "pods CrashLoopBackOff OOMKilled after deploy, memory limit exceeded",
  "p99 latency above 2s, upstream timeouts to the database",
  "5xx rate above 5% for 10 minutes, error budget burning fast",
  "disk almost full on the data volume, writes failing soon",
  "certificate expires in 3 days, renewal job failed",
  "kafka consumer lag growing, partitions rebalancing every minute",
  "replica lag above 30s after a long vacuum",
  "node NotReady, kubelet stopped posting status",
  "DNS resolution failures for internal services",
  "connection pool exhausted, requests queueing",
];
const text = (i: number) =>
  `${SERVICES[i % SERVICES.length]} ${PROBLEMS[(i * 7) % PROBLEMS.length]} (${["us-east-1", "eu-west-1", "ap-south-1"][i % 3]}, pod ${SERVICES[i % SERVICES.length]}-${(i % 997).toString(36)}x, build ${i % 113}) severity ${i % 4 ? "warning" : "critical"}`;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const embedder = createLocalEmbedder({ dim: DIM });

// 1. Embedder throughput.
{
  const texts = Array.from({ length: 20_000 }, (_, i) => text(i));
  const bytes = texts.reduce((a, t) => a + Buffer.byteLength(t), 0);
  await embedder.embed(texts.slice(0, 500)); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < texts.length; i += 1000) await embedder.embed(texts.slice(i, i + 1000));
  const s = (performance.now() - t0) / 1000;
  console.log(`local embedder (${embedder.id}): ${Math.round(texts.length / s).toLocaleString("en")} texts/s, ${(bytes / 1e6 / s).toFixed(1)} MB/s (texts of ~${Math.round(bytes / texts.length)} bytes)`);
}

type Client = InstanceType<typeof PrismaClient>;

async function load(client: Client, label: string): Promise<{ orgId: string; ids: string[] }> {
  const org = await client.organization.create({ data: { slug: `bench-${randomUUID().slice(0, 8)}`, name: "bench" } });
  const ids: string[] = [];
  const t0 = performance.now();
  const store = await vectorStore(client);
  for (let i = 0; i < N; i += 1000) {
    const chunk = Array.from({ length: Math.min(1000, N - i) }, (_, j) => i + j);
    const vecs = await embedder.embed(chunk.map(text));
    const rows = chunk.map((n, j) => ({ id: randomUUID(), orgId: org.id, kind: "incident", objectId: randomUUID(), embedder: embedder.id, dim: DIM, vector: toBytes(vecs[j]!), textHash: String(n) }));
    await client.embedding.createMany({ data: rows });
    if (store.backend === "pgvector") {
      // Bulk path for the bench (the product upserts one by one as incidents change): load without the
      // HNSW index, build it once at the end.
      if (i === 0) {
        await store.search(vecs[0]!, { orgId: org.id, kind: "incident", embedder: embedder.id, k: 1 }); // creates the mirror table
        await client.$executeRawUnsafe(`DROP INDEX IF EXISTS nops_embedding_vec_${DIM}_hnsw`);
      }
      const values = rows.map((r, j) => `('${r.id}','${org.id}','incident','${embedder.id}','${r.objectId}','${toPgVector(vecs[j]!)}')`).join(",");
      await client.$executeRawUnsafe(`INSERT INTO nops_embedding_vec_${DIM} (id, org_id, kind, embedder, object_id, v) VALUES ${values}`);
    }
    ids.push(...rows.map((r) => r.objectId));
    if (i % 20_000 === 0 && i) console.error(`  ${label}: ${i} loaded…`);
  }
  if (store.backend === "pgvector") {
    const t = performance.now();
    await client.$executeRawUnsafe(`SET maintenance_work_mem = '512MB'`);
    await client.$executeRawUnsafe(`CREATE INDEX nops_embedding_vec_${DIM}_hnsw ON nops_embedding_vec_${DIM} USING hnsw (v vector_cosine_ops)`);
    await client.$executeRawUnsafe(`ANALYZE nops_embedding_vec_${DIM}`);
    console.log(`${label}: HNSW index built in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  }
  console.log(`${label}: stored ${N.toLocaleString("en")} vectors in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return { orgId: org.id, ids };
}

async function measure(client: Client, label: string) {
  const store = await vectorStore(client);
  const { orgId } = await load(client, label);
  const queries = await embedder.embed(Array.from({ length: Q }, (_, i) => text(N + i * 31)));
  const t0 = performance.now();
  await store.search(queries[0]!, { orgId, kind: "incident", embedder: embedder.id, k: 10 }); // first search loads (memory) / warms (pgvector)
  const first = performance.now() - t0;
  const lat: number[] = [];
  for (const q of queries) {
    const t = performance.now();
    const hits = await store.search(q, { orgId, kind: "incident", embedder: embedder.id, k: 10 });
    lat.push(performance.now() - t);
    if (hits.length !== 10) throw new Error(`${label}: got ${hits.length} hits`);
  }
  console.log(`${label} [${store.backend}]: top-10 over ${N.toLocaleString("en")} vectors: p50 ${pct(lat, 50).toFixed(2)} ms, p99 ${pct(lat, 99).toFixed(2)} ms (${Q} queries; first search incl. index load ${first.toFixed(0)} ms)`);
}

const dir = mkdtempSync(path.join(os.tmpdir(), "nops-bench-vec-"));
const pglite = await startEmbeddedPostgres({ dataDir: path.join(dir, "pglite"), port: 0 });
try {
  process.env.VECTOR_STORE = "auto";
  if (values.only !== "pgvector") await measure(db, "PostgreSQL 15 (no pgvector)");
  if (values.only !== "memory") {
    await applyMigrations(pglite.url);
    const pgl = new PrismaClient({ adapter: new PrismaPg({ connectionString: pglite.url, max: 2 }) });
    await measure(pgl, "embedded PGlite + pgvector");
    await pgl.$disconnect();
  }
} finally {
  await db.$disconnect();
  await pglite.stop();
  rmSync(dir, { recursive: true, force: true });
  await dropTestDatabase(dbName);
}
