// What the run pages work with: getRun's result as it travels as JSON (dates become ISO strings). The
// dry-run report and its verdict are lib/orchestrator/report.ts's.
import type { getRun } from "@/lib/orchestrator/list-runs";
import type { Verification } from "@/lib/playbooks/verify-version";

/** T as JSON.parse(JSON.stringify(t)) returns it. */
export type Jsonify<T> = T extends Date
  ? string
  : T extends string | number | boolean | null | undefined
    ? T
    : T extends readonly (infer U)[]
      ? Jsonify<U>[]
      : T extends object
        ? { [K in keyof T]: Jsonify<T[K]> }
        : T;

export type RunDetail = Jsonify<Awaited<ReturnType<typeof getRun>>>;

export function asVerification(value: unknown): Verification | null {
  return value && typeof value === "object" && "ok" in value ? (value as Verification) : null;
}

/** A server-loaded value as the client will see it. */
export function toJson<T>(value: T): Jsonify<T> {
  return JSON.parse(JSON.stringify(value)) as Jsonify<T>;
}

/** "in 59 min", "in 2 h 5 min", "expired": how long an approval window stays open. */
export function timeLeft(until: string | Date | null | undefined, now = Date.now()): string | null {
  if (!until) return null;
  const ms = new Date(until).getTime() - now;
  if (ms <= 0) return "expired";
  const min = Math.ceil(ms / 60_000);
  if (min < 60) return `${min} min left`;
  const h = Math.floor(min / 60);
  return `${h} h${min % 60 ? ` ${min % 60} min` : ""} left`;
}

/** Param inputs of the request form are named `param.<name>` so they cannot clash with its own fields. */
export const PARAM_PREFIX = "param.";
