// What the two calendar-feed routes share: their query and how a calendar is answered.
import { z } from "zod";
import { FEED_MAX_WEEKS } from "@/lib/oncall/schedules/feeds";

export const ZFeedQuery = z.object({
  // The feed link's secret (checked by the route adapter before this schema runs).
  token: z.string().optional(),
  weeks: z.coerce.number().int().min(1).max(FEED_MAX_WEEKS).optional(),
});

export function calendarResponse(ics: string): Response {
  return new Response(ics, {
    headers: {
      "content-type": "text/calendar; charset=utf-8",
      "content-disposition": 'inline; filename="oncall.ics"',
      // The link is a credential and the content changes with every override: keep no copies.
      "cache-control": "no-store",
    },
  });
}
