import { json, route } from "@/lib/http/route";
import { openApiDocument } from "@/lib/http/openapi";

// Public: the document describes the API's shape (in the open-source tree anyway) and no organization's data,
// so code generators and API tools can fetch it without a token.
export const GET = route({ name: "/api/v1/openapi.json", auth: false }, async () => json(openApiDocument(), 200, { "cache-control": "public, max-age=300" }));
