import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { AppError, notFound } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/append-audit";
import { ZSetRoleInput, type SetRoleInput } from "@/lib/users/schemas";

export async function setMemberRole({ actor, input }: { actor: Actor; input: SetRoleInput }) {
  assertCan(actor, "users.manage");
  const { userId, role } = ZSetRoleInput.parse(input);
  return db.$transaction(async (tx) => {
    const m = await tx.membership.findUnique({ where: { orgId_userId: { orgId: actor.orgId, userId } } });
    if (!m) throw notFound("member");
    if (m.role === role) return m;
    if (m.role === "admin") {
      const admins = await tx.membership.count({ where: { orgId: actor.orgId, role: "admin" } });
      if (admins <= 1) throw new AppError("conflict", "an organization needs at least one admin");
    }
    const updated = await tx.membership.update({ where: { id: m.id }, data: { role } });
    await appendAudit(tx, { actor, action: "member.role_changed", target: { type: "user", id: userId }, data: { from: m.role, to: role } });
    return updated;
  });
}
