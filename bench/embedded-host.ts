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
import { seedIngestOrg } from "./seed-ingest";

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
const { orgId, token, readToken } = await seedIngestOrg();
console.log(JSON.stringify({ url: pg.url, orgId, token, readToken }));
