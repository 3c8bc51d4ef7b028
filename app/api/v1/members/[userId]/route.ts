import { z } from "zod";
import { route } from "@/lib/http/route";
import { setMemberRole } from "@/lib/users/set-member-role";
import { ROLES } from "@/lib/authz/permissions";

export const PATCH = route(
  { name: "/api/v1/members/[userId]", permission: "users.manage", params: z.object({ userId: z.string().uuid() }), body: z.object({ role: z.enum(ROLES) }).strict() },
  async ({ actor, params, body }) => {
    const m = await setMemberRole({ actor, input: { userId: params.userId, role: body.role } });
    return { userId: m.userId, role: m.role };
  },
);
