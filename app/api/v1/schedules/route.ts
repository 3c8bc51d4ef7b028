import { route, json } from "@/lib/http/route";
import { createSchedule } from "@/lib/oncall/schedules/manage-schedules";
import { getSchedule, listSchedules } from "@/lib/oncall/schedules/queries";
import { ZScheduleInput } from "@/lib/oncall/schedules/schemas";

export const GET = route({ name: "/api/v1/schedules", permission: "oncall.read" }, async ({ actor }) => ({ schedules: await listSchedules({ actor }) }));

export const POST = route({ name: "/api/v1/schedules", permission: "oncall.manage", body: ZScheduleInput }, async ({ actor, body }) => {
  const s = await createSchedule({ actor, input: body });
  return json(await getSchedule({ actor, id: s.id }), 201);
});
