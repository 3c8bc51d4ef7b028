import { describe, expect, it } from "vitest";
import { onCallNowAndNext, shiftsBetween, whoIsOnCall, type LayerSpec, type OverrideSpec, type ScheduleSpec } from "@/lib/oncall/schedules/compute";
import { mulberry32 } from "@/test/random";

const d = (iso: string) => new Date(iso);
const H = 3_600_000;

function layer(partial: Partial<LayerSpec> & Pick<LayerSpec, "rotation" | "participants" | "startsAt">): LayerSpec {
  return { id: `l${partial.position ?? 0}`, position: 0, handoffTime: null, handoffWeekday: null, lengthMinutes: null, restrictions: [], ...partial };
}
const schedule = (timeZone: string, layers: LayerSpec[], overrides: OverrideSpec[] = []): ScheduleSpec => ({ timeZone, layers, overrides });

/** Shifts as [user, start, end] in UTC ISO, to compare whole timelines at a glance. */
const table = (spec: ScheduleSpec, from: string, to: string) => shiftsBetween(spec, d(from), d(to)).map((s) => [s.userId, s.startsAt.toISOString(), s.endsAt.toISOString()]);
const hours = (spec: ScheduleSpec, from: string, to: string) => shiftsBetween(spec, d(from), d(to)).map((s) => (s.endsAt.getTime() - s.startsAt.getTime()) / H);

