import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { notFound } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/append-audit";
import { assertAnotherAdminRemains } from "@/lib/users/admins";

/**
 * Removes a person from the org and revokes every API token they own in it, in one transaction. Their
 * account stays (it may belong to other orgs); their past approvals and audit events stay attributed.
 */
export async function removeMember({ actor, userId }: { actor: Actor; userId: string }) {
  assertCan(actor, "users.manage");
  return db.$transaction(async (tx) => {
    const m = await tx.membership.findUnique({ where: { orgId_userId: { orgId: actor.orgId, userId } }, include: { user: { select: { email: true } } } });
    if (!m) throw notFound("member");
    if (m.role === "admin") await assertAnotherAdminRemains(tx, actor.orgId, userId);
    await tx.membership.delete({ where: { id: m.id } });
    const revoked = await tx.apiToken.updateMany({ where: { orgId: actor.orgId, ownerId: userId, revokedAt: null }, data: { revokedAt: new Date() } });
    await appendAudit(tx, { actor, action: "member.removed", target: { type: "user", id: userId }, data: { email: m.user.email, role: m.role, tokensRevoked: revoked.count } });
    return { userId, email: m.user.email, tokensRevoked: revoked.count };
  });
}
