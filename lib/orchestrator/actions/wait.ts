// `wait`: let a change settle (a rollout, a cache warming up) before the next step looks at it.
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { ZDuration } from "@/lib/playbooks/schema";
import type { Action } from "./types";

export const ZWaitInput = z.object({ duration: ZDuration }).strict();
export type WaitInput = z.output<typeof ZWaitInput>;

/** 30000 → "30s", 300000 → "5m": the largest unit that divides evenly, as a playbook would write it. */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [["h", 3_600_000], ["m", 60_000], ["s", 1000]] as const) if (ms > 0 && ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

/** Resolves after ms, or throws once the signal aborts: a wait that outlives its step must not go on. */
export async function abortableSleep(ms: number, signal: AbortSignal, what: string): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch (e) {
    if (signal.aborted) throw new Error(`${what} aborted (step timeout or shutdown)`, { cause: signal.reason ?? e });
    throw e;
  }
}

export const waitAction: Action<WaitInput> = {
  name: "wait",
  schema: ZWaitInput,
  idempotent: () => true,
  async plan(input) {
    return { summary: `wait ${formatDuration(input.duration)}` };
  },
  async execute(input, ctx) {
    await abortableSleep(input.duration, ctx.signal, `wait ${formatDuration(input.duration)}`);
    return { summary: `waited ${formatDuration(input.duration)}`, output: { waitedMs: input.duration } };
  },
};
