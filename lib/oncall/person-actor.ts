// The person behind a Slack button or a notification's one-time link, as the actor the web would build
// for them: their current membership role in the org (demoted or removed people get what they have now).
import type { Tx } from "@/lib/db";
import { db } from "@/lib/db";
import type { Actor, ActorVia } from "@/lib/context";

const VIA_LABEL: Record<ActorVia, string> = { slack: "via Slack", email: "via email link", teams: "via Teams link", webhook: "via webhook link" };

/** Null when the user is not an active member of the org. */
export async function personActor(orgId: string, userId: string, via: ActorVia, tx: Tx = db): Promise<Actor | null> {
  const m = await tx.membership.findUnique({ where: { orgId_userId: { orgId, userId } }, include: { user: { select: { email: true, disabledAt: true } } } });
  if (!m || m.user.disabledAt) return null;
  return { type: "user", id: userId, orgId, role: m.role, userId, label: `${m.user.email} (${VIA_LABEL[via]})`, via };
}
