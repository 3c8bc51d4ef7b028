import { z } from "zod";
import { route } from "@/lib/http/route";
import { authenticateFeedToken, userCalendar } from "@/lib/oncall/schedules/feeds";
import { ZFeedQuery, calendarResponse } from "@/lib/oncall/schedules/feed-http";

/** One person's shifts across the org's schedules as iCalendar; calendar apps authenticate with `?token=`. */
export const GET = route(
  {
    name: "/api/v1/users/[userId]/oncall.ical",
    permission: "oncall.read",
    params: z.object({ userId: z.string().uuid() }),
    query: ZFeedQuery,
    urlToken: (token, params) => authenticateFeedToken(token, { kind: "user", userId: String(params.userId) }),
  },
  async ({ actor, params, query }) => calendarResponse(await userCalendar({ actor, userId: params.userId, weeks: query.weeks })),
);
