import { describe, expect, it } from "vitest";
import { formatDuration } from "./format-duration";

describe("formatDuration", () => {
  it("formats with the two largest units", () => {
    expect(formatDuration(0)).toBe("0s");
    expect(formatDuration(44.6)).toBe("45s");
    expect(formatDuration(725)).toBe("12m 5s");
    expect(formatDuration(3600)).toBe("1h");
    expect(formatDuration(3 * 3600 + 20 * 60 + 59)).toBe("3h 20m");
    expect(formatDuration(2 * 86_400 + 4 * 3600 + 5)).toBe("2d 4h");
    expect(formatDuration(86_400 + 30)).toBe("1d");
  });
  it("uses the fallback for missing values", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(undefined, "n/a")).toBe("n/a");
    expect(formatDuration(Number.NaN)).toBe("—");
    expect(formatDuration(-1)).toBe("—");
  });
});
