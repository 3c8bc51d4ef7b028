// The on-call forms take times as a datetime-local value ("2026-03-01T09:00") in a named time zone (the
// schedule's, or the one chosen on the form): these turn that into an instant and back. Pure, so the
// server actions and the unit test use the same conversion.
import { instantOf, isValidTimeZone, wallOf } from "@/lib/oncall/schedules/zoned-time";

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** "YYYY-MM-DDTHH:MM" in `timeZone` → the instant, or null when either is not valid. */
export function wallToInstant(local: string, timeZone: string): Date | null {
  const m = LOCAL.exec(local.trim());
  if (!m || !isValidTimeZone(timeZone)) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  // Date.UTC rolls 2026-02-31 over to March: refuse dates that do not exist.
  const back = new Date(wall);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59) return null;
  return new Date(instantOf(wall, timeZone));
}

/** The instant as a datetime-local value in `timeZone` (minutes precision). */
export function instantToWall(at: Date, timeZone: string): string {
  return new Date(wallOf(at.getTime(), isValidTimeZone(timeZone) ? timeZone : "UTC")).toISOString().slice(0, 16);
}
