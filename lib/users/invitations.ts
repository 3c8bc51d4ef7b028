// Joining an organization takes the invitee's consent: an admin invites an address and gets a one-time
// link; the person behind the address accepts it (signed in as that address, or by creating the
// account). The admin's answer is the same whether or not the address has an account anywhere.
import { createHash, randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { AppError, notFound } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/append-audit";
import { hashPassword } from "@/lib/auth/password";
import { publicUrl } from "@/lib/env";
import { ZAcceptInvitationInput, ZInviteInput, type AcceptInvitationInput, type InviteInput } from "@/lib/users/schemas";

const hash = (token: string) => createHash("sha256").update(token).digest("hex");
const invitationUrl = (token: string) => publicUrl(`/invite/${token}`);

export async function inviteMember({ actor, input }: { actor: Actor; input: InviteInput }) {
  assertCan(actor, "users.manage");
  const data = ZInviteInput.parse(input);
  const token = `inv_${randomBytes(32).toString("base64url")}`;
  const row = await db.$transaction(async (tx) => {
    // A new invitation for the same address replaces the pending one.
    await tx.invitation.updateMany({ where: { orgId: actor.orgId, email: data.email, acceptedAt: null, revokedAt: null }, data: { revokedAt: new Date() } });
    const inv = await tx.invitation.create({
      data: { orgId: actor.orgId, email: data.email, role: data.role, tokenHash: hash(token), invitedBy: actor.label ?? actor.id, expiresAt: new Date(Date.now() + data.expiresInDays * 86_400_000) },
    });
    await appendAudit(tx, { actor, action: "member.invited", target: { type: "invitation", id: inv.id }, data: { email: data.email, role: data.role, expiresAt: inv.expiresAt.toISOString() } });
    return inv;
  });
  return { id: row.id, email: row.email, role: row.role, expiresAt: row.expiresAt, token, url: invitationUrl(token) };
}

export async function listInvitations({ actor }: { actor: Actor }) {
  assertCan(actor, "users.manage");
  return db.invitation.findMany({
    where: { orgId: actor.orgId, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: "desc" },
    select: { id: true, email: true, role: true, invitedBy: true, createdAt: true, expiresAt: true },
  });
}

export async function revokeInvitation({ actor, id }: { actor: Actor; id: string }) {
  assertCan(actor, "users.manage");
  return db.$transaction(async (tx) => {
    const done = await tx.invitation.updateMany({ where: { id, orgId: actor.orgId, acceptedAt: null, revokedAt: null }, data: { revokedAt: new Date() } });
    if (done.count !== 1) throw notFound("pending invitation");
    await appendAudit(tx, { actor, action: "member.invitation_revoked", target: { type: "invitation", id } });
    return { id };
  });
}

const unusable = () => new AppError("not_found", "this invitation link is invalid, expired, revoked or already used; ask an admin for a new one");

/** What the invitation page shows before accepting. */
export async function previewInvitation(token: string) {
  const inv = await db.invitation.findUnique({ where: { tokenHash: hash(token) }, include: { org: { select: { name: true, slug: true } } } });
  if (!inv || inv.acceptedAt || inv.revokedAt || inv.expiresAt.getTime() <= Date.now()) throw unusable();
  return { email: inv.email, role: inv.role, orgName: inv.org.name, orgSlug: inv.org.slug, expiresAt: inv.expiresAt };
}

/**
 * Accepts an invitation: as the signed-in person whose address it names, or by creating the account
 * when the address has none. The link is burnt by a compare-and-set, so it works once.
 */
export async function acceptInvitation({ input, signedIn }: { input: AcceptInvitationInput; signedIn?: { userId: string; email: string } | null }) {
  const data = ZAcceptInvitationInput.parse(input);
  const passwordHash = !signedIn && data.password ? await hashPassword(data.password) : null;
  return db.$transaction(async (tx) => {
    const inv = await tx.invitation.findUnique({ where: { tokenHash: hash(data.token) } });
    if (!inv || inv.acceptedAt || inv.revokedAt || inv.expiresAt.getTime() <= Date.now()) throw unusable();
    let userId: string;
    if (signedIn) {
      if (signedIn.email.toLowerCase() !== inv.email) throw new AppError("forbidden", `this invitation is for ${inv.email}; sign in as that address to accept it`);
      userId = signedIn.userId;
    } else {
      const existing = await tx.user.findUnique({ where: { email: inv.email }, select: { id: true } });
      if (existing) throw new AppError("conflict", `an account for ${inv.email} exists: sign in as ${inv.email}, then open the invitation link again`);
      if (!data.name || !passwordHash) {
        throw new AppError("validation_failed", "name and a password of at least 12 characters create your account", [
          ...(data.name ? [] : [{ path: ["name"], message: "Required" }]),
          ...(passwordHash ? [] : [{ path: ["password"], message: "Required" }]),
        ]);
      }
      userId = (await tx.user.create({ data: { email: inv.email, name: data.name, passwordHash } })).id;
    }
    const burnt = await tx.invitation.updateMany({ where: { id: inv.id, acceptedAt: null, revokedAt: null }, data: { acceptedAt: new Date(), acceptedUserId: userId } });
    if (burnt.count !== 1) throw unusable();
    const already = await tx.membership.findUnique({ where: { orgId_userId: { orgId: inv.orgId, userId } } });
    if (already) throw new AppError("conflict", `${inv.email} is already a member of this organization`);
    await tx.membership.create({ data: { orgId: inv.orgId, userId, role: inv.role } });
    const actor: Actor = { type: "user", id: userId, orgId: inv.orgId, role: inv.role, label: inv.email, userId };
    await appendAudit(tx, { actor, action: "member.joined", target: { type: "user", id: userId }, data: { email: inv.email, role: inv.role, invitationId: inv.id, invitedBy: inv.invitedBy } });
    return { orgId: inv.orgId, userId, email: inv.email, role: inv.role };
  });
}
