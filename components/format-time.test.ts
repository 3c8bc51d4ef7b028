import { describe, expect, it } from "vitest";
import { formatLocalTime, formatTime } from "./format-time";

describe("formatLocalTime", () => {
  const at = new Date("2026-01-15T23:30:05Z");

  it("renders the wall time of the given zone with its abbreviation", () => {
    expect(formatLocalTime(at, "Europe/Berlin")).toBe("2026-01-16 00:30:05 GMT+1");
    expect(formatLocalTime(at, "America/New_York")).toBe("2026-01-15 18:30:05 EST");
    expect(formatLocalTime(at, "UTC")).toBe("2026-01-15 23:30:05 UTC");
  });

  it("agrees with formatTime in UTC and accepts ISO strings", () => {
    expect(formatLocalTime(at.toISOString(), "UTC")).toBe(formatTime(at));
  });
});
