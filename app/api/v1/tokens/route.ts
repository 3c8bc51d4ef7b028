import { route, json } from "@/lib/http/route";
import { listApiTokens } from "@/lib/tokens/list-api-tokens";
import { createApiToken } from "@/lib/tokens/create-api-token";
import { ZCreateTokenInput } from "@/lib/tokens/schemas";

export const GET = route({ name: "/api/v1/tokens", permission: "tokens.manage" }, async ({ actor }) => ({ tokens: await listApiTokens({ actor }) }));

export const POST = route({ name: "/api/v1/tokens", permission: "tokens.manage", body: ZCreateTokenInput }, async ({ actor, body, meta }) =>
  json(await createApiToken({ actor, input: body, meta }), 201),
);
