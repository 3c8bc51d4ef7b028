// THE Prisma client. One per process (globalThis survives Next's dev hot reload).
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";

export type Db = PrismaClient;
/** A client or an interactive transaction: what domain functions accept as `tx`. */
export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

const g = globalThis as unknown as { __neuralopsDb?: PrismaClient; __neuralopsPool?: pg.Pool };

/**
 * The connection pool under Prisma (DATABASE_POOL_MAX connections), shared with the few hot paths that send
 * SQL to it directly (lib/db/raw.ts). Created on demand, and again after `db.$disconnect()` ended it.
 */
export function dbPool(): pg.Pool {
  const current = g.__neuralopsPool as (pg.Pool & { ending?: boolean }) | undefined;
  if (current && !current.ending) return current;
  const pool = new pg.Pool({ connectionString: env().DATABASE_URL, max: Number(process.env.DATABASE_POOL_MAX ?? 10) });
  // An idle connection the server dropped: the pool replaces it; without a listener it would crash the process.
  pool.on("error", () => {});
  return (g.__neuralopsPool = pool);
}

/** Prisma's pg adapter on dbPool(): takes the current pool at each connect, ends it at $disconnect. */
class SharedPoolAdapter extends PrismaPg {
  override async connect() {
    (this as unknown as { externalPool: pg.Pool | null }).externalPool = dbPool();
    return super.connect();
  }
}

function create(): PrismaClient {
  const adapter = new SharedPoolAdapter(dbPool(), { disposeExternalPool: true });
  // incident.searchText is the database's own search column (title and labels again): never an answer's.
  return new PrismaClient({ adapter, omit: { user: { passwordHash: true }, apiToken: { tokenHash: true }, calendarFeed: { tokenHash: true }, incident: { searchText: true } } });
}

export const db: PrismaClient = g.__neuralopsDb ?? (g.__neuralopsDb = create());
