// Reconnect backoff: exponential with full jitter, capped, with a floor. The random source is injected.
import { describe, expect, it } from "vitest";
import { mulberry32 } from "@/test/random";
import { backoffMs } from "./connection";

const R = { minMs: 1000, maxMs: 60_000 };
const always = (x: number) => () => x;

describe("backoffMs", () => {
  it("with random() = 1 it is the cap: min·2^attempt until maxMs", () => {
    const seq = Array.from({ length: 9 }, (_, a) => backoffMs(a, R, always(1)));
    expect(seq).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000]);
  });

  it("with random() = 0.5 it is half the cap, floored at min/2", () => {
    const seq = Array.from({ length: 8 }, (_, a) => backoffMs(a, R, always(0.5)));
    expect(seq).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
  });

  it("with random() = 0 it is never below min/2", () => {
    for (let a = 0; a < 40; a++) expect(backoffMs(a, R, always(0))).toBe(500);
  });

  it("uses the random source once per call and scales it over [0, cap]", () => {
    let calls = 0;
    const r = () => {
      calls++;
      return 0.25;
    };
    expect(backoffMs(3, R, r)).toBe(2000);
    expect(calls).toBe(1);
    expect(backoffMs(10, R, always(0.1))).toBe(6000);
    expect(backoffMs(10, R, always(0.999))).toBe(59_940);
  });

  it("rounds to whole milliseconds", () => {
    expect(backoffMs(0, { minMs: 3, maxMs: 100 }, always(0.5))).toBe(2); // 1.5 → 2
    expect(backoffMs(0, { minMs: 3, maxMs: 100 }, always(1 / 3))).toBe(1.5); // the floor is min/2, unrounded
    expect(Number.isInteger(backoffMs(5, R, always(0.123456)))).toBe(true);
  });

  it("stays within [min/2, maxMs] for any random value and attempt, including huge attempts", () => {
    const rand = mulberry32(42);
    for (let i = 0; i < 2000; i++) {
      const attempt = Math.floor(rand() * 200);
      const d = backoffMs(attempt, R, rand);
      expect(d).toBeGreaterThanOrEqual(R.minMs / 2);
      expect(d).toBeLessThanOrEqual(R.maxMs);
    }
    expect(backoffMs(1e9, R, always(1))).toBe(60_000);
    expect(Number.isFinite(backoffMs(Number.MAX_SAFE_INTEGER, R, always(1)))).toBe(true);
  });

  it("jitters: different random values give different delays at the same attempt", () => {
    const rand = mulberry32(7);
    const delays = new Set(Array.from({ length: 50 }, () => backoffMs(6, R, rand)));
    expect(delays.size).toBeGreaterThan(40);
  });

  it("honours a small cap below min·2^attempt from the first attempt", () => {
    expect(backoffMs(0, { minMs: 1000, maxMs: 1500 }, always(1))).toBe(1000);
    expect(backoffMs(1, { minMs: 1000, maxMs: 1500 }, always(1))).toBe(1500);
    expect(backoffMs(20, { minMs: 1000, maxMs: 1500 }, always(1))).toBe(1500);
  });
});
