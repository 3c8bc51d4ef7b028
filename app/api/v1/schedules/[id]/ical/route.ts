import { z } from "zod";
import { route } from "@/lib/http/route";
import { authenticateFeedToken, scheduleCalendar } from "@/lib/oncall/schedules/feeds";
import { ZFeedQuery, calendarResponse } from "@/lib/oncall/schedules/feed-http";

/** The schedule's shifts as iCalendar; calendar apps authenticate with the feed link's `?token=`. */
export const GET = route(
  {
    name: "/api/v1/schedules/[id]/ical",
    permission: "oncall.read",
    params: z.object({ id: z.string().uuid() }),
    query: ZFeedQuery,
    urlToken: (token, params) => authenticateFeedToken(token, { kind: "schedule", scheduleId: String(params.id) }),
  },
  async ({ actor, params, query }) => calendarResponse(await scheduleCalendar({ actor, scheduleId: params.id, weeks: query.weeks })),
);
