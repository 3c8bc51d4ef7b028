import { z } from "zod";
import { route } from "@/lib/http/route";
import { deletePolicy, getPolicy, updatePolicy } from "@/lib/oncall/manage-policies";
import { ZPolicyInput } from "@/lib/oncall/schemas";

const params = z.object({ id: z.string().uuid() });

export const GET = route({ name: "/api/v1/escalation-policies/[id]", permission: "oncall.read", params }, ({ actor, params }) => getPolicy({ actor, id: params.id }));

export const PUT = route({ name: "/api/v1/escalation-policies/[id]", permission: "oncall.manage", params, body: ZPolicyInput }, ({ actor, params, body }) =>
  updatePolicy({ actor, id: params.id, input: body }),
);

export const DELETE = route({ name: "/api/v1/escalation-policies/[id]", permission: "oncall.manage", params }, async ({ actor, params }) => {
  await deletePolicy({ actor, id: params.id });
  return { deleted: params.id };
});
