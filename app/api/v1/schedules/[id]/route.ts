import { z } from "zod";
import { route } from "@/lib/http/route";
import { deleteSchedule, updateSchedule } from "@/lib/oncall/schedules/manage-schedules";
import { getSchedule } from "@/lib/oncall/schedules/queries";
import { ZScheduleInput } from "@/lib/oncall/schedules/schemas";

const params = z.object({ id: z.string().uuid() });

export const GET = route({ name: "/api/v1/schedules/[id]", permission: "oncall.read", params }, async ({ actor, params }) => getSchedule({ actor, id: params.id }));

/** Replaces the schedule and all its layers (overrides stay). */
export const PUT = route({ name: "/api/v1/schedules/[id]", permission: "oncall.manage", params, body: ZScheduleInput }, async ({ actor, params, body }) => {
  await updateSchedule({ actor, id: params.id, input: body });
  return getSchedule({ actor, id: params.id });
});

export const DELETE = route({ name: "/api/v1/schedules/[id]", permission: "oncall.manage", params }, async ({ actor, params }) => {
  await deleteSchedule({ actor, id: params.id });
  return { deleted: params.id };
});
