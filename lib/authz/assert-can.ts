// can/assertCan: the only authorization decision. Fails closed: unknown role, unknown permission,
// a token scope that does not grant it, or a resource in another org → denied.
import type { Actor } from "@/lib/context";
import { AppError } from "@/lib/errors";
import { ROLE_PERMISSIONS, isRole, type Permission } from "@/lib/authz/permissions";

export function can(actor: Actor | null | undefined, permission: Permission, scope?: { orgId?: string }): boolean {
  if (!actor || !isRole(actor.role)) return false;
  if (!ROLE_PERMISSIONS[actor.role].includes(permission)) return false;
  if (actor.scopes && actor.scopes.length > 0 && !actor.scopes.includes(permission)) return false;
  if (scope?.orgId !== undefined && scope.orgId !== actor.orgId) return false;
  return true;
}

export function assertCan(actor: Actor | null | undefined, permission: Permission, scope?: { orgId?: string }): asserts actor is Actor {
  if (!actor) throw new AppError("unauthenticated", "authentication required");
  if (!can(actor, permission, scope)) throw new AppError("forbidden", `missing permission ${permission}`);
}
