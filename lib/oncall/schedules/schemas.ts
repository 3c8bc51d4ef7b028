import { z } from "zod";
import { isValidTimeZone } from "@/lib/oncall/schedules/zoned-time";

const DAY_MINUTES = 24 * 60;
/** The longest window one request may compute (shifts, calendar feeds). */
export const MAX_WINDOW_DAYS = 366;

// A Date too: domain functions parse again what a route has parsed already.
export const ZInstant = z.union([z.date(), z.iso.datetime({ offset: true }).transform((s) => new Date(s))]);
/** Who is on call at `at` (default now). */
export const ZOnCallQuery = z.object({ at: ZInstant.optional() }).strict();
const ZClock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "expected HH:MM (00:00 to 23:59)");

export const ZRestriction = z
  .object({
    // 1 = Monday … 7 = Sunday: the days each window starts on.
    days: z
      .array(z.number().int().min(1).max(7))
      .min(1)
      .max(7)
      .refine((d) => new Set(d).size === d.length, "days repeat"),
    start: ZClock,
    // At or before start: the window ends the next day (17:00–09:00 covers the night). 24:00 is midnight.
    end: z.union([ZClock, z.literal("24:00")]),
  })
  .strict();

/** A layer naming its participants by `participant` (ids in the API, emails in the configuration file). */
export function layerSchema<P extends z.ZodType<string>>(participant: P) {
  const common = {
    name: z.string().trim().max(200).default(""),
    startsAt: ZInstant,
    participants: z.array(participant).max(100),
    restrictions: z.array(ZRestriction).max(14).default([]),
  };
  return z.discriminatedUnion("rotation", [
    z.object({ rotation: z.literal("daily"), handoffTime: ZClock, ...common }).strict(),
    z.object({ rotation: z.literal("weekly"), handoffTime: ZClock, handoffWeekday: z.number().int().min(1).max(7), ...common }).strict(),
    // At least an hour: shorter turns are no on-call rotation, and each costs a time-zone conversion.
    z.object({ rotation: z.literal("custom"), lengthMinutes: z.number().int().min(60).max(28 * DAY_MINUTES), ...common }).strict(),
  ]);
}

export function scheduleSchema<P extends z.ZodType<string>>(participant: P) {
  return z
    .object({
      name: z.string().trim().min(1).max(200),
      timeZone: z.string().refine(isValidTimeZone, "not an IANA time zone (e.g. Europe/Berlin)"),
      description: z.string().max(2000).default(""),
      // Bottom first: a later layer covers the ones before it wherever it has someone.
      layers: z.array(layerSchema(participant)).max(20).default([]),
    })
    .strict();
}

export const ZLayerInput = layerSchema(z.string().uuid());
export type LayerInput = z.infer<typeof ZLayerInput>;

export const ZScheduleInput = scheduleSchema(z.string().uuid());
export type ScheduleInput = z.input<typeof ZScheduleInput>;

export const ZOverrideInput = z
  .object({
    userId: z.string().uuid(),
    startsAt: ZInstant,
    endsAt: ZInstant,
    reason: z.string().max(500).default(""),
  })
  .strict()
  .refine((o) => o.endsAt > o.startsAt, { message: "endsAt must be after startsAt", path: ["endsAt"] })
  .refine((o) => o.endsAt.getTime() - o.startsAt.getTime() <= MAX_WINDOW_DAYS * 86_400_000, { message: `at most ${MAX_WINDOW_DAYS} days`, path: ["endsAt"] });
export type OverrideInput = z.input<typeof ZOverrideInput>;

export const ZWindowQuery = z
  .object({ from: ZInstant.optional(), to: ZInstant.optional() })
  .strict()
  .refine((q) => !q.from || !q.to || (q.to > q.from && q.to.getTime() - q.from.getTime() <= MAX_WINDOW_DAYS * 86_400_000), {
    message: `to must be after from, at most ${MAX_WINDOW_DAYS} days`,
    path: ["to"],
  });
