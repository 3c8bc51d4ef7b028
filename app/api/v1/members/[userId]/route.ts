import { z } from "zod";
import { route } from "@/lib/http/route";
import { setMemberRole } from "@/lib/users/set-member-role";
import { removeMember } from "@/lib/users/remove-member";
import { ZSetRoleBody } from "@/lib/users/schemas";

const params = z.object({ userId: z.string().uuid() });

export const PATCH = route(
  { name: "/api/v1/members/[userId]", permission: "users.manage", params, body: ZSetRoleBody },
  async ({ actor, params, body }) => {
    const m = await setMemberRole({ actor, input: { userId: params.userId, role: body.role } });
    return { userId: m.userId, role: m.role };
  },
);

/** Removes the member and revokes the API tokens they own. */
export const DELETE = route({ name: "/api/v1/members/[userId]", permission: "users.manage", params }, async ({ actor, params }) => removeMember({ actor, userId: params.userId }));
