import { z } from "zod";
import { route, json } from "@/lib/http/route";
import { listApiTokens } from "@/lib/tokens/list-api-tokens";
import { createApiToken } from "@/lib/tokens/create-api-token";
import { ZCreateTokenInput } from "@/lib/tokens/schemas";

const ZListQuery = z.object({ includeRevoked: z.enum(["true", "false"]).optional() });

export const GET = route({ name: "/api/v1/tokens", permission: "tokens.manage", query: ZListQuery }, async ({ actor, query }) => ({
  tokens: await listApiTokens({ actor, includeRevoked: query.includeRevoked === "true" }),
}));

export const POST = route({ name: "/api/v1/tokens", permission: "tokens.manage", body: ZCreateTokenInput }, async ({ actor, body, meta }) =>
  json(await createApiToken({ actor, input: body, meta }), 201),
);
