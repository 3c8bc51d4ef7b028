import { describe, expect, it } from "vitest";
import { instantToWall, wallToInstant } from "./wall-time";

describe("wallToInstant / instantToWall", () => {
  it("reads a datetime-local value in the zone, across daylight saving time", () => {
    expect(wallToInstant("2026-01-15T09:00", "Europe/Berlin")?.toISOString()).toBe("2026-01-15T08:00:00.000Z");
    expect(wallToInstant("2026-07-15T09:00", "Europe/Berlin")?.toISOString()).toBe("2026-07-15T07:00:00.000Z");
    expect(wallToInstant("2026-07-15T09:00", "UTC")?.toISOString()).toBe("2026-07-15T09:00:00.000Z");
    // Skipped by the spring-forward jump: moved past it, as a calendar app does.
    expect(wallToInstant("2026-03-29T02:30", "Europe/Berlin")?.toISOString()).toBe("2026-03-29T01:30:00.000Z");
  });

  it("refuses what is not a time or a zone", () => {
    expect(wallToInstant("2026-02-31T09:00", "UTC")).toBeNull();
    expect(wallToInstant("tomorrow", "UTC")).toBeNull();
    expect(wallToInstant("2026-01-15T09:00", "Mars/Olympus")).toBeNull();
  });

  it("round-trips", () => {
    const at = new Date("2026-10-25T00:30:00Z");
    expect(instantToWall(at, "Europe/Berlin")).toBe("2026-10-25T02:30");
    expect(wallToInstant(instantToWall(at, "America/New_York"), "America/New_York")).toEqual(at);
  });
});
