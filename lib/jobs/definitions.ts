// Every background job, defined once: name, queue, zod payload schema and default options. Producers
// (enqueue) and the worker process (workers/process-job.ts) both validate against these schemas.
import { z } from "zod";
import type { JobsOptions } from "bullmq";

export const QUEUES = ["maintenance", "insight", "orchestrator", "etl", "vectors", "oncall"] as const;
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
  // Stream one export to JSONL; every attempt resumes at the last committed batch (lib/etl/run-export.ts).
  "export.run": define({
    queue: "etl",
    schema: z.object({ exportId: z.string().uuid() }).strict(),
    defaults: { attempts: 5, backoff: { type: "exponential", delay: 5_000 } },
  }),
  // The nightly export of every organization (the previous UTC day).
  "exports.nightly": define({
    queue: "maintenance",
    schema: z.object({}).strict(),
    defaults: { attempts: 1 },
    schedule: "30 2 * * *",
  }),
  // Embed one incident or run from its redacted text (after it was created or changed).
  "vectors.embed": define({
    queue: "vectors",
    schema: z.object({ kind: z.enum(["incident", "run"]), id: z.string().uuid() }).strict(),
    defaults: { attempts: 5, backoff: { type: "exponential", delay: 5_000 }, removeOnComplete: { age: 3600, count: 1000 } },
  }),
  // Queue embeddings for everything without a vector from the current embedder (e.g. after a change of
  // embedder, or for data from before embeddings existed).
  "vectors.reembed": define({
    queue: "maintenance",
    schema: z.object({}).strict(),
    defaults: { attempts: 1 },
    schedule: "7 * * * *",
  }),
  // On-call (lib/oncall). A new incident: silences, inhibition, then the first matching route's policy.
  // Enqueued after the ingest transaction commits (jobId oncall-opened-<incident>).
  "oncall.incident_opened": define({
    queue: "oncall",
    schema: z.object({ incidentId: z.string().uuid() }).strict(),
    defaults: { attempts: 5, backoff: { type: "exponential", delay: 1_000 } },
  }),
  // Notify one escalation step, then schedule the next as a delayed job (jobId oncall-esc-<page>-<seq>):
  // delayed jobs live in Redis, so a pending escalation survives worker restarts. Does nothing once the
  // incident is acknowledged or resolved.
  "oncall.escalate": define({
    queue: "oncall",
    schema: z.object({ pageId: z.string().uuid(), seq: z.number().int().min(0) }).strict(),
    defaults: { attempts: 5, backoff: { type: "exponential", delay: 1_000 }, removeOnComplete: { age: 24 * 3600 } },
  }),
  // One notification to one recipient (jobId oncall-notify-<attempt row>); each try is recorded on the
  // row and on the incident's timeline, the last failed one marks it failed.
  "oncall.deliver": define({
    queue: "oncall",
    schema: z.object({ attemptId: z.string().uuid() }).strict(),
    defaults: { attempts: 5, backoff: { type: "exponential", delay: 2_000 }, removeOnComplete: { age: 24 * 3600 } },
  }),
  // An incident was acknowledged or resolved: stop its escalation, tell webhook and PagerDuty channels.
  "oncall.incident_status": define({
    queue: "oncall",
    schema: z.object({ incidentId: z.string().uuid(), status: z.enum(["acknowledged", "resolved"]) }).strict(),
    defaults: { attempts: 5, backoff: { type: "exponential", delay: 1_000 } },
  }),
  // Catches what a lost enqueue would miss: new incidents without a page, overdue escalations, deliveries
  // without a job, silences that ended while their incident is still open.
  "oncall.sweep": define({
    queue: "oncall",
    schema: z.object({}).strict(),
    defaults: { attempts: 1 },
    schedule: "* * * * *",
  }),
} as const;

export type JobName = keyof typeof JOBS;
/** What a handler knows about its job besides the payload. */
export type JobContext = { jobId: string; attempt: number };
export type JobPayload<N extends JobName> = z.input<(typeof JOBS)[N]["schema"]>;
export type ParsedPayload<N extends JobName> = z.output<(typeof JOBS)[N]["schema"]>;

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(JOBS, name);
}
