import { z } from "zod";
import { json, route } from "@/lib/http/route";
import { createFeedToken, revokeFeedToken } from "@/lib/oncall/schedules/feeds";

const params = z.object({ id: z.string().uuid() });

/** A secret link to the schedule's calendar for the caller (replaces their earlier one). */
export const POST = route({ name: "/api/v1/schedules/[id]/ical/token", permission: "oncall.read", params }, async ({ actor, params }) =>
  json(await createFeedToken({ actor, target: { kind: "schedule", scheduleId: params.id } }), 201),
);

export const DELETE = route({ name: "/api/v1/schedules/[id]/ical/token", permission: "oncall.read", params }, async ({ actor, params }) =>
  revokeFeedToken({ actor, target: { kind: "schedule", scheduleId: params.id } }),
);
