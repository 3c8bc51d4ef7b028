import { describe, expect, it } from "vitest";
import { markOnsets } from "./mark-onsets";

describe("markOnsets", () => {
  const points = [0, 60_000, 120_000].map((t, i) => ({ t, v: i }));

  it("marks the nearest point within a step, with the onset's score", () => {
    expect(markOnsets(points, [{ from: 70_000, score: 0.9 }], 60_000)).toEqual([{ t: 60_000, v: 1, score: 0.9 }]);
  });

  it("skips onsets further than a step from every point", () => {
    expect(markOnsets(points, [{ from: 200_000, score: 1 }], 60_000)).toEqual([]);
    expect(markOnsets([], [{ from: 0, score: 1 }], 60_000)).toEqual([]);
  });
});
