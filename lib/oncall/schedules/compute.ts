// Who is on call, computed from a schedule's layers and overrides: pure functions, no database.
//
// A layer rotates its participants. Hand-offs happen at local wall-clock times in the schedule's time
// zone: every day at handoffTime (daily), every week on handoffWeekday at handoffTime (weekly), or every
// lengthMinutes of wall-clock time counted from startsAt (custom). Across a DST change a hand-off stays at
// its local time, so the shift around the change is an hour shorter or longer. The layer begins at
// startsAt with its first participant, who hands off at the first hand-off after startsAt.
// A layer with restrictions covers only those weekly windows; outside them the layers below show through.
// Higher layers (higher position) cover lower ones wherever they have someone; overrides cover all
// layers (a later override covers an earlier one).
import { instantOf, isoWeekday, minutesOfDay, startOfWallDay, wallOf, WALL_DAY_MS } from "@/lib/oncall/schedules/zoned-time";

export type RotationKind = "daily" | "weekly" | "custom";

/** A weekly window in the schedule's zone; an end at or before the start ends on the next day. */
export type Restriction = { days: number[]; start: string; end: string };

export type LayerSpec = {
  id: string;
  position: number;
  rotation: RotationKind;
  /** "HH:MM", daily and weekly. */
  handoffTime: string | null;
  /** 1 = Monday … 7 = Sunday, weekly. */
  handoffWeekday: number | null;
  /** Wall-clock minutes per shift, custom. */
  lengthMinutes: number | null;
  startsAt: Date;
  /** In rotation order; null is a turn nobody takes (e.g. someone who left the organization). */
  participants: (string | null)[];
  restrictions: Restriction[];
};

export type OverrideSpec = { id: string; userId: string; startsAt: Date; endsAt: Date; createdAt?: Date };

export type ScheduleSpec = { timeZone: string; layers: LayerSpec[]; overrides: OverrideSpec[] };

export type Shift = { userId: string; startsAt: Date; endsAt: Date };

/** Internal: half-open [start, end) in epoch milliseconds. */
type Seg = { userId: string; start: number; end: number };
type Interval = { start: number; end: number };

const MINUTE = 60_000;

/** Where a layer's hand-offs fall: the wall times anchor + k·length, for every integer k. */
function rotationGrid(layer: LayerSpec, timeZone: string): { anchor: number; length: number } {
  const startWall = wallOf(layer.startsAt.getTime(), timeZone);
  const day = startOfWallDay(startWall);
  switch (layer.rotation) {
    case "daily":
      return { anchor: day + minutesOfDay(required(layer.handoffTime, "handoffTime")) * MINUTE, length: WALL_DAY_MS };
    case "weekly": {
      const weekday = required(layer.handoffWeekday, "handoffWeekday");
      return { anchor: day + (weekday - isoWeekday(day)) * WALL_DAY_MS + minutesOfDay(required(layer.handoffTime, "handoffTime")) * MINUTE, length: 7 * WALL_DAY_MS };
    }
    case "custom":
      return { anchor: startWall, length: required(layer.lengthMinutes, "lengthMinutes") * MINUTE };
  }
}

function required<T>(v: T | null | undefined, what: string): T {
  if (v === null || v === undefined) throw new Error(`layer has no ${what}`);
  return v;
}

/** The layer's shifts that overlap [from, to), whole (not cut at from or to), restrictions not applied. */
function rotationSegments(layer: LayerSpec, timeZone: string, from: number, to: number): Seg[] {
  const n = layer.participants.length;
  const layerStart = layer.startsAt.getTime();
  if (n === 0 || to <= layerStart) return [];
  const { anchor, length } = rotationGrid(layer, timeZone);
  const cache = new Map<number, number>();
  const boundary = (k: number) => {
    let b = cache.get(k);
    if (b === undefined) cache.set(k, (b = instantOf(anchor + k * length, timeZone)));
    return b;
  };
  // The last hand-off at or before t.
  const indexAt = (t: number) => {
    let k = Math.floor((wallOf(t, timeZone) - anchor) / length);
    while (boundary(k + 1) <= t) k++;
    while (boundary(k) > t) k--;
    return k;
  };
  const first = indexAt(layerStart); // the shift the layer starts in: participant 0
  const out: Seg[] = [];
  for (let k = indexAt(Math.max(from, layerStart)); ; k++) {
    const start = Math.max(boundary(k), layerStart);
    if (start >= to) break;
    const end = boundary(k + 1);
    const userId = layer.participants[(((k - first) % n) + n) % n];
    // end === start: two hand-offs fell on one instant (a short custom shift inside a DST gap).
    if (userId && end > start) out.push({ userId, start, end });
  }
  return out;
}

/** The union of a layer's restriction windows around [from, to), sorted and non-overlapping. */
export function restrictionWindows(restrictions: Restriction[], timeZone: string, from: number, to: number): Interval[] {
  const windows: Interval[] = [];
  // One day of margin each side: a window that started the day before may still be open at `from`.
  const lastDay = startOfWallDay(wallOf(to, timeZone)) + WALL_DAY_MS;
  for (let day = startOfWallDay(wallOf(from, timeZone)) - WALL_DAY_MS; day <= lastDay; day += WALL_DAY_MS) {
    const weekday = isoWeekday(day);
    for (const r of restrictions) {
      if (!r.days.includes(weekday)) continue;
      const startMin = minutesOfDay(r.start);
      let endMin = minutesOfDay(r.end);
      if (endMin <= startMin) endMin += 24 * 60;
      const start = instantOf(day + startMin * MINUTE, timeZone);
      const end = instantOf(day + endMin * MINUTE, timeZone);
      if (end > start && end > from && start < to) windows.push({ start, end });
    }
  }
  return union(windows);
}

