import { describe, expect, it } from "vitest";
import { instantOf, isValidTimeZone, isoWeekday, offsetAt, wallOf } from "@/lib/oncall/schedules/zoned-time";

const wall = (iso: string) => Date.parse(`${iso}Z`);
const utc = (iso: string) => Date.parse(iso);

describe("time zones", () => {
  it("accepts IANA zone names only", () => {
    for (const z of ["Europe/Berlin", "America/New_York", "UTC", "Asia/Kolkata", "America/Argentina/Buenos_Aires"]) expect(isValidTimeZone(z), z).toBe(true);
    for (const z of ["Mars/Olympus", "+01:00", "", "Europe/Berlin ", "CET;DROP"]) expect(isValidTimeZone(z), z).toBe(false);
  });

  it("reads wall-clock time and offsets on both sides of a DST change", () => {
    expect(wallOf(utc("2026-03-29T00:59:59Z"), "Europe/Berlin")).toBe(wall("2026-03-29T01:59:59"));
    expect(wallOf(utc("2026-03-29T01:00:00Z"), "Europe/Berlin")).toBe(wall("2026-03-29T03:00:00"));
    expect(offsetAt(utc("2026-07-01T00:00:00Z"), "America/New_York")).toBe(-4 * 3_600_000);
    expect(offsetAt(utc("2026-01-01T00:00:00Z"), "America/New_York")).toBe(-5 * 3_600_000);
    expect(wallOf(utc("2026-01-01T00:00:00.250Z"), "UTC")).toBe(wall("2026-01-01T00:00:00.250"));
  });

  it("an ordinary local time is one instant", () => {
    expect(instantOf(wall("2026-06-15T09:00"), "Europe/Berlin")).toBe(utc("2026-06-15T07:00Z"));
    expect(instantOf(wall("2026-12-15T09:00"), "America/New_York")).toBe(utc("2026-12-15T14:00Z"));
  });

  it("a skipped local time (clocks go forward) moves forward by the gap", () => {
    expect(instantOf(wall("2026-03-29T02:30"), "Europe/Berlin")).toBe(utc("2026-03-29T01:30Z")); // 03:30 CEST
    expect(instantOf(wall("2026-03-08T02:30"), "America/New_York")).toBe(utc("2026-03-08T07:30Z")); // 03:30 EDT
  });

  it("a repeated local time (clocks go back) is its first occurrence", () => {
    expect(instantOf(wall("2026-10-25T02:30"), "Europe/Berlin")).toBe(utc("2026-10-25T00:30Z")); // 02:30 CEST
    expect(instantOf(wall("2026-11-01T01:30"), "America/New_York")).toBe(utc("2026-11-01T05:30Z")); // 01:30 EDT
  });

  it("round-trips every half hour across a whole year", () => {
    for (const zone of ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe"]) {
      for (let t = utc("2026-01-01T00:00Z"); t < utc("2027-01-01T00:00Z"); t += 30 * 60_000) {
        const w = wallOf(t, zone);
        // In a repeated hour the second occurrence maps back to the first; otherwise exactly back.
        const back = instantOf(w, zone);
        if (back !== t) expect(wallOf(back, zone)).toBe(w);
        expect(back).toBeLessThanOrEqual(t);
      }
    }
  });

  it("numbers weekdays from Monday = 1 to Sunday = 7", () => {
    expect(isoWeekday(wall("2026-03-02T12:00"))).toBe(1);
    expect(isoWeekday(wall("2026-03-08T23:59"))).toBe(7);
  });

  it("reads years outside four digits too", () => {
    expect(wallOf(utc("+010000-01-01T00:00:00Z"), "UTC")).toBe(utc("+010000-01-01T00:00:00Z"));
    expect(wallOf(utc("0900-06-01T12:00:00Z"), "UTC")).toBe(utc("0900-06-01T12:00:00Z"));
  });
});
