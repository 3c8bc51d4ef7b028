import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { AppError } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/append-audit";
import { hashPassword } from "@/lib/auth/password";
import { ZCreateMemberInput, type CreateMemberInput } from "@/lib/users/schemas";

/**
 * Adds a person to the actor's org directly, creating the account when the email is new: for the seed
 * and the CLI (system actors) only. People join through invitations (lib/users/invitations.ts), which
 * take their consent and tell the inviting admin nothing about other organizations' accounts.
 */
export async function createMember({ actor, input }: { actor: Actor; input: CreateMemberInput }) {
  assertCan(actor, "users.manage");
  if (actor.type !== "system") throw new AppError("forbidden", "people join through an invitation: POST /api/v1/invitations");
  const data = ZCreateMemberInput.parse(input);
  const passwordHash = data.password ? await hashPassword(data.password) : null;
  return db.$transaction(async (tx) => {
    let user = await tx.user.findUnique({ where: { email: data.email } });
    if (!user) {
      if (!passwordHash) throw new AppError("validation_failed", "a password is required for a new account", [{ path: ["password"], message: "Required" }]);
      user = await tx.user.create({ data: { email: data.email, name: data.name, passwordHash } });
    }
    const existing = await tx.membership.findUnique({ where: { orgId_userId: { orgId: actor.orgId, userId: user.id } } });
    if (existing) throw new AppError("conflict", `${data.email} is already a member`);
    const membership = await tx.membership.create({ data: { orgId: actor.orgId, userId: user.id, role: data.role } });
    await appendAudit(tx, { actor, action: "member.added", target: { type: "user", id: user.id }, data: { email: data.email, role: data.role } });
    return { userId: user.id, email: user.email, name: user.name, role: membership.role };
  });
}
