// Every background job, defined once: name, queue, zod payload schema and default options. Producers
// (enqueue) and the worker process (workers/process-job.ts) both validate against these schemas.
import { z } from "zod";
import type { JobsOptions } from "bullmq";

export const QUEUES = ["maintenance", "insight", "orchestrator"] as const;
export type QueueName = (typeof QUEUES)[number];

type JobDef<S extends z.ZodType> = {
  queue: QueueName;
  schema: S;
  defaults?: JobsOptions;
  /** Cron pattern for a job the worker schedules by itself (with an empty payload). */
  schedule?: string;
};

const define = <S extends z.ZodType>(def: JobDef<S>) => def;

export const JOBS = {
  // Verifies audit chains and records the verified head (so a later truncation is noticed).
  // Without orgId: every organization.
  "audit.verify": define({
    queue: "maintenance",
    schema: z.object({ orgId: z.string().uuid().optional() }).strict(),
    defaults: { attempts: 3, backoff: { type: "exponential", delay: 5_000 } },
    schedule: "17 3 * * *",
  }),
  // Pull new points of one monitor from Prometheus, score them, emit signals. Scheduled per monitor.
  "monitor.scan": define({
    queue: "insight",
    schema: z.object({ monitorId: z.string().uuid() }).strict(),
    // A failed scan is retried by the next scheduled run; retrying now would only pile up.
    defaults: { attempts: 1 },
  }),
  // Plan every step of a run without side effects; the report is what approvers see.
  "run.dry_run": define({
    queue: "orchestrator",
    schema: z.object({ runId: z.string().uuid() }).strict(),
    defaults: { attempts: 3, backoff: { type: "exponential", delay: 1_000 } },
  }),
  // Execute an approved run. Enqueued with jobId run-exec-<runId>, so a run has at most one job; a
  // retried or re-delivered job resumes where the last one stopped (lib/orchestrator/execute-run.ts).
  "run.execute": define({
    queue: "orchestrator",
    schema: z.object({ runId: z.string().uuid() }).strict(),
    defaults: { attempts: 5, backoff: { type: "exponential", delay: 2_000 }, removeOnComplete: { age: 7 * 24 * 3600 } },
  }),
  // Expire runs past their approval window; re-enqueue approved/executing runs that lost their job.
  "runs.sweep": define({
    queue: "maintenance",
    schema: z.object({}).strict(),
    defaults: { attempts: 1 },
    schedule: "* * * * *",
  }),
} as const;

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = z.input<(typeof JOBS)[N]["schema"]>;
export type ParsedPayload<N extends JobName> = z.output<(typeof JOBS)[N]["schema"]>;

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(JOBS, name);
}
