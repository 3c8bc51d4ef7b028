// The incident list for triage: filters, search over title and label values, four sorts, keyset pages
// in both directions and a capped total. One SQL statement per page and one for the count, each an index
// scan however deep the page (bench/incidents.ts measures it on 100,000 incidents).
import { z } from "zod";
import { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { AppError } from "@/lib/errors";
import { SEVERITIES } from "@/lib/incidents/schemas";

export const INCIDENT_STATUSES = ["open", "acknowledged", "resolved"] as const;
export const INCIDENT_SORTS = ["newest", "oldest", "severity", "last_signal"] as const;
export type IncidentSort = (typeof INCIDENT_SORTS)[number];
/** Counting stops here: "1000+" answers the triage question and keeps the count an index range scan. */
export const INCIDENT_COUNT_CAP = 1000;
/** More words than this are not a search anyone types; each word is one more index condition. */
const MAX_TERMS = 8;

export const ZListIncidentsQuery = z.object({
  status: z.enum(INCIDENT_STATUSES).optional(),
  severity: z.enum(SEVERITIES).optional(),
  service: z.string().max(200).optional(),
  /** Words that must all appear in the title, group key, service or a label (`payments`, `prod-eu-1`, `env=prod`). */
  q: z.string().trim().max(200).optional(),
  /** `me` (the caller's own), `none` (nobody took it) or a user id. */
  owner: z.union([z.enum(["me", "none"]), z.string().uuid()]).optional(),
  sort: z.enum(INCIDENT_SORTS).default("newest"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Opaque, from a previous answer's nextCursor or prevCursor (an incident id is still accepted: the page after it). */
  cursor: z.string().max(400).optional(),
});
export type ListIncidentsQuery = z.input<typeof ZListIncidentsQuery>;

export type IncidentListRow = {
  id: string;
  orgId: string;
  title: string;
  status: (typeof INCIDENT_STATUSES)[number];
  severity: (typeof SEVERITIES)[number];
  groupKey: string;
  service: string | null;
  labels: Record<string, string>;
  openedAt: Date;
  lastSignalAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  ownerId: string | null;
  owner: { id: string; name: string; email: string } | null;
  updatedAt: Date;
};

export type IncidentList = {
  incidents: IncidentListRow[];
  /** The page after this one in the chosen order (older, for the newest-first sorts). */
  nextCursor: string | null;
  /** The page before it (newer). */
  prevCursor: string | null;
  /** Matching incidents, counted up to INCIDENT_COUNT_CAP (`capped` says there are more). */
  total: { count: number; capped: boolean };
  sort: IncidentSort;
};

// A sort is its key columns (ending with id, so every row has one place) and one direction.
type Key = { col: string; cast: string; of: (r: RawRow) => string };
const iso = (d: Date) => d.toISOString();
const SORTS: Record<IncidentSort, { keys: Key[]; desc: boolean }> = {
  newest: { keys: [{ col: `i."openedAt"`, cast: "timestamp", of: (r) => iso(r.openedAt) }], desc: true },
  oldest: { keys: [{ col: `i."openedAt"`, cast: "timestamp", of: (r) => iso(r.openedAt) }], desc: false },
  last_signal: { keys: [{ col: `i."lastSignalAt"`, cast: "timestamp", of: (r) => iso(r.lastSignalAt) }], desc: true },
  // The enum orders info < warning < critical: descending puts critical first, newest first within each.
  severity: {
    keys: [
      { col: `i.severity`, cast: `"Severity"`, of: (r) => r.severity },
      { col: `i."openedAt"`, cast: "timestamp", of: (r) => iso(r.openedAt) },
    ],
    desc: true,
  },
};

const ZCursor = z.object({ s: z.enum(INCIDENT_SORTS), d: z.enum(["next", "prev"]), k: z.array(z.string().max(100)).max(3), id: z.string().uuid() });
type Cursor = z.infer<typeof ZCursor>;

const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString("base64url");

function decodeCursor(raw: string): Cursor {
  try {
    return ZCursor.parse(JSON.parse(Buffer.from(raw, "base64url").toString("utf8")));
  } catch {
    throw new AppError("validation_failed", "invalid cursor: pass nextCursor or prevCursor from a previous answer", [{ path: ["cursor"], message: "invalid cursor", code: "custom" }]);
  }
}

type RawRow = Omit<IncidentListRow, "owner"> & { ownerName: string | null; ownerEmail: string | null };

/** `%`, `_` and `\` are literal in a search, not LIKE wildcards. */
const likePattern = (term: string) => `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function searchTerms(q: string | undefined): string[] {
  return [...new Set((q ?? "").split(/\s+/).filter(Boolean))].slice(0, MAX_TERMS);
}

function filters(actor: Actor, q: z.infer<typeof ZListIncidentsQuery>): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`i."orgId" = ${actor.orgId}::uuid`];
  if (q.status) parts.push(Prisma.sql`i.status = ${q.status}::"IncidentStatus"`);
  if (q.severity) parts.push(Prisma.sql`i.severity = ${q.severity}::"Severity"`);
  if (q.service) parts.push(Prisma.sql`i.service = ${q.service}`);
  for (const term of searchTerms(q.q)) parts.push(Prisma.sql`i."searchText" LIKE ${likePattern(term)}`);
  if (q.owner === "none") parts.push(Prisma.sql`i."ownerId" IS NULL`);
  else if (q.owner === "me") {
    const me = actor.type === "user" ? actor.id : actor.userId;
    // A service token is nobody: it owns nothing.
    parts.push(me ? Prisma.sql`i."ownerId" = ${me}::uuid` : Prisma.sql`FALSE`);
  } else if (q.owner) parts.push(Prisma.sql`i."ownerId" = ${q.owner}::uuid`);
  return Prisma.join(parts, " AND ");
}

/** The cursor as the sort's key values, from an opaque cursor or (older clients) an incident id. */
async function resolveCursor(orgId: string, raw: string, sort: IncidentSort): Promise<Cursor | null> {
  if (z.string().uuid().safeParse(raw).success) {
    const row = await db.incident.findFirst({ where: { id: raw, orgId }, select: { id: true, openedAt: true, lastSignalAt: true, severity: true } });
    if (!row) return null;
    return { s: sort, d: "next", id: row.id, k: SORTS[sort].keys.map((k) => k.of(row as unknown as RawRow)) };
  }
  const c = decodeCursor(raw);
  if (c.s !== sort) throw new AppError("validation_failed", `this cursor belongs to sort=${c.s}, not sort=${sort}`, [{ path: ["cursor"], message: "cursor of another sort", code: "custom" }]);
  if (c.k.length !== SORTS[sort].keys.length) throw new AppError("validation_failed", "invalid cursor", [{ path: ["cursor"], message: "invalid cursor", code: "custom" }]);
  return c;
}

export async function listIncidents({ actor, query = {} }: { actor: Actor; query?: ListIncidentsQuery }): Promise<IncidentList> {
  assertCan(actor, "incidents.read");
  const q = ZListIncidentsQuery.parse(query);
  const { keys, desc } = SORTS[q.sort];
  const where = filters(actor, q);
  const cursor = q.cursor ? await resolveCursor(actor.orgId, q.cursor, q.sort) : null;

  // Walking backwards (the page before the cursor) reads in the opposite order, then flips the rows.
  const backwards = cursor?.d === "prev";
  const scanDesc = desc !== backwards;
  const dir = Prisma.raw(scanDesc ? "DESC" : "ASC");
  const tuple = Prisma.raw(`(${[...keys.map((k) => k.col), "i.id"].join(", ")})`);
  const after = cursor
    ? Prisma.sql`AND ${tuple} ${Prisma.raw(scanDesc ? "<" : ">")} (${Prisma.join([...keys.map((k, n) => Prisma.sql`${cursor.k[n]}::${Prisma.raw(k.cast)}`), Prisma.sql`${cursor.id}::uuid`])})`
    : Prisma.empty;
  const orderBy = Prisma.join([...keys.map((k) => Prisma.sql`${Prisma.raw(k.col)} ${dir}`), Prisma.sql`i.id ${dir}`]);

  const [rows, counted] = await Promise.all([
    db.$queryRaw<RawRow[]>`
      SELECT i.id, i."orgId", i.title, i.status::text AS status, i.severity::text AS severity, i."groupKey", i.service, i.labels,
             i."openedAt", i."lastSignalAt", i."acknowledgedAt", i."acknowledgedBy", i."resolvedAt", i."resolvedBy", i."ownerId", i."updatedAt",
             u.name AS "ownerName", u.email AS "ownerEmail"
      FROM "Incident" i LEFT JOIN "User" u ON u.id = i."ownerId"
      WHERE ${where} ${after}
      ORDER BY ${orderBy}
      LIMIT ${q.limit + 1}`,
    db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM (SELECT 1 FROM "Incident" i WHERE ${where} LIMIT ${INCIDENT_COUNT_CAP + 1}) AS m`,
  ]);

  const more = rows.length > q.limit;
  const page = rows.slice(0, q.limit);
  if (backwards) page.reverse();
  const at = (r: RawRow, d: Cursor["d"]) => encodeCursor({ s: q.sort, d, id: r.id, k: keys.map((k) => k.of(r)) });
  const first = page[0];
  const last = page[page.length - 1];
  // Forwards: more rows means a next page, and having come from a cursor means a previous one; backwards the reverse.
  const nextCursor = last && (backwards ? true : more) ? at(last, "next") : null;
  const prevCursor = first && (backwards ? more : Boolean(cursor)) ? at(first, "prev") : null;
  const n = Number(counted[0]?.n ?? 0);

  return {
    incidents: page.map(({ ownerName, ownerEmail, ...r }) => ({ ...r, owner: r.ownerId && ownerEmail ? { id: r.ownerId, name: ownerName ?? ownerEmail, email: ownerEmail } : null })),
    nextCursor,
    prevCursor,
    total: { count: Math.min(n, INCIDENT_COUNT_CAP), capped: n > INCIDENT_COUNT_CAP },
    sort: q.sort,
  };
}
