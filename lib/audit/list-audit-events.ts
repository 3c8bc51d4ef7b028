import { z } from "zod";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";

export const ZListAuditQuery = z.object({
  // Newest first; pass the smallest seq you have seen to get the next page.
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  action: z.string().max(100).optional(),
  // Everything one principal did, or everything done to one record.
  actorId: z.string().max(200).optional(),
  targetType: z.string().max(100).optional(),
  targetId: z.string().max(200).optional(),
  // "<type>:<id>" (e.g. run:<uuid>), as run and incident pages link here: shorthand for targetType + targetId.
  target: z
    .string()
    .max(200)
    .regex(/^[a-z_]+:[^\s]+$/, "target is <type>:<id>, e.g. run:<uuid>")
    .optional(),
});
export type ListAuditQuery = z.input<typeof ZListAuditQuery>;

export async function listAuditEvents({ actor, query = {} }: { actor: Actor; query?: ListAuditQuery }) {
  assertCan(actor, "audit.read");
  const { target, ...rest } = ZListAuditQuery.parse(query);
  const split = target?.indexOf(":") ?? -1;
  const q = target ? { ...rest, targetType: target.slice(0, split), targetId: target.slice(split + 1) } : rest;
  const events = await db.auditEvent.findMany({
    where: {
      orgId: actor.orgId,
      ...(q.before ? { seq: { lt: q.before } } : {}),
      ...(q.action ? { action: q.action } : {}),
      ...(q.actorId ? { actorId: q.actorId } : {}),
      ...(q.targetType ? { targetType: q.targetType } : {}),
      ...(q.targetId ? { targetId: q.targetId } : {}),
    },
    orderBy: { seq: "desc" },
    take: q.limit,
  });
  const last = events[events.length - 1];
  return { events, nextBefore: events.length === q.limit && last ? last.seq : null };
}
