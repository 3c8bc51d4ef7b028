import { z } from "zod";
import { route } from "@/lib/http/route";
import { deleteInhibitionRule, updateInhibitionRule } from "@/lib/oncall/manage-inhibitions";
import { ZInhibitionInput } from "@/lib/oncall/schemas";

const params = z.object({ id: z.string().uuid() });

export const PUT = route({ name: "/api/v1/inhibition-rules/[id]", permission: "oncall.manage", params, body: ZInhibitionInput }, ({ actor, params, body }) =>
  updateInhibitionRule({ actor, id: params.id, input: body }),
);

export const DELETE = route({ name: "/api/v1/inhibition-rules/[id]", permission: "oncall.manage", params }, async ({ actor, params }) => {
  await deleteInhibitionRule({ actor, id: params.id });
  return { deleted: params.id };
});
