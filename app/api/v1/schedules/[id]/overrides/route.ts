import { z } from "zod";
import { json, route } from "@/lib/http/route";
import { createOverride } from "@/lib/oncall/schedules/manage-schedules";
import { ZOverrideInput } from "@/lib/oncall/schedules/schemas";

export const POST = route(
  { name: "/api/v1/schedules/[id]/overrides", permission: "oncall.manage", params: z.object({ id: z.string().uuid() }), body: ZOverrideInput },
  async ({ actor, params, body }) => json(await createOverride({ actor, scheduleId: params.id, input: body }), 201),
);
