import { route, json } from "@/lib/http/route";
import { listApiTokens } from "@/lib/tokens/list-api-tokens";
import { createApiToken } from "@/lib/tokens/create-api-token";
import { ZCreateTokenInput, ZListTokensQuery } from "@/lib/tokens/schemas";

export const GET = route({ name: "/api/v1/tokens", permission: "tokens.manage", query: ZListTokensQuery }, async ({ actor, query }) => ({
  tokens: await listApiTokens({ actor, includeRevoked: query.includeRevoked === "true" }),
}));

export const POST = route({ name: "/api/v1/tokens", permission: "tokens.manage", body: ZCreateTokenInput }, async ({ actor, body, meta }) =>
  json(await createApiToken({ actor, input: body, meta }), 201),
);