describe("daily rotation", () => {
  // 09:00 local hand-offs, starting Friday 27 March 2026, 09:00 CET; Berlin springs forward on Sunday the 29th.
  const berlin = schedule("Europe/Berlin", [layer({ rotation: "daily", handoffTime: "09:00", participants: ["a", "b", "c"], startsAt: d("2026-03-27T08:00:00Z") })]);

  it("hands off at 09:00 local on both sides of the spring DST change in Europe/Berlin (one 23 h day)", () => {
    expect(table(berlin, "2026-03-27T08:00:00Z", "2026-03-31T07:00:00Z")).toEqual([
      ["a", "2026-03-27T08:00:00.000Z", "2026-03-28T08:00:00.000Z"],
      ["b", "2026-03-28T08:00:00.000Z", "2026-03-29T07:00:00.000Z"],
      ["c", "2026-03-29T07:00:00.000Z", "2026-03-30T07:00:00.000Z"],
      ["a", "2026-03-30T07:00:00.000Z", "2026-03-31T07:00:00.000Z"],
    ]);
    expect(hours(berlin, "2026-03-27T08:00:00Z", "2026-03-31T07:00:00Z")).toEqual([24, 23, 24, 24]);
  });

  it("… and in autumn (one 25 h day), the rotation order unbroken after seven months", () => {
    // 24 Oct is day 211 after 27 Mar: 211 mod 3 = 1 → b.
    expect(table(berlin, "2026-10-24T07:00:00Z", "2026-10-26T08:00:00Z")).toEqual([
      ["b", "2026-10-24T07:00:00.000Z", "2026-10-25T08:00:00.000Z"],
      ["c", "2026-10-25T08:00:00.000Z", "2026-10-26T08:00:00.000Z"],
    ]);
  });

  it("hands off at 09:00 local across both America/New_York changes", () => {
    const ny = schedule("America/New_York", [layer({ rotation: "daily", handoffTime: "09:00", participants: ["a", "b"], startsAt: d("2026-03-06T14:00:00Z") })]);
    expect(table(ny, "2026-03-06T14:00:00Z", "2026-03-10T13:00:00Z")).toEqual([
      ["a", "2026-03-06T14:00:00.000Z", "2026-03-07T14:00:00.000Z"],
      ["b", "2026-03-07T14:00:00.000Z", "2026-03-08T13:00:00.000Z"],
      ["a", "2026-03-08T13:00:00.000Z", "2026-03-09T13:00:00.000Z"],
      ["b", "2026-03-09T13:00:00.000Z", "2026-03-10T13:00:00.000Z"],
    ]);
    expect(hours(ny, "2026-10-31T13:00:00Z", "2026-11-02T14:00:00Z")).toEqual([25, 24]);
  });

  it("a hand-off inside the skipped hour happens when the clocks have jumped (02:30 → 03:30)", () => {
    const spec = schedule("Europe/Berlin", [layer({ rotation: "daily", handoffTime: "02:30", participants: ["a", "b"], startsAt: d("2026-03-27T01:30:00Z") })]);
    expect(table(spec, "2026-03-28T01:30:00Z", "2026-03-30T00:30:00Z")).toEqual([
      ["b", "2026-03-28T01:30:00.000Z", "2026-03-29T01:30:00.000Z"], // 02:30 CET → 03:30 CEST
      ["a", "2026-03-29T01:30:00.000Z", "2026-03-30T00:30:00.000Z"], // → 02:30 CEST
    ]);
  });

  it("a hand-off in the repeated hour happens at its first occurrence", () => {
    const spec = schedule("Europe/Berlin", [layer({ rotation: "daily", handoffTime: "02:30", participants: ["a", "b"], startsAt: d("2026-10-24T00:30:00Z") })]);
    expect(table(spec, "2026-10-24T00:30:00Z", "2026-10-26T01:30:00Z")).toEqual([
      ["a", "2026-10-24T00:30:00.000Z", "2026-10-25T00:30:00.000Z"], // 02:30 CEST, the first of the two
      ["b", "2026-10-25T00:30:00.000Z", "2026-10-26T01:30:00.000Z"], // 25 h to 02:30 CET
    ]);
  });

  it("the first participant starts at startsAt and hands off at the next hand-off time", () => {
    const spec = schedule("Europe/Berlin", [layer({ rotation: "daily", handoffTime: "09:00", participants: ["a", "b"], startsAt: d("2026-01-05T12:00:00Z") })]);
    expect(whoIsOnCall(spec, d("2026-01-05T11:59:59Z"))).toBeNull();
    expect(table(spec, "2026-01-05T00:00:00Z", "2026-01-07T08:00:00Z")).toEqual([
      ["a", "2026-01-05T12:00:00.000Z", "2026-01-06T08:00:00.000Z"],
      ["b", "2026-01-06T08:00:00.000Z", "2026-01-07T08:00:00.000Z"],
    ]);
  });

  it("one participant is one long shift, cut at the window", () => {
    const spec = schedule("UTC", [layer({ rotation: "daily", handoffTime: "00:00", participants: ["solo"], startsAt: d("2026-01-01T00:00:00Z") })]);
    expect(table(spec, "2026-02-01T06:00:00Z", "2026-02-10T06:00:00Z")).toEqual([["solo", "2026-02-01T06:00:00.000Z", "2026-02-10T06:00:00.000Z"]]);
  });
});

