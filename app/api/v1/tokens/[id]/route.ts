import { z } from "zod";
import { route } from "@/lib/http/route";
import { revokeApiToken } from "@/lib/tokens/revoke-api-token";

export const DELETE = route({ name: "/api/v1/tokens/[id]", permission: "tokens.manage", params: z.object({ id: z.string().uuid() }) }, async ({ actor, params }) => {
  const t = await revokeApiToken({ actor, id: params.id });
  return { id: t.id, revokedAt: t.revokedAt };
});
