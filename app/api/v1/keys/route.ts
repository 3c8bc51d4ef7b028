import { route } from "@/lib/http/route";
import { addSigningKey, listSigningKeys, ZAddKeyInput } from "@/lib/playbooks/signing-keys";

export const GET = route({ name: "/api/v1/keys" }, ({ actor }) => listSigningKeys({ actor }));

export const POST = route({ name: "/api/v1/keys", body: ZAddKeyInput }, async ({ actor, body }) => Response.json(await addSigningKey({ actor, input: body }), { status: 201 }));
