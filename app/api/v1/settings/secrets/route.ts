import { route } from "@/lib/http/route";
import { getSecretGrants, updateSecretGrants, ZSecretGrantsInput } from "@/lib/secrets/grants";

export const GET = route({ name: "/api/v1/settings/secrets", permission: "playbooks.read" }, ({ actor }) => getSecretGrants({ actor }));

export const PUT = route({ name: "/api/v1/settings/secrets", permission: "settings.manage", body: ZSecretGrantsInput }, ({ actor, body }) => updateSecretGrants({ actor, input: body }));
