// The contract every playbook action implements. `plan` has no side effects and is what the approver
// sees in the dry-run report; `execute` performs the side effect exactly once per call and passes the
// idempotency key to the target so a retried call can be recognised there.
import type { z } from "zod";
import type { ActionName } from "@/lib/playbooks/action-names";
import type { PrometheusConnection } from "@/lib/integrations/prometheus-source";
import type { EgressGuard } from "@/lib/egress/fetch";
import type { CannotRunReason } from "@/lib/orchestrator/report";

export type ActionEnv = {
  orgId: string;
  runId: string;
  stepId: string;
  /** sha256 of the playbook version the run is pinned to; agents log it with every action they take. */
  playbookDigest: string;
  /** The org's Prometheus (verify steps), null when none is configured. */
  prometheus: PrometheusConnection | null;
  /** The org's egress policy: every outbound request of a step goes through it (lib/egress). Absent: deny all. */
  egress?: EgressGuard;
};

export type PlanContext = ActionEnv;

export type ExecuteContext = ActionEnv & {
  /** Stable for this (run, step): the same key on every retry of the step. */
  idempotencyKey: string;
  attempt: number;
  /** Aborted at the step's timeout (or when the worker shuts down). */
  signal: AbortSignal;
  /** Where a long step reports how it is going (stored as the step's output while it runs); best effort. */
  progress?: (output: Record<string, unknown>) => Promise<void>;
};

/** What a step would do, rendered with secrets as placeholders. Stored and shown to approvers. */
export type Plan = { summary: string; details?: Record<string, unknown> };

/** What a step did. Stored after secret values are scrubbed from it. */
export type ActionResult = { summary: string; output?: Record<string, unknown> };

export interface Action<W = unknown> {
  name: ActionName;
  /** Validates `with` after template rendering. */
  schema: z.ZodType<W>;
  /**
   * True when running the side effect twice has the same effect as once (or the target dedupes by the
   * idempotency key). Decides whether a step found `started` after a crash may be retried.
   */
  idempotent(input: W): boolean;
  plan(input: W, ctx: PlanContext): Promise<Plan>;
  /** The URLs the step will connect to (rendered, secrets as placeholders), for the dry-run's egress check. */
  destinations?(input: W, ctx: PlanContext): string[];
  /** What would stop the step now, besides secrets and egress (e.g. no agent for its cluster); no side effects. */
  check?(input: W, ctx: PlanContext): Promise<CannotRunReason | null>;
  execute(input: W, ctx: ExecuteContext): Promise<ActionResult>;
}

/**
 * Thrown by actions for an outcome that should not be retried (4xx from the target, a verify condition
 * that never held). Other errors are retried up to the step's `retries`.
 */
export class PermanentActionError extends Error {
  constructor(message: string, readonly output?: Record<string, unknown>) {
    super(message);
    this.name = "PermanentActionError";
  }
}

/** The request never left this process (bad URL, connection refused): safe to retry even when not idempotent. */
export class NotSentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NotSentError";
  }
}
