// First OIDC sign-in: find the account by verified email, or create it in OIDC_DEFAULT_ORG with
// OIDC_DEFAULT_ROLE. Existing members keep the role an admin gave them.
//
// Only an address the IdP says it verified (`email_verified` claim) is trusted: many IdPs let a user type any
// address into their profile, and matching on an unverified one would let them take over that member's account.
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { systemActor } from "@/lib/context";
import { appendAudit } from "@/lib/audit/append-audit";
import type { SessionIdentity } from "@/lib/auth/verify-credentials";

export type OidcUser = { id: string; email: string | null; name: string | null; emailVerified: boolean };

/** The provider's profile(): claims from the ID token / userinfo → the user next-auth passes to the callbacks. */
export function oidcUserFromClaims(claims: { sub: string; email?: string; name?: string; email_verified?: unknown }): OidcUser {
  // Some IdPs send the claim as the string "true".
  const emailVerified = claims.email_verified === true || claims.email_verified === "true";
  return { id: claims.sub, email: claims.email ?? null, name: claims.name ?? null, emailVerified };
}

export async function resolveOidcUser(profile: { email?: string | null; name?: string | null; emailVerified?: boolean }): Promise<SessionIdentity | null> {
  const email = profile.email?.trim().toLowerCase();
  if (!email || profile.emailVerified !== true) return null;
  const { OIDC_DEFAULT_ORG, OIDC_DEFAULT_ROLE } = env();
  return db.$transaction(async (tx) => {
    let user = await tx.user.findUnique({ where: { email } });
    let membership = user
      ? await tx.membership.findFirst({ where: { userId: user.id }, orderBy: { createdAt: "asc" }, include: { org: true } })
      : null;
    if (!membership) {
      if (!OIDC_DEFAULT_ORG) return null;
      const org = await tx.organization.findUnique({ where: { slug: OIDC_DEFAULT_ORG } });
      if (!org) return null;
      user ??= await tx.user.create({ data: { email, name: profile.name?.trim() || email } });
      membership = await tx.membership.create({ data: { orgId: org.id, userId: user.id, role: OIDC_DEFAULT_ROLE }, include: { org: true } });
      await appendAudit(tx, {
        actor: systemActor("oidc", org.id),
        action: "member.added",
        target: { type: "user", id: user.id },
        data: { email, role: OIDC_DEFAULT_ROLE, via: "oidc" },
      });
    }
    if (!user || user.disabledAt) return null;
    return { userId: user.id, email: user.email, name: user.name, orgId: membership.orgId, orgSlug: membership.org.slug, role: membership.role };
  });
}
