import { z } from "zod";
import { route } from "@/lib/http/route";
import { deleteRoute, updateRoute } from "@/lib/oncall/manage-routes";
import { ZRouteInput } from "@/lib/oncall/schemas";

const params = z.object({ id: z.string().uuid() });

export const PUT = route({ name: "/api/v1/routes/[id]", permission: "oncall.manage", params, body: ZRouteInput }, ({ actor, params, body }) =>
  updateRoute({ actor, id: params.id, input: body }),
);

export const DELETE = route({ name: "/api/v1/routes/[id]", permission: "oncall.manage", params }, async ({ actor, params }) => {
  await deleteRoute({ actor, id: params.id });
  return { deleted: params.id };
});
