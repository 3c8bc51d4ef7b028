import { z } from "zod";
import { route } from "@/lib/http/route";
import { deleteInhibitionRule } from "@/lib/oncall/manage-inhibitions";

export const DELETE = route({ name: "/api/v1/inhibition-rules/[id]", permission: "oncall.manage", params: z.object({ id: z.string().uuid() }) }, async ({ actor, params }) => {
  await deleteInhibitionRule({ actor, id: params.id });
  return { deleted: params.id };
});
