import { z } from "zod";
import { route } from "@/lib/http/route";
import { revokeSigningKey, ZRevokeKeyInput } from "@/lib/playbooks/signing-keys";

export const POST = route({ name: "/api/v1/keys/[id]/revoke", permission: "keys.manage", params: z.object({ id: z.string().uuid() }), body: ZRevokeKeyInput }, ({ actor, params, body }) =>
  revokeSigningKey({ actor, id: params.id, reason: body.reason }),
);
