// For `npm run bench:ingest -- --embedded`: the embedded database as `npm run up` runs it when DATABASE_URL is
// unset — PGlite served by pglite-socket (scripts/embedded-postgres.ts) from a process of its own (up's
// launcher), with its data in a directory on disk, migrated and seeded — plus the tokens the bench needs.
// Prints one JSON line ({ url, orgId, token, readToken }) when ready; stops the database on SIGTERM or when
// its parent goes away.
//
//   node --import tsx bench/embedded-host.ts <data dir>
import { rmSync } from "node:fs";
import { startEmbeddedPostgres } from "@/scripts/embedded-postgres";
import { applyMigrations } from "@/lib/db/migrations";

const dataDir = process.argv[2];
if (!dataDir) throw new Error("usage: embedded-host.ts <data dir>");
rmSync(dataDir, { recursive: true, force: true });
const pg = await startEmbeddedPostgres({ dataDir, port: 0 });
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await pg.stop().catch(() => {});
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(`${dataDir}.lock`, { force: true });
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
process.on("disconnect", () => void stop());
setInterval(() => {
  if (process.ppid === 1) void stop();
}, 1_000).unref();

await applyMigrations(pg.url);
// lib/db reads DATABASE_URL when first imported.
process.env.DATABASE_URL = pg.url;
const { db } = await import("@/lib/db");
const { seedDemo } = await import("@/lib/orgs/seed-demo");
const { createApiToken } = await import("@/lib/tokens/create-api-token");
const { systemActor } = await import("@/lib/context");
const { org } = await seedDemo();
const actor = systemActor("bench", org.id);
const { token } = await createApiToken({ actor, input: { name: "bench", role: "operator", scopes: ["signals.ingest"], service: true } });
const { token: readToken } = await createApiToken({ actor, input: { name: "bench-read", role: "viewer", scopes: ["incidents.read"], service: true } });
await db.$disconnect();
console.log(JSON.stringify({ url: pg.url, orgId: org.id, token, readToken }));
