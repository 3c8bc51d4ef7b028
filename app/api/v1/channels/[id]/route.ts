import { z } from "zod";
import { route } from "@/lib/http/route";
import { deleteChannel, getChannel, updateChannel } from "@/lib/oncall/manage-channels";
import { ZChannelUpdate } from "@/lib/oncall/schemas";

const params = z.object({ id: z.string().uuid() });

export const GET = route({ name: "/api/v1/channels/[id]", permission: "oncall.manage", params }, ({ actor, params }) => getChannel({ actor, id: params.id }));

export const PUT = route({ name: "/api/v1/channels/[id]", permission: "oncall.manage", params, body: ZChannelUpdate }, ({ actor, params, body }) =>
  updateChannel({ actor, id: params.id, input: body }),
);

export const DELETE = route({ name: "/api/v1/channels/[id]", permission: "oncall.manage", params }, async ({ actor, params }) => {
  await deleteChannel({ actor, id: params.id });
  return { deleted: params.id };
});
