// An in-flight cap per web process for the ingest routes (Alertmanager webhook, remote_write). During an
// alert storm more concurrent deliveries do not go faster, they wait for database connections and every
// answer gets slower until senders time out and resend. Instead a bounded number run, a bounded number
// wait (for a bounded time), and the rest are answered 503 with Retry-After at once: Alertmanager and
// Prometheus retry those, so the backlog waits in the senders, where it costs us nothing. Limits come
// from INGEST_MAX_INFLIGHT, INGEST_MAX_QUEUED and INGEST_QUEUE_TIMEOUT_MS.
import { AppError } from "@/lib/errors";
import { env } from "@/lib/env";

export type AdmissionLimits = { maxInflight: number; maxQueued: number; queueTimeoutMs: number };

/** Seconds a refused sender should wait; a second is about how long the queue takes to drain. */
export const OVERLOAD_RETRY_AFTER_SECONDS = 1;

export function overloaded(why: string): AppError {
  return new AppError("overloaded", `${why}; retry in ${OVERLOAD_RETRY_AFTER_SECONDS} s`, { retryAfterSeconds: OVERLOAD_RETRY_AFTER_SECONDS });
}

export class Admission {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limits: () => AdmissionLimits) {}

  get inflight(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Resolves with a release function once a slot is ours; throws `overloaded` when none comes in time. */
  async acquire(): Promise<() => void> {
    const { maxInflight, maxQueued, queueTimeoutMs } = this.limits();
    if (this.running < maxInflight && this.waiting.length === 0) {
      this.running++;
      return this.releaser();
    }
    if (this.waiting.length >= maxQueued || queueTimeoutMs === 0) throw overloaded(`over capacity: ${this.running} requests in flight and ${this.waiting.length} waiting`);
    await new Promise<void>((resolve, reject) => {
      const entry = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        const at = this.waiting.indexOf(entry);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(overloaded(`no capacity within ${queueTimeoutMs} ms`));
      }, queueTimeoutMs);
      this.waiting.push(entry);
    });
    // The slot was handed over by release(): `running` already counts it.
    return this.releaser();
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    };
  }
}

let shared: Admission | undefined;
/** The one admission gate of this process's ingest routes (the webhook and remote_write share capacity). */
export function ingestAdmission(): Admission {
  if (!shared) {
    shared = new Admission(() => ({ maxInflight: env().INGEST_MAX_INFLIGHT, maxQueued: env().INGEST_MAX_QUEUED, queueTimeoutMs: env().INGEST_QUEUE_TIMEOUT_MS }));
  }
  return shared;
}
