import { route } from "@/lib/http/route";
import { ROLE_PERMISSIONS, isRole } from "@/lib/authz/permissions";

// Who am I and what may I do: lets clients (and the UI) hide what the server would refuse anyway.
export const GET = route({ name: "/api/v1/me" }, async ({ actor }) => ({
  type: actor.type,
  id: actor.id,
  orgId: actor.orgId,
  role: actor.role,
  permissions: isRole(actor.role) ? ROLE_PERMISSIONS[actor.role].filter((p) => !actor.scopes?.length || actor.scopes.includes(p)) : [],
}));
