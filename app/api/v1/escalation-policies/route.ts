import { json, route } from "@/lib/http/route";
import { createPolicy, listPolicies } from "@/lib/oncall/manage-policies";
import { ZPolicyInput } from "@/lib/oncall/schemas";

export const GET = route({ name: "/api/v1/escalation-policies", permission: "oncall.read" }, async ({ actor }) => ({ policies: await listPolicies({ actor }) }));

export const POST = route({ name: "/api/v1/escalation-policies", permission: "oncall.manage", body: ZPolicyInput }, async ({ actor, body }) =>
  json(await createPolicy({ actor, input: body }), 201),
);
