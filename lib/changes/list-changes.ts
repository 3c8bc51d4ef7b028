// GET /api/v1/changes: this organization's changes in a time range, newest first.
import { z } from "zod";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { AppError } from "@/lib/errors";
import { CHANGE_KINDS, ZName } from "@/lib/changes/schemas";

// A Date too, so that a caller passing the route's parsed query (or its own Date) is parsed again cleanly.
const ZTime = z.union([z.date(), z.iso.datetime({ offset: true }).transform((s) => new Date(s))]);

export const ZListChangesQuery = z.object({
  // Default: the last 24 hours.
  from: ZTime.optional(),
  to: ZTime.optional(),
  service: ZName.optional(),
  namespace: ZName.optional(),
  kind: z.enum(CHANGE_KINDS).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type ListChangesQuery = z.input<typeof ZListChangesQuery>;

export async function listChanges({ actor, query = {} }: { actor: Actor; query?: ListChangesQuery }) {
  assertCan(actor, "incidents.read");
  const q = ZListChangesQuery.parse(query);
  const to = q.to ?? new Date();
  const from = q.from ?? new Date(to.getTime() - 24 * 3600_000);
  if (from > to) throw new AppError("validation_failed", "from must not be after to");
  const rows = await db.change.findMany({
    where: {
      orgId: actor.orgId,
      at: { gte: from, lte: to },
      ...(q.service ? { service: q.service } : {}),
      ...(q.namespace ? { namespace: q.namespace } : {}),
      ...(q.kind ? { kind: q.kind } : {}),
    },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: q.limit + 1,
    omit: { orgId: true },
  });
  // `truncated`: there are more in the range; narrow it (from/to) to see them.
  return { from, to, changes: rows.slice(0, q.limit), truncated: rows.length > q.limit };
}
