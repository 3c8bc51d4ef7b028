// The one queue module: names BullMQ queues, owns their Redis connection, and validates on enqueue.
import { Queue, type JobsOptions } from "bullmq";
import { currentRequestId } from "@/lib/log";
import { env } from "@/lib/env";
import { redis } from "@/lib/redis";
import { AppError } from "@/lib/errors";
import { JOBS, type JobName, type JobPayload, type QueueName } from "@/lib/jobs/definitions";

const BASE_DEFAULTS: JobsOptions = {
  attempts: 3,
  backoff: { type: "exponential", delay: 2_000 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

const g = globalThis as unknown as { __neuralopsQueues?: Map<QueueName, Queue> };

/** BullMQ's own key prefix: every queue key lives under `<REDIS_PREFIX>:bull:`. */
export function bullPrefix(): string {
  return `${env().REDIS_PREFIX}:bull`;
}

export function queue(name: QueueName): Queue {
  const queues = (g.__neuralopsQueues ??= new Map());
  let q = queues.get(name);
  if (!q) {
    q = new Queue(name, { connection: redis(), prefix: bullPrefix(), defaultJobOptions: BASE_DEFAULTS });
    // ioredis reconnects by itself and /api/health reports the outage; without a listener BullMQ would
    // print every failed reconnect attempt to stderr.
    q.on("error", () => {});
    queues.set(name, q);
  }
  return q;
}

export async function enqueue<N extends JobName>(name: N, payload: JobPayload<N>, opts: JobsOptions = {}) {
  const def = JOBS[name];
  const parsed = def.schema.safeParse(payload);
  if (!parsed.success) {
    throw new AppError("validation_failed", `invalid payload for job ${name}`, parsed.error.issues);
  }
  return queue(def.queue).add(name, withRequestId(parsed.data), { ...BASE_DEFAULTS, ...def.defaults, ...opts });
}

/**
 * Job data carries the id of the HTTP request that enqueued it (REQUEST_ID_KEY, outside the job's own
 * schema; processJob takes it off before validating), so the worker's log lines name the same request.
 */
export const REQUEST_ID_KEY = "_requestId";
function withRequestId<T>(data: T): T {
  const requestId = currentRequestId();
  return requestId && data && typeof data === "object" ? { ...data, [REQUEST_ID_KEY]: requestId } : data;
}

/** Several jobs of one kind in one round trip (validated like enqueue). */
export async function enqueueMany<N extends JobName>(jobs: readonly { name: N; payload: JobPayload<N>; opts?: JobsOptions }[]) {
  if (!jobs.length) return [];
  const def = JOBS[jobs[0]!.name];
  const bulk = jobs.map(({ name, payload, opts }) => {
    const parsed = JOBS[name].schema.safeParse(payload);
    if (!parsed.success) throw new AppError("validation_failed", `invalid payload for job ${name}`, parsed.error.issues);
    return { name, data: withRequestId(parsed.data), opts: { ...BASE_DEFAULTS, ...JOBS[name].defaults, ...opts } };
  });
  return queue(def.queue).addBulk(bulk);
}

export async function closeQueues(): Promise<void> {
  const queues = g.__neuralopsQueues;
  g.__neuralopsQueues = undefined;
  if (queues) await Promise.all([...queues.values()].map((q) => q.close()));
}
