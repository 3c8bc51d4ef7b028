// THE Prisma client. One per process (globalThis survives Next's dev hot reload).
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";

export type Db = PrismaClient;
/** A client or an interactive transaction: what domain functions accept as `tx`. */
export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

const g = globalThis as unknown as { __neuralopsDb?: PrismaClient };

function create(): PrismaClient {
  const adapter = new PrismaPg({ connectionString: env().DATABASE_URL, max: Number(process.env.DATABASE_POOL_MAX ?? 10) });
  // incident.searchText is the database's own search column (title and labels again): never an answer's.
  return new PrismaClient({ adapter, omit: { user: { passwordHash: true }, apiToken: { tokenHash: true }, calendarFeed: { tokenHash: true }, incident: { searchText: true } } });
}

export const db: PrismaClient = g.__neuralopsDb ?? (g.__neuralopsDb = create());
