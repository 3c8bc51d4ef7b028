import { describe, expect, it } from "vitest";
import { ZRecurrence, inWindow } from "@/lib/oncall/recurrence";

const win = (r: Record<string, unknown>) => ZRecurrence.parse(r);

describe("maintenance windows", () => {
  it("is inside on a listed day between start and end, in the window's time zone", () => {
    const r = win({ days: ["tue"], start: "22:00", end: "23:30", timeZone: "Europe/Paris" });
    // Tuesday 2026-03-10: Paris is UTC+1 (winter time).
    expect(inWindow(r, new Date("2026-03-10T21:15:00Z"))).toBe(true); // 22:15 Paris
    expect(inWindow(r, new Date("2026-03-10T20:59:00Z"))).toBe(false); // 21:59 Paris
    expect(inWindow(r, new Date("2026-03-10T22:30:00Z"))).toBe(false); // 23:30 Paris: the end is excluded
    expect(inWindow(r, new Date("2026-03-11T21:15:00Z"))).toBe(false); // a Wednesday
  });

  it("follows daylight saving time", () => {
    const r = win({ days: ["tue"], start: "22:00", end: "23:00", timeZone: "Europe/Paris" });
    // Tuesday 2026-07-07: Paris is UTC+2.
    expect(inWindow(r, new Date("2026-07-07T20:30:00Z"))).toBe(true);
    expect(inWindow(r, new Date("2026-07-07T21:30:00Z"))).toBe(false);
  });

  it("a window ending at or before its start runs past midnight into the next day", () => {
    const r = win({ days: ["sat"], start: "23:00", end: "02:00", timeZone: "UTC" });
    expect(inWindow(r, new Date("2026-03-14T23:30:00Z"))).toBe(true); // Saturday night
    expect(inWindow(r, new Date("2026-03-15T01:59:00Z"))).toBe(true); // Sunday morning
    expect(inWindow(r, new Date("2026-03-15T02:00:00Z"))).toBe(false);
    expect(inWindow(r, new Date("2026-03-15T23:30:00Z"))).toBe(false); // Sunday night: not listed
  });

  it("refuses unknown time zones, bad times and empty windows", () => {
    expect(ZRecurrence.safeParse({ days: ["mon"], start: "22:00", end: "23:00", timeZone: "Mars/Olympus" }).success).toBe(false);
    expect(ZRecurrence.safeParse({ days: ["mon"], start: "24:00", end: "23:00" }).success).toBe(false);
    expect(ZRecurrence.safeParse({ days: ["mon"], start: "22:00", end: "22:00" }).success).toBe(false);
    expect(ZRecurrence.safeParse({ days: [], start: "22:00", end: "23:00" }).success).toBe(false);
  });
});
