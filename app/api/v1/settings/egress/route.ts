import { route } from "@/lib/http/route";
import { getEgressPolicy, updateEgressPolicy, ZEgressPolicyInput } from "@/lib/egress/settings";

export const GET = route({ name: "/api/v1/settings/egress", permission: "playbooks.read" }, ({ actor }) => getEgressPolicy({ actor }));

export const PUT = route({ name: "/api/v1/settings/egress", permission: "settings.manage", body: ZEgressPolicyInput }, ({ actor, body }) => updateEgressPolicy({ actor, input: body }));
