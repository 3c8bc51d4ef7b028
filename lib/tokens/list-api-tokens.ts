import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";

/** The org's tokens with who each acts for; revoked ones only when asked for. */
export async function listApiTokens({ actor, includeRevoked = false }: { actor: Actor; includeRevoked?: boolean }) {
  assertCan(actor, "tokens.manage");
  const rows = await db.apiToken.findMany({
    where: { orgId: actor.orgId, ...(includeRevoked ? {} : { revokedAt: null }) },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      name: true,
      kind: true,
      role: true,
      scopes: true,
      prefix: true,
      createdAt: true,
      lastUsedAt: true,
      expiresAt: true,
      revokedAt: true,
      owner: { select: { id: true, email: true } },
    },
  });
  return rows.map(({ owner, ...t }) => ({ ...t, owner: owner ? { userId: owner.id, email: owner.email } : null }));
}
