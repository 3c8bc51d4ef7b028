import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";

export async function listApiTokens({ actor }: { actor: Actor }) {
  assertCan(actor, "tokens.manage");
  return db.apiToken.findMany({
    where: { orgId: actor.orgId },
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, role: true, scopes: true, prefix: true, createdAt: true, lastUsedAt: true, expiresAt: true, revokedAt: true },
  });
}
