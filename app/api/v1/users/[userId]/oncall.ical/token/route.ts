import { z } from "zod";
import { json, route } from "@/lib/http/route";
import { createFeedToken, revokeFeedToken } from "@/lib/oncall/schedules/feeds";

const params = z.object({ userId: z.string().uuid() });

/** A secret link to this person's on-call calendar for the caller (replaces their earlier one). */
export const POST = route({ name: "/api/v1/users/[userId]/oncall.ical/token", permission: "oncall.read", params }, async ({ actor, params }) =>
  json(await createFeedToken({ actor, target: { kind: "user", userId: params.userId } }), 201),
);

export const DELETE = route({ name: "/api/v1/users/[userId]/oncall.ical/token", permission: "oncall.read", params }, async ({ actor, params }) =>
  revokeFeedToken({ actor, target: { kind: "user", userId: params.userId } }),
);
