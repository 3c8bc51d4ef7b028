// An escalation plan: the policy's steps as they were when paging started, and when each notification
// in the sequence (steps × repeats, counted by `seq`) is due.
import { storedTargets } from "@/lib/oncall/policy-targets";
import type { Target } from "@/lib/oncall/schemas";

export type Plan = { steps: { afterSeconds: number; targets: Target[] }[]; repeat: number; repeatAfterSeconds: number };

export function planOf(policy: { repeat: number; repeatAfterSeconds: number; steps: { afterSeconds: number; targets: unknown }[] }): Plan {
  return { steps: policy.steps.map((s) => ({ afterSeconds: s.afterSeconds, targets: storedTargets(s.targets) })), repeat: policy.repeat, repeatAfterSeconds: policy.repeatAfterSeconds };
}

/** How many notifications steps the whole sequence has, repeats included. */
export const totalSeqs = (p: Plan) => p.steps.length * (p.repeat + 1);

export function stepOf(p: Plan, seq: number) {
  const n = p.steps.length;
  return { index: seq % n, cycle: Math.floor(seq / n), step: p.steps[seq % n]! };
}

/**
 * When notification `seq` is due: step delays count from the start of their cycle; a cycle starts
 * `repeatAfterSeconds` after the previous cycle's last step.
 */
export function dueAt(p: Plan, startedAt: Date, seq: number): Date {
  const { step, cycle } = stepOf(p, seq);
  const cycleLength = p.steps[p.steps.length - 1]!.afterSeconds + p.repeatAfterSeconds;
  return new Date(startedAt.getTime() + (cycle * cycleLength + step.afterSeconds) * 1000);
}
