import { route } from "@/lib/http/route";
import { getRedactionSettings, updateRedactionSettings, ZRedactionSettingsInput } from "@/lib/orgs/redaction-settings";

export const GET = route({ name: "/api/v1/settings/redaction", permission: "exports.read" }, ({ actor }) => getRedactionSettings({ actor }));

export const PATCH = route({ name: "/api/v1/settings/redaction", permission: "settings.manage", body: ZRedactionSettingsInput }, ({ actor, body }) => updateRedactionSettings({ actor, input: body }));
