import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { notFound } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/append-audit";
import { ZSetRoleInput, type SetRoleInput } from "@/lib/users/schemas";
import { assertAnotherAdminRemains } from "@/lib/users/admins";

/** Changes a member's role. Their API tokens follow at once: a token never has more than its owner's role. */
export async function setMemberRole({ actor, input }: { actor: Actor; input: SetRoleInput }) {
  assertCan(actor, "users.manage");
  const { userId, role } = ZSetRoleInput.parse(input);
  return db.$transaction(async (tx) => {
    const m = await tx.membership.findUnique({ where: { orgId_userId: { orgId: actor.orgId, userId } } });
    if (!m) throw notFound("member");
    if (m.role === role) return m;
    if (m.role === "admin") await assertAnotherAdminRemains(tx, actor.orgId, userId);
    const updated = await tx.membership.update({ where: { id: m.id }, data: { role } });
    await appendAudit(tx, { actor, action: "member.role_changed", target: { type: "user", id: userId }, data: { from: m.role, to: role } });
    return updated;
  });
}
