import { json, route } from "@/lib/http/route";
import { createSilence, listSilences } from "@/lib/oncall/manage-silences";
import { ZListSilencesQuery, ZSilenceInput } from "@/lib/oncall/schemas";

// Anyone who can see incidents can see what is muted and why.
export const GET = route(
  { name: "/api/v1/silences", permission: "incidents.read", query: ZListSilencesQuery },
  async ({ actor, query }) => ({ silences: await listSilences({ actor, includeExpired: query.includeExpired === "true" }) }),
);

export const POST = route({ name: "/api/v1/silences", permission: "silences.manage", body: ZSilenceInput }, async ({ actor, body }) =>
  json(await createSilence({ actor, input: body }), 201),
);