function union(intervals: Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ ...i });
  }
  return out;
}

/** The parts of sorted, non-overlapping segments inside sorted, non-overlapping windows. */
function intersect(segs: Seg[], windows: Interval[]): Seg[] {
  const out: Seg[] = [];
  for (const s of segs) {
    for (const w of windows) {
      if (w.end <= s.start) continue;
      if (w.start >= s.end) break;
      out.push({ userId: s.userId, start: Math.max(s.start, w.start), end: Math.min(s.end, w.end) });
    }
  }
  return out;
}

/** The parts of `segs` that no hole covers (both sorted; holes non-overlapping). */
function subtract(segs: Seg[], holes: Interval[]): Seg[] {
  const out: Seg[] = [];
  for (const s of segs) {
    let start = s.start;
    for (const h of holes) {
      if (h.end <= start) continue;
      if (h.start >= s.end) break;
      if (h.start > start) out.push({ userId: s.userId, start, end: h.start });
      start = Math.max(start, h.end);
      if (start >= s.end) break;
    }
    if (start < s.end) out.push({ userId: s.userId, start, end: s.end });
  }
  return out;
}

/** `upper` wherever it has someone, `lower` elsewhere. */
function cover(lower: Seg[], upper: Seg[]): Seg[] {
  return [...subtract(lower, upper), ...upper].sort((a, b) => a.start - b.start);
}

/** One layer's coverage around [from, to): rotation, then restrictions. */
export function layerSegments(layer: LayerSpec, timeZone: string, from: number, to: number): Seg[] {
  const segs = rotationSegments(layer, timeZone, from, to);
  if (layer.restrictions.length === 0 || segs.length === 0) return segs;
  return intersect(segs, restrictionWindows(layer.restrictions, timeZone, segs[0]!.start, segs[segs.length - 1]!.end));
}

/**
 * The final timeline between [from, to): who is on call when, cut at from and to, consecutive pieces of
 * the same person joined into one shift. Times nobody covers are absent.
 */
export function shiftsBetween(spec: ScheduleSpec, from: Date, to: Date): Shift[] {
  const f = from.getTime();
  const t = to.getTime();
  if (!(t > f)) return [];
  let timeline: Seg[] = [];
  for (const layer of [...spec.layers].sort((a, b) => a.position - b.position)) {
    timeline = cover(timeline, layerSegments(layer, spec.timeZone, f, t));
  }
  const overrides = spec.overrides
    .filter((o) => o.endsAt.getTime() > f && o.startsAt.getTime() < t && o.endsAt > o.startsAt)
    .sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0));
  for (const o of overrides) timeline = cover(timeline, [{ userId: o.userId, start: o.startsAt.getTime(), end: o.endsAt.getTime() }]);

  const out: Shift[] = [];
  for (const s of timeline) {
    const start = Math.max(s.start, f);
    const end = Math.min(s.end, t);
    if (end <= start) continue;
    const last = out[out.length - 1];
    if (last && last.userId === s.userId && last.endsAt.getTime() === start) last.endsAt = new Date(end);
    else out.push({ userId: s.userId, startsAt: new Date(start), endsAt: new Date(end) });
  }
  return out;
}

/** Who is on call at an instant, or null when nobody is. */
export function whoIsOnCall(spec: ScheduleSpec, at: Date): string | null {
  return shiftsBetween(spec, at, new Date(at.getTime() + 1))[0]?.userId ?? null;
}

export const NOW_NEXT_LOOKBACK_DAYS = 31;
export const NOW_NEXT_HORIZON_DAYS = 90;

export type NowAndNext = {
  at: Date;
  /** `since` is null when the shift began more than the lookback ago; `until` (the hand-off) null when it lasts past the horizon. */
  now: { userId: string; since: Date | null; until: Date | null } | null;
  /** The next shift after the current one (or after `at` when nobody is on call): merged shifts that touch are different people, so this is the hand-off. `endsAt` null past the horizon. */
  next: { userId: string; startsAt: Date; endsAt: Date | null } | null;
};

/** Who is on call at `at`, until when, and who takes over then. */
export function onCallNowAndNext(spec: ScheduleSpec, at: Date): NowAndNext {
  const from = at.getTime() - NOW_NEXT_LOOKBACK_DAYS * WALL_DAY_MS;
  const to = at.getTime() + NOW_NEXT_HORIZON_DAYS * WALL_DAY_MS;
  const shifts = shiftsBetween(spec, new Date(from), new Date(to));
  const known = (d: Date, edge: number) => (d.getTime() === edge ? null : d);
  const current = shifts.find((s) => s.startsAt <= at && s.endsAt > at);
  const after = current ? current.endsAt : at;
  const next = shifts.find((s) => s.startsAt >= after);
  return {
    at,
    now: current ? { userId: current.userId, since: known(current.startsAt, from), until: known(current.endsAt, to) } : null,
    next: next ? { userId: next.userId, startsAt: next.startsAt, endsAt: known(next.endsAt, to) } : null,
  };
}
