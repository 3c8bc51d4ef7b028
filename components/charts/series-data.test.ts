import { describe, expect, it } from "vitest";
import { buildModel, nearestIndex } from "./series-data";

const series = (n: number, f: (i: number) => number, step = 1000) => Array.from({ length: n }, (_, i) => ({ t: i * step, v: f(i) }));

describe("buildModel", () => {
  it("aligns series on one time column: NaN is a gap (null), a missing sample is bridged (undefined)", () => {
    const m = buildModel([
      { label: "a", points: [{ t: 0, v: 1 }, { t: 2000, v: Number.NaN }, { t: 4000, v: 3 }] },
      { label: "b", points: [{ t: 1000, v: 5 }, { t: 4000, v: 6 }] },
    ]);
    expect(m.aligned[0]).toEqual([0, 1000, 2000, 4000]);
    expect(m.aligned[1]).toEqual([1, undefined, null, 3]);
    expect(m.aligned[2]).toEqual([undefined, 5, undefined, 6]);
    expect(m.pointCount).toBe(5);
    expect([m.t0, m.t1]).toEqual([0, 4000]);
    expect(m.series[0]).toMatchObject({ min: 1, max: 3, finite: 2 });
  });

  it("sorts unsorted input and fits the value axis to points, anomalies and thresholds", () => {
    const m = buildModel(
      [{ label: "a", points: [{ t: 2000, v: 4 }, { t: 0, v: 2 }], anomalies: [{ t: 1000, v: 9, score: 0.99 }] }],
      undefined,
      [{ value: -3 }],
    );
    expect(m.series[0]!.points.map((p) => p.t)).toEqual([0, 2000]);
    expect(m.anomalyCount).toBe(1);
    expect(m.series[0]!.anomalyScore.get(1000)).toBe(0.99);
    expect(m.y.min).toBeLessThanOrEqual(-3);
    expect(m.y.max).toBeGreaterThanOrEqual(9);
  });

  it("keeps a fixed value range", () => {
    const m = buildModel([{ label: "s", points: series(5, (i) => i / 10) }], [0, 1]);
    expect([m.y.min, m.y.max]).toEqual([0, 1]);
  });

  it("widens a single instant and gives an empty chart the last hour", () => {
    const one = buildModel([{ label: "s", points: [{ t: 100_000, v: 1 }] }]);
    expect([one.t0, one.t1]).toEqual([70_000, 130_000]);
    const none = buildModel([], undefined, undefined, 7_200_000);
    expect([none.t0, none.t1, none.pointCount]).toEqual([3_600_000, 7_200_000, 0]);
  });
});

describe("nearestIndex", () => {
  const pts = series(10, (i) => i);
  it("finds the nearest point by time", () => {
    expect(nearestIndex(pts, -50)).toBe(0);
    expect(nearestIndex(pts, 3400)).toBe(3);
    expect(nearestIndex(pts, 3600)).toBe(4);
    expect(nearestIndex(pts, 99_999)).toBe(9);
    expect(nearestIndex([], 1)).toBe(-1);
  });
});
