import { describe, expect, it } from "vitest";
import { dueAt, stepOf, totalSeqs, type Plan } from "@/lib/oncall/plan";

const plan: Plan = {
  steps: [
    { afterSeconds: 0, targets: [] },
    { afterSeconds: 300, targets: [] },
    { afterSeconds: 900, targets: [] },
  ],
  repeat: 2,
  repeatAfterSeconds: 600,
};
const start = new Date("2026-01-01T00:00:00Z");
const minutesAfter = (seq: number) => (dueAt(plan, start, seq).getTime() - start.getTime()) / 60_000;

describe("escalation plan", () => {
  it("counts steps over repeats", () => {
    expect(totalSeqs(plan)).toBe(9);
    expect(stepOf(plan, 4)).toMatchObject({ index: 1, cycle: 1 });
  });

  it("step delays count from the start of their cycle; a cycle starts repeatAfter after the last step", () => {
    expect([0, 1, 2].map(minutesAfter)).toEqual([0, 5, 15]);
    // The last step at 15 min, then 10 min: the second cycle starts at 25 min.
    expect([3, 4, 5, 6].map(minutesAfter)).toEqual([25, 30, 40, 50]);
  });
});
