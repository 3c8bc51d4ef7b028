// Wall-clock time in an IANA time zone, with the platform's Intl data (Node ships full ICU), no library.
// A "wall" value is a local date-time written as milliseconds as if it were UTC: wall arithmetic is then
// plain addition (the next day at the same local time is wall + 86_400_000), and only the conversion to
// and from instants needs the zone.

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  // Intl also accepts offsets like "+01:00", which have no DST rules and are no IANA zone.
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(timeZone)) return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

// en-US with h23 formats as "12/07/2026, 05:14:50"; reading that string is about three times faster than
// formatToParts, which matters when a year of hourly hand-offs is computed.
const EN_US = /^(\d{1,2})\/(\d{1,2})\/(\d{4}), (\d{2}):(\d{2}):(\d{2})$/;

/** The local wall-clock time of an instant in the zone. */
export function wallOf(instantMs: number, timeZone: string): number {
  const f = formatter(timeZone);
  const date = new Date(instantMs);
  const m = EN_US.exec(f.format(date));
  let seconds: number;
  if (m) seconds = Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2]), Number(m[4]), Number(m[5]), Number(m[6]));
  else {
    // Years before 1000 or after 9999: the slow, shape-independent way.
    const parts: Record<string, number> = {};
    for (const p of f.formatToParts(date)) if (p.type !== "literal") parts[p.type] = Number(p.value);
    seconds = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  }
  // Intl has second precision; keep the instant's milliseconds.
  return seconds + (((instantMs % 1000) + 1000) % 1000);
}

/** UTC offset (wall − instant) in effect at an instant. */
export function offsetAt(instantMs: number, timeZone: string): number {
  return wallOf(instantMs, timeZone) - instantMs;
}

/**
 * The instant a wall-clock time happens in the zone. Like Temporal's "compatible" disambiguation: a time
 * that happens twice (the hour repeated when clocks go back) is its first occurrence; a time that never
 * happens (skipped when clocks go forward) is moved forward by the length of the gap (02:30 → 03:30).
 */
export function instantOf(wallMs: number, timeZone: string): number {
  const before = offsetAt(wallMs - DAY_MS, timeZone);
  const after = offsetAt(wallMs + DAY_MS, timeZone);
  const candidates = [wallMs - before, wallMs - after].filter((t) => wallOf(t, timeZone) === wallMs);
  if (candidates.length > 0) return Math.min(...candidates);
  // In a gap: the offset from before the jump puts the time as far past the jump as it was past its start.
  return wallMs - before;
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a wall value. */
export function isoWeekday(wallMs: number): number {
  const d = new Date(wallMs).getUTCDay();
  return d === 0 ? 7 : d;
}

/** Midnight (wall) of the wall value's local date. */
export function startOfWallDay(wallMs: number): number {
  return Math.floor(wallMs / DAY_MS) * DAY_MS;
}

/** "HH:MM" (00:00 … 24:00) → minutes after midnight. */
export function minutesOfDay(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return h! * 60 + m!;
}

export const WALL_DAY_MS = DAY_MS;