describe("weekly rotation", () => {
  // Mondays 10:00 local; New York springs forward on Sunday 8 March 2026, falls back on Sunday 1 November.
  const ny = schedule("America/New_York", [layer({ rotation: "weekly", handoffTime: "10:00", handoffWeekday: 1, participants: ["a", "b"], startsAt: d("2026-03-02T15:00:00Z") })]);

  it("hands off on Monday 10:00 local across the New York spring change (a 167 h week)", () => {
    expect(table(ny, "2026-03-02T15:00:00Z", "2026-03-16T14:00:00Z")).toEqual([
      ["a", "2026-03-02T15:00:00.000Z", "2026-03-09T14:00:00.000Z"],
      ["b", "2026-03-09T14:00:00.000Z", "2026-03-16T14:00:00.000Z"],
    ]);
    expect(hours(ny, "2026-03-02T15:00:00Z", "2026-03-16T14:00:00Z")).toEqual([167, 168]);
  });

  it("… and the autumn change (a 169 h week)", () => {
    // 26 Oct is 34 weeks after 2 Mar: even → a.
    expect(table(ny, "2026-10-26T14:00:00Z", "2026-11-09T15:00:00Z")).toEqual([
      ["a", "2026-10-26T14:00:00.000Z", "2026-11-02T15:00:00.000Z"],
      ["b", "2026-11-02T15:00:00.000Z", "2026-11-09T15:00:00.000Z"],
    ]);
    expect(hours(ny, "2026-10-26T14:00:00Z", "2026-11-09T15:00:00Z")).toEqual([169, 168]);
  });

  it("in Europe/Berlin too, and a start mid-week gives the first participant the rest of that week", () => {
    // Wednesday 25 March 12:00 CET; hand-offs Mondays 09:00.
    const spec = schedule("Europe/Berlin", [layer({ rotation: "weekly", handoffTime: "09:00", handoffWeekday: 1, participants: ["a", "b"], startsAt: d("2026-03-25T11:00:00Z") })]);
    expect(table(spec, "2026-03-25T00:00:00Z", "2026-04-06T07:00:00Z")).toEqual([
      ["a", "2026-03-25T11:00:00.000Z", "2026-03-30T07:00:00.000Z"],
      ["b", "2026-03-30T07:00:00.000Z", "2026-04-06T07:00:00.000Z"],
    ]);
  });

  it("a hand-off weekday before startsAt's weekday is next week's", () => {
    // startsAt Friday; hand-offs Tuesdays.
    const spec = schedule("UTC", [layer({ rotation: "weekly", handoffTime: "08:00", handoffWeekday: 2, participants: ["a", "b"], startsAt: d("2026-01-09T08:00:00Z") })]);
    expect(table(spec, "2026-01-09T00:00:00Z", "2026-01-20T08:00:00Z")).toEqual([
      ["a", "2026-01-09T08:00:00.000Z", "2026-01-13T08:00:00.000Z"],
      ["b", "2026-01-13T08:00:00.000Z", "2026-01-20T08:00:00.000Z"],
    ]);
  });
});

describe("custom rotation", () => {
  it("12 h shifts keep their 08:00 / 20:00 local hand-offs over a DST change (one 11 h night)", () => {
    const spec = schedule("Europe/Berlin", [layer({ rotation: "custom", lengthMinutes: 720, participants: ["day", "night"], startsAt: d("2026-03-28T07:00:00Z") })]);
    expect(table(spec, "2026-03-28T07:00:00Z", "2026-03-29T18:00:00Z")).toEqual([
      ["day", "2026-03-28T07:00:00.000Z", "2026-03-28T19:00:00.000Z"],
      ["night", "2026-03-28T19:00:00.000Z", "2026-03-29T06:00:00.000Z"],
      ["day", "2026-03-29T06:00:00.000Z", "2026-03-29T18:00:00.000Z"],
    ]);
  });

  it("a length that is not a day cycles through participants in order", () => {
    const spec = schedule("UTC", [layer({ rotation: "custom", lengthMinutes: 300, participants: ["a", "b", "c"], startsAt: d("2026-01-01T00:00:00Z") })]);
    expect(shiftsBetween(spec, d("2026-01-01T00:00:00Z"), d("2026-01-02T06:00:00Z")).map((s) => s.userId).join("")).toBe("abcabc");
    expect(whoIsOnCall(spec, d("2026-01-01T14:59:59Z"))).toBe("c");
    expect(whoIsOnCall(spec, d("2026-01-01T15:00:00Z"))).toBe("a");
  });

  it("asks nothing of dates far from the anchor (a year of hourly shifts)", () => {
    const spec = schedule("Europe/Berlin", [layer({ rotation: "custom", lengthMinutes: 60, participants: ["a", "b"], startsAt: d("2026-01-01T00:00:00Z") })]);
    const shifts = shiftsBetween(spec, d("2026-01-01T00:00:00Z"), d("2027-01-01T00:00:00Z"));
    // 8760 hours; the skipped hour makes one shift vanish into the jump, the repeated one makes one 2 h long.
    expect(shifts.length).toBeGreaterThan(8755);
    expect(shifts.every((s, i) => i === 0 || s.startsAt.getTime() === shifts[i - 1]!.endsAt.getTime())).toBe(true);
  });
});

