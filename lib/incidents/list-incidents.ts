import { z } from "zod";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";

export const ZListIncidentsQuery = z.object({
  status: z.enum(["open", "acknowledged", "resolved"]).optional(),
  severity: z.enum(["info", "warning", "critical"]).optional(),
  service: z.string().max(200).optional(),
  q: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().uuid().optional(),
});
export type ListIncidentsQuery = z.input<typeof ZListIncidentsQuery>;

export async function listIncidents({ actor, query = {} }: { actor: Actor; query?: ListIncidentsQuery }) {
  assertCan(actor, "incidents.read");
  const q = ZListIncidentsQuery.parse(query);
  const rows = await db.incident.findMany({
    where: {
      orgId: actor.orgId,
      ...(q.status ? { status: q.status } : {}),
      ...(q.severity ? { severity: q.severity } : {}),
      ...(q.service ? { service: q.service } : {}),
      ...(q.q ? { OR: [{ title: { contains: q.q, mode: "insensitive" as const } }, { groupKey: { contains: q.q, mode: "insensitive" as const } }] } : {}),
    },
    orderBy: [{ openedAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
    ...(q.cursor ? { cursor: { id: q.cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, q.limit);
  return { incidents: page, nextCursor: rows.length > q.limit ? page[page.length - 1]!.id : null };
}
