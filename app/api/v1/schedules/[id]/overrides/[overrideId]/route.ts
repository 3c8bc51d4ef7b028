import { z } from "zod";
import { route } from "@/lib/http/route";
import { deleteOverride } from "@/lib/oncall/schedules/manage-schedules";

export const DELETE = route(
  { name: "/api/v1/schedules/[id]/overrides/[overrideId]", permission: "oncall.manage", params: z.object({ id: z.string().uuid(), overrideId: z.string().uuid() }) },
  async ({ actor, params }) => {
    await deleteOverride({ actor, scheduleId: params.id, overrideId: params.overrideId });
    return { deleted: params.overrideId };
  },
);