describe("layers", () => {
  // Bottom: a and b alternate daily at 09:00. Top: c in business hours (Mon–Fri 09:00–17:00 Berlin).
  const bottom = layer({ id: "bottom", position: 0, rotation: "daily", handoffTime: "09:00", participants: ["a", "b"], startsAt: d("2026-01-05T08:00:00Z") });
  const business = layer({
    id: "top",
    position: 1,
    rotation: "weekly",
    handoffTime: "09:00",
    handoffWeekday: 1,
    participants: ["c"],
    startsAt: d("2026-01-05T08:00:00Z"),
    restrictions: [{ days: [1, 2, 3, 4, 5], start: "09:00", end: "17:00" }],
  });
  const spec = schedule("Europe/Berlin", [business, bottom]);

  it("the top-most layer with someone wins; outside its windows the layer below shows through", () => {
    expect(whoIsOnCall(spec, d("2026-01-05T09:00:00Z"))).toBe("c"); // Monday 10:00
    expect(whoIsOnCall(spec, d("2026-01-05T17:00:00Z"))).toBe("a"); // Monday 18:00
    expect(whoIsOnCall(spec, d("2026-01-06T07:59:00Z"))).toBe("a"); // Tuesday 08:59
    expect(whoIsOnCall(spec, d("2026-01-06T15:59:59Z"))).toBe("c"); // Tuesday 16:59:59
    expect(whoIsOnCall(spec, d("2026-01-06T16:00:00Z"))).toBe("b"); // Tuesday 17:00: business hours are over
    expect(whoIsOnCall(spec, d("2026-01-10T10:00:00Z"))).toBe("b"); // Saturday: day 5 → b
  });

  it("the merged timeline of a working day", () => {
    expect(table(spec, "2026-01-05T08:00:00Z", "2026-01-06T08:00:00Z")).toEqual([
      ["c", "2026-01-05T08:00:00.000Z", "2026-01-05T16:00:00.000Z"],
      ["a", "2026-01-05T16:00:00.000Z", "2026-01-06T08:00:00.000Z"],
    ]);
  });

  it("business hours stay 09:00–17:00 local after the DST change", () => {
    expect(table(spec, "2026-03-30T06:00:00Z", "2026-03-30T16:00:00Z").map(([user, start]) => `${user}${start!.slice(11, 16)}`)).toEqual(["b06:00", "c07:00", "a15:00"]);
  });

  it("an overnight window (17:00–09:00) runs into the next morning", () => {
    const nights = layer({ ...business, id: "nights", restrictions: [{ days: [1], start: "17:00", end: "09:00" }] });
    const s = schedule("Europe/Berlin", [bottom, nights]);
    expect(whoIsOnCall(s, d("2026-01-05T20:00:00Z"))).toBe("c"); // Monday 21:00
    expect(whoIsOnCall(s, d("2026-01-06T07:00:00Z"))).toBe("c"); // Tuesday 08:00, from Monday's window
    expect(whoIsOnCall(s, d("2026-01-06T20:00:00Z"))).toBe("b"); // Tuesday 21:00: no window, the bottom layer
  });

  it("a turn nobody takes (null) leaves the time to the layers below", () => {
    const top = layer({ id: "t", position: 5, rotation: "daily", handoffTime: "09:00", participants: ["x", null], startsAt: d("2026-01-05T08:00:00Z") });
    const s = schedule("Europe/Berlin", [bottom, top]);
    expect(whoIsOnCall(s, d("2026-01-05T12:00:00Z"))).toBe("x");
    expect(whoIsOnCall(s, d("2026-01-06T12:00:00Z"))).toBe("b");
  });

  it("layer order is by position, not by list order", () => {
    const low = layer({ id: "low", position: 1, rotation: "daily", handoffTime: "00:00", participants: ["low"], startsAt: d("2026-01-01T00:00:00Z") });
    const high = layer({ id: "high", position: 2, rotation: "daily", handoffTime: "00:00", participants: ["high"], startsAt: d("2026-01-01T00:00:00Z") });
    expect(whoIsOnCall(schedule("UTC", [high, low]), d("2026-02-01T00:00:00Z"))).toBe("high");
    expect(whoIsOnCall(schedule("UTC", [low, high]), d("2026-02-01T00:00:00Z"))).toBe("high");
  });
});

