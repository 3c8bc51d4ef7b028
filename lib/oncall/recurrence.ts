// Weekly maintenance windows: a silence with a recurrence mutes only inside its window, e.g. Tuesdays and
// Thursdays 22:00–02:00 Europe/Paris. `days` are the days a window starts on; an `end` at or before
// `start` means the window runs past midnight into the next day. Times are wall-clock in `timeZone`,
// so the window follows daylight saving time.
import { z } from "zod";

export const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const ZRecurrence = z
  .object({
    days: z.array(z.enum(WEEKDAYS)).min(1).max(7),
    start: z.string().regex(HHMM, "HH:MM (24 h)"),
    end: z.string().regex(HHMM, "HH:MM (24 h)"),
    timeZone: z.string().min(1).max(100).refine(isTimeZone, "an IANA time zone such as Europe/Paris or UTC").default("UTC"),
  })
  .strict()
  .refine((r) => r.start !== r.end, { path: ["end"], message: "the window must not be empty: end differs from start" })
  .transform((r) => ({ ...r, days: [...new Set(r.days)].sort((a, b) => WEEKDAYS.indexOf(a) - WEEKDAYS.indexOf(b)) }));
export type Recurrence = z.output<typeof ZRecurrence>;

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Weekday and minute of the day of `at` on the wall clock of `timeZone`. */
function wallClock(at: Date, timeZone: string): { day: number; minute: number } {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const day = WEEKDAYS.indexOf(get("weekday").toLowerCase().slice(0, 3) as Weekday);
  return { day, minute: Number(get("hour")) * 60 + Number(get("minute")) };
}

export function inWindow(r: Recurrence, at: Date): boolean {
  const { day, minute } = wallClock(at, r.timeZone);
  const start = minutes(r.start);
  const end = minutes(r.end);
  const startsOn = (d: number) => r.days.includes(WEEKDAYS[(d + 7) % 7]!);
  if (start < end) return startsOn(day) && minute >= start && minute < end;
  // Past midnight: the evening part on a listed day, the morning part on the day after one.
  return (startsOn(day) && minute >= start) || (startsOn(day - 1) && minute < end);
}
