// can/assertCan: the only authorization decision. Fails closed: unknown role, unknown permission,
// a token scope that does not grant it, a decision that needs a person made by no person, or a
// resource in another org → denied.
import type { Actor } from "@/lib/context";
import { AppError } from "@/lib/errors";
import { NEEDS_A_PERSON, NOT_FOR_SERVICE_TOKENS, ROLE_PERMISSIONS, isRole, type Permission } from "@/lib/authz/permissions";

/** What an actor may do: role ∩ scopes, minus what its kind of principal may never do. */
export function effectivePermissions(actor: Actor): Permission[] {
  if (!isRole(actor.role)) return [];
  let perms = ROLE_PERMISSIONS[actor.role].slice();
  if (actor.scopes && actor.scopes.length > 0) perms = perms.filter((p) => actor.scopes!.includes(p));
  if (actor.type === "token" && !actor.userId) perms = perms.filter((p) => !NOT_FOR_SERVICE_TOKENS.includes(p));
  else if (actor.type !== "user" && !actor.userId) perms = perms.filter((p) => !NEEDS_A_PERSON.includes(p));
  return perms;
}

export function can(actor: Actor | null | undefined, permission: Permission, scope?: { orgId?: string }): boolean {
  if (!actor) return false;
  if (!effectivePermissions(actor).includes(permission)) return false;
  if (scope?.orgId !== undefined && scope.orgId !== actor.orgId) return false;
  return true;
}

export function assertCan(actor: Actor | null | undefined, permission: Permission, scope?: { orgId?: string }): asserts actor is Actor {
  if (!actor) throw new AppError("unauthenticated", "authentication required");
  if (!can(actor, permission, scope)) throw new AppError("forbidden", `missing permission ${permission}`);
}
