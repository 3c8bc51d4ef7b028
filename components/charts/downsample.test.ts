import { describe, expect, it } from "vitest";
import { downsampleM4, nearestIndex, type XY } from "./downsample";

const series = (n: number, f: (i: number) => number): XY[] => Array.from({ length: n }, (_, i) => ({ t: i * 1000, v: f(i) }));

describe("downsampleM4", () => {
  it("returns small inputs unchanged", () => {
    const pts = series(40, (i) => i);
    expect(downsampleM4(pts, 0, 39_000, 10)).toBe(pts);
  });

  it("keeps at most 4 points per column, in time order, including the first, last, min and max", () => {
    const pts = series(100_000, (i) => Math.sin(i / 50) * 10 + (i === 31_337 ? 500 : 0) - (i === 77_777 ? 400 : 0));
    const out = downsampleM4(pts, 0, pts.at(-1)!.t, 800);
    expect(out.length).toBeLessThanOrEqual(800 * 4);
    expect(out.length).toBeGreaterThan(800);
    for (let i = 1; i < out.length; i++) expect(out[i]!.t).toBeGreaterThan(out[i - 1]!.t);
    expect(out[0]).toBe(pts[0]);
    expect(out.at(-1)).toBe(pts.at(-1));
    expect(out).toContain(pts[31_337]);
    expect(out).toContain(pts[77_777]);
  });

  it("preserves each column's min and max", () => {
    const pts = series(10_000, (i) => ((i * 7919) % 1000) - 500);
    const cols = 50;
    const out = downsampleM4(pts, 0, pts.at(-1)!.t, cols);
    const colOf = (t: number) => Math.min(cols - 1, Math.floor((t / pts.at(-1)!.t) * cols));
    for (let c = 0; c < cols; c++) {
      const inCol = pts.filter((p) => colOf(p.t) === c).map((p) => p.v);
      const kept = out.filter((p) => colOf(p.t) === c).map((p) => p.v);
      expect(Math.min(...kept)).toBe(Math.min(...inCol));
      expect(Math.max(...kept)).toBe(Math.max(...inCol));
    }
  });

  it("keeps a gap (NaN) once so the line breaks, without losing the points around it", () => {
    const pts = series(1000, (i) => (i >= 500 && i < 510 ? Number.NaN : i));
    const out = downsampleM4(pts, 0, 999_000, 10);
    expect(out.filter((p) => Number.isNaN(p.v))).toHaveLength(1);
    expect(out).toContain(pts[499]);
    expect(out).toContain(pts[510]);
    expect(out.length).toBeLessThanOrEqual(10 * 9);
  });

  it("handles a zero-width range", () => {
    const pts = Array.from({ length: 100 }, (_, i) => ({ t: 5, v: i }));
    expect(downsampleM4(pts, 5, 5, 10)).toBe(pts);
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
