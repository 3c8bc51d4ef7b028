import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { notFound } from "@/lib/errors";

/** An incident with its signals and timeline, oldest event first. */
export async function getIncidentOrThrow({ actor, id }: { actor: Actor; id: string }) {
  assertCan(actor, "incidents.read");
  const incident = await db.incident.findFirst({
    where: { id, orgId: actor.orgId },
    include: { signals: { orderBy: { startsAt: "asc" }, take: 500 }, events: { orderBy: { at: "asc" }, take: 1000 } },
  });
  if (!incident) throw notFound("incident");
  return incident;
}
