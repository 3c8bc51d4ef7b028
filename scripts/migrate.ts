// `npm run db:migrate`: apply committed migrations to DATABASE_URL (creating the database if needed).
import { applyMigrations, ensureDatabase } from "@/lib/db/migrations";
import { env } from "@/lib/env";

const url = env().DATABASE_URL;
await ensureDatabase(url);
const applied = await applyMigrations(url, { log: (m) => console.log(m) });
console.log(applied.length ? `applied ${applied.length} migration(s)` : "database is up to date");
