import { db } from "@/lib/db";
import type { Actor, RequestMeta } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { roleRank, type Role } from "@/lib/authz/permissions";
import { AppError } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/append-audit";
import { newToken } from "@/lib/tokens/token-format";
import { ZCreateTokenInput, type CreateTokenInput } from "@/lib/tokens/schemas";

/** Creates a token in the actor's org. The clear token is returned once and never stored. */
export async function createApiToken({ actor, input, meta }: { actor: Actor; input: CreateTokenInput; meta?: RequestMeta }) {
  assertCan(actor, "tokens.manage");
  const data = ZCreateTokenInput.parse(input);
  if (roleRank(data.role) > roleRank(actor.role as Role)) throw new AppError("forbidden", "cannot create a token with more rights than your own");
  const { token, prefix, hash } = newToken();
  const row = await db.$transaction(async (tx) => {
    const created = await tx.apiToken.create({
      data: {
        orgId: actor.orgId,
        createdById: actor.type === "user" ? actor.id : null,
        name: data.name,
        role: data.role,
        scopes: data.scopes,
        prefix,
        tokenHash: hash,
        expiresAt: data.expiresInDays ? new Date(Date.now() + data.expiresInDays * 86_400_000) : null,
      },
    });
    await appendAudit(tx, {
      actor,
      action: "token.created",
      target: { type: "api_token", id: created.id },
      data: { name: data.name, role: data.role, scopes: data.scopes, prefix, source: meta?.source },
    });
    return created;
  });
  return { token, id: row.id, name: row.name, role: row.role, prefix };
}
