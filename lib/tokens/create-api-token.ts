import { db, type Tx } from "@/lib/db";
import type { Actor, RequestMeta } from "@/lib/context";
import { assertCan, effectivePermissions } from "@/lib/authz/assert-can";
import { type Role } from "@/lib/authz/permissions";
import { AppError, notFound } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/append-audit";
import { newToken } from "@/lib/tokens/token-format";
import { ZCreateTokenInput, type CreateTokenInput } from "@/lib/tokens/schemas";

type Owner = { kind: "user"; userId: string; email: string; role: Role } | { kind: "service" };

/**
 * Creates a token in the actor's org. The clear token is returned once and never stored.
 *
 * Every token acts for a person or is a service token. A person's token is theirs; a token minted by
 * a token belongs to the same person (so a family of tokens is one approver); the CLI (a system actor)
 * must name the person (`ownerEmail`) or ask for a service token. The new token can never do more
 * than its creator can now (role ∩ scopes) nor more than its owner's current role.
 */
export async function createApiToken({ actor, input, meta, ownerEmail }: { actor: Actor; input: CreateTokenInput; meta?: RequestMeta; ownerEmail?: string }) {
  assertCan(actor, "tokens.manage");
  const data = ZCreateTokenInput.parse(input);
  if (ownerEmail !== undefined && actor.type !== "system") throw new AppError("forbidden", "only the CLI may create a token for someone else");
  const { token, prefix, hash } = newToken();
  const row = await db.$transaction(async (tx) => {
    const owner = await resolveOwner(tx, actor, data.service, ownerEmail);
    const wanted = effectivePermissions({ type: "token", id: "new", orgId: actor.orgId, role: data.role, scopes: data.scopes, ...(owner.kind === "user" ? { userId: owner.userId } : {}) });
    // The CLI (a system actor) has the database anyway; its ceiling is the owner's role alone.
    const ceilings: { who: string; perms: string[] }[] = actor.type === "system" ? [] : [{ who: "you", perms: effectivePermissions(actor) }];
    if (owner.kind === "user") ceilings.push({ who: owner.email, perms: effectivePermissions({ type: "user", id: owner.userId, orgId: actor.orgId, role: owner.role }) });
    for (const { who, perms } of ceilings) {
      const extra = wanted.filter((p) => !perms.includes(p));
      if (extra.length) {
        throw new AppError("forbidden", `a token cannot have rights ${who === "you" ? "you do" : `its owner ${who} does`} not have: ${extra.join(", ")}; narrow its role or scopes`);
      }
    }
    const created = await tx.apiToken.create({
      data: {
        orgId: actor.orgId,
        kind: owner.kind,
        ownerId: owner.kind === "user" ? owner.userId : null,
        createdById: actor.type === "user" ? actor.id : null,
        createdByTokenId: actor.type === "token" ? actor.id : null,
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
      data: { name: data.name, role: data.role, scopes: data.scopes, prefix, kind: owner.kind, owner: owner.kind === "user" ? owner.email : null, source: meta?.source },
    });
    return { created, owner };
  });
  const { created, owner } = row;
  return { token, id: created.id, name: created.name, role: created.role, prefix, kind: created.kind, owner: owner.kind === "user" ? owner.email : null };
}

async function resolveOwner(tx: Tx, actor: Actor, service: boolean, ownerEmail: string | undefined): Promise<Owner> {
  if (service) return { kind: "service" };
  let userId: string | undefined;
  if (actor.type === "system") {
    if (!ownerEmail) throw new AppError("validation_failed", "name the person the token acts for (--user <email>) or create a service token (--service)");
    const user = await tx.user.findUnique({ where: { email: ownerEmail.trim().toLowerCase() }, select: { id: true } });
    if (!user) throw notFound(`member ${ownerEmail}`);
    userId = user.id;
  } else {
    // A user's own token; a token's token belongs to the same person. A service token has no person to give.
    userId = actor.userId ?? (actor.type === "user" ? actor.id : undefined);
    if (!userId) return { kind: "service" };
  }
  const m = await tx.membership.findUnique({ where: { orgId_userId: { orgId: actor.orgId, userId } }, include: { user: { select: { email: true, disabledAt: true } } } });
  if (!m || m.user.disabledAt) throw notFound(ownerEmail ? `member ${ownerEmail}` : "member");
  return { kind: "user", userId, email: m.user.email, role: m.role };
}