describe("overrides", () => {
  const base = layer({ rotation: "daily", handoffTime: "09:00", participants: ["a", "b"], startsAt: d("2026-01-05T08:00:00Z") });

  it("beat every layer for their span and cut the shift they fall in", () => {
    const spec = schedule("Europe/Berlin", [base], [{ id: "o1", userId: "x", startsAt: d("2026-01-05T12:00:00Z"), endsAt: d("2026-01-05T14:00:00Z") }]);
    expect(table(spec, "2026-01-05T08:00:00Z", "2026-01-06T08:00:00Z")).toEqual([
      ["a", "2026-01-05T08:00:00.000Z", "2026-01-05T12:00:00.000Z"],
      ["x", "2026-01-05T12:00:00.000Z", "2026-01-05T14:00:00.000Z"],
      ["a", "2026-01-05T14:00:00.000Z", "2026-01-06T08:00:00.000Z"],
    ]);
  });

  it("cover times no layer covers, and the later override wins where two overlap", () => {
    const spec = schedule(
      "UTC",
      [],
      [
        { id: "o2", userId: "late", startsAt: d("2026-01-01T02:00:00Z"), endsAt: d("2026-01-01T04:00:00Z"), createdAt: d("2026-01-01T00:00:02Z") },
        { id: "o1", userId: "early", startsAt: d("2026-01-01T01:00:00Z"), endsAt: d("2026-01-01T03:00:00Z"), createdAt: d("2026-01-01T00:00:01Z") },
      ],
    );
    expect(table(spec, "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z")).toEqual([
      ["early", "2026-01-01T01:00:00.000Z", "2026-01-01T02:00:00.000Z"],
      ["late", "2026-01-01T02:00:00.000Z", "2026-01-01T04:00:00.000Z"],
    ]);
  });

  it("an override by the person already on call joins their shift", () => {
    const spec = schedule("Europe/Berlin", [base], [{ id: "o", userId: "a", startsAt: d("2026-01-06T06:00:00Z"), endsAt: d("2026-01-06T10:00:00Z") }]);
    expect(table(spec, "2026-01-05T08:00:00Z", "2026-01-07T08:00:00Z")).toEqual([
      ["a", "2026-01-05T08:00:00.000Z", "2026-01-06T10:00:00.000Z"],
      ["b", "2026-01-06T10:00:00.000Z", "2026-01-07T08:00:00.000Z"],
    ]);
  });
});

describe("empty schedules", () => {
  it("nobody is on call in a schedule with no layers, or with layers without participants", () => {
    expect(whoIsOnCall(schedule("UTC", []), d("2026-01-01T00:00:00Z"))).toBeNull();
    expect(shiftsBetween(schedule("UTC", []), d("2026-01-01T00:00:00Z"), d("2026-02-01T00:00:00Z"))).toEqual([]);
    const noOne = schedule("UTC", [layer({ rotation: "daily", handoffTime: "09:00", participants: [], startsAt: d("2025-01-01T00:00:00Z") })]);
    expect(whoIsOnCall(noOne, d("2026-01-01T00:00:00Z"))).toBeNull();
    expect(onCallNowAndNext(noOne, d("2026-01-01T00:00:00Z"))).toEqual({ at: d("2026-01-01T00:00:00Z"), now: null, next: null });
  });

  it("an empty or reversed window has no shifts", () => {
    const spec = schedule("UTC", [layer({ rotation: "daily", handoffTime: "09:00", participants: ["a"], startsAt: d("2025-01-01T00:00:00Z") })]);
    expect(shiftsBetween(spec, d("2026-01-02T00:00:00Z"), d("2026-01-01T00:00:00Z"))).toEqual([]);
    expect(shiftsBetween(spec, d("2026-01-01T00:00:00Z"), d("2026-01-01T00:00:00Z"))).toEqual([]);
  });
});

