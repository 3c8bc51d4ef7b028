import { z } from "zod";
import { route } from "@/lib/http/route";
import { revokeInvitation } from "@/lib/users/invitations";

export const DELETE = route({ name: "/api/v1/invitations/[id]", permission: "users.manage", params: z.object({ id: z.string().uuid() }) }, async ({ actor, params }) => revokeInvitation({ actor, id: params.id }));
