import { json, route } from "@/lib/http/route";
import { createInhibitionRule, listInhibitionRules } from "@/lib/oncall/manage-inhibitions";
import { ZInhibitionInput } from "@/lib/oncall/schemas";

export const GET = route({ name: "/api/v1/inhibition-rules", permission: "oncall.read" }, async ({ actor }) => ({ rules: await listInhibitionRules({ actor }) }));

export const POST = route({ name: "/api/v1/inhibition-rules", permission: "oncall.manage", body: ZInhibitionInput }, async ({ actor, body }) =>
  json(await createInhibitionRule({ actor, input: body }), 201),
);
