import { route } from "@/lib/http/route";
import { addSigningKey, listSigningKeys, ZAddKeyInput } from "@/lib/playbooks/signing-keys";

export const GET = route({ name: "/api/v1/keys", permission: "playbooks.read" }, ({ actor }) => listSigningKeys({ actor }));

export const POST = route({ name: "/api/v1/keys", permission: "keys.manage", body: ZAddKeyInput }, async ({ actor, body }) => Response.json(await addSigningKey({ actor, input: body }), { status: 201 }));