describe("now and next", () => {
  const spec = schedule("Europe/Berlin", [layer({ rotation: "daily", handoffTime: "09:00", participants: ["a", "b"], startsAt: d("2026-03-27T08:00:00Z") })]);

  it("says who is on call, since when, the hand-off time and who takes over", () => {
    expect(onCallNowAndNext(spec, d("2026-03-28T20:00:00Z"))).toEqual({
      at: d("2026-03-28T20:00:00Z"),
      now: { userId: "b", since: d("2026-03-28T08:00:00Z"), until: d("2026-03-29T07:00:00Z") },
      next: { userId: "a", startsAt: d("2026-03-29T07:00:00Z"), endsAt: d("2026-03-30T07:00:00Z") },
    });
  });

  it("when nobody is on call, next is the first shift to come", () => {
    const r = onCallNowAndNext(spec, d("2026-03-20T00:00:00Z"));
    expect(r.now).toBeNull();
    expect(r.next).toEqual({ userId: "a", startsAt: d("2026-03-27T08:00:00Z"), endsAt: d("2026-03-28T08:00:00Z") });
  });

  it("a shift longer than the horizon has no known end, and nobody next", () => {
    const solo = schedule("UTC", [layer({ rotation: "daily", handoffTime: "00:00", participants: ["solo"], startsAt: d("2026-01-01T00:00:00Z") })]);
    expect(onCallNowAndNext(solo, d("2026-01-05T00:00:00Z"))).toEqual({ at: d("2026-01-05T00:00:00Z"), now: { userId: "solo", since: d("2026-01-01T00:00:00Z"), until: null }, next: null });
    expect(onCallNowAndNext(solo, d("2026-06-01T00:00:00Z")).now?.since).toBeNull();
  });
});

describe("consistency", () => {
  it("who is on call at an instant is the timeline's shift at that instant, across DST changes and layers", () => {
    const rnd = mulberry32(16);
    const spec = schedule(
      "America/New_York",
      [
        layer({ id: "1", position: 0, rotation: "weekly", handoffTime: "10:00", handoffWeekday: 1, participants: ["a", "b", "c"], startsAt: d("2026-01-05T15:00:00Z") }),
        layer({ id: "2", position: 1, rotation: "custom", lengthMinutes: 720, participants: ["d", null, "e"], startsAt: d("2026-02-01T13:00:00Z"), restrictions: [{ days: [6, 7], start: "08:00", end: "20:00" }] }),
      ],
      [{ id: "o", userId: "x", startsAt: d("2026-03-08T05:00:00Z"), endsAt: d("2026-03-08T09:00:00Z") }],
    );
    const from = d("2026-01-01T00:00:00Z");
    const to = d("2026-12-31T00:00:00Z");
    const shifts = shiftsBetween(spec, from, to);
    for (let i = 0; i < 500; i++) {
      const t = new Date(from.getTime() + Math.floor(rnd() * (to.getTime() - from.getTime())));
      const expected = shifts.find((s) => s.startsAt <= t && t < s.endsAt)?.userId ?? null;
      expect(whoIsOnCall(spec, t), t.toISOString()).toBe(expected);
    }
    // A timeline computed in two pieces, joined at the cut, is the whole one.
    const mid = d("2026-03-08T07:00:00Z");
    const joined = [...shiftsBetween(spec, from, mid), ...shiftsBetween(spec, mid, to)];
    for (let i = joined.length - 1; i > 0; i--) {
      const [prev, cur] = [joined[i - 1]!, joined[i]!];
      if (prev.userId === cur.userId && prev.endsAt.getTime() === cur.startsAt.getTime()) joined.splice(i - 1, 2, { ...prev, endsAt: cur.endsAt });
    }
    expect(joined).toEqual(shifts);
  });
});
