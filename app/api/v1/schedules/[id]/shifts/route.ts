import { z } from "zod";
import { route } from "@/lib/http/route";
import { upcomingShifts } from "@/lib/oncall/schedules/queries";
import { ZWindowQuery } from "@/lib/oncall/schedules/schemas";

/** The final timeline of [from, to) (default: now to 14 days on). */
export const GET = route(
  { name: "/api/v1/schedules/[id]/shifts", permission: "oncall.read", params: z.object({ id: z.string().uuid() }), query: ZWindowQuery },
  async ({ actor, params, query }) => upcomingShifts({ actor, scheduleId: params.id, from: query.from, to: query.to }),
);
