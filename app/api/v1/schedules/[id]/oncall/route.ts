import { z } from "zod";
import { route } from "@/lib/http/route";
import { scheduleOnCall } from "@/lib/oncall/schedules/queries";
import { ZOnCallQuery } from "@/lib/oncall/schedules/schemas";

/** Who is on call at `at` (default now), until when, and who is next. */
export const GET = route(
  { name: "/api/v1/schedules/[id]/oncall", permission: "oncall.read", params: z.object({ id: z.string().uuid() }), query: ZOnCallQuery },
  async ({ actor, params, query }) => scheduleOnCall({ actor, scheduleId: params.id, at: query.at }),
);
