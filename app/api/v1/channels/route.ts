import { json, route } from "@/lib/http/route";
import { createChannel, listChannels } from "@/lib/oncall/manage-channels";
import { ZChannelCreate } from "@/lib/oncall/schemas";

export const GET = route({ name: "/api/v1/channels", permission: "oncall.manage" }, async ({ actor }) => ({ channels: await listChannels({ actor }) }));

export const POST = route({ name: "/api/v1/channels", permission: "oncall.manage", body: ZChannelCreate }, async ({ actor, body }) => json(await createChannel({ actor, input: body }), 201));
