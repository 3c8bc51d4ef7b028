import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { notFound, AppError } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/append-audit";
import { forgetToken } from "@/lib/tokens/authenticate-token";

export async function revokeApiToken({ actor, id }: { actor: Actor; id: string }) {
  assertCan(actor, "tokens.manage");
  const revoked = await db.$transaction(async (tx) => {
    const row = await tx.apiToken.findFirst({ where: { id, orgId: actor.orgId } });
    if (!row) throw notFound("token");
    if (row.revokedAt) throw new AppError("conflict", "token already revoked");
    const updated = await tx.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
    await appendAudit(tx, { actor, action: "token.revoked", target: { type: "api_token", id }, data: { name: row.name, prefix: row.prefix } });
    return updated;
  });
  forgetToken(id);
  return revoked;
}
