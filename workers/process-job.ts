// Turns a BullMQ job into a handler call: validate the payload again (the queue is a trust boundary:
// anything with Redis access can add jobs), run, record metrics. Unknown names are logged and completed
// so an old or foreign job never blocks the queue.
import type { Job } from "bullmq";
import { UnrecoverableError } from "bullmq";
import { JOBS, isJobName, type JobName } from "@/lib/jobs/definitions";
import { metrics } from "@/lib/metrics/registry";
import { HANDLERS } from "@/workers/handlers";
import { REQUEST_ID_KEY } from "@/lib/jobs/queue";
import { log, withLogContext } from "@/lib/log";

export async function processJob(job: Job): Promise<unknown> {
  const { [REQUEST_ID_KEY]: requestId, ...data } = (job.data ?? {}) as Record<string, unknown>;
  return withLogContext({ job: job.name, jobId: job.id, ...(typeof requestId === "string" ? { requestId } : {}) }, () => run(job, data));
}

async function run(job: Job, data: Record<string, unknown>): Promise<unknown> {
  if (!isJobName(job.name)) {
    log("warn", "unknown job name; completing without work", { job: job.name, jobId: job.id });
    return { skipped: "unknown job" };
  }
  const name: JobName = job.name;
  const parsed = JOBS[name].schema.safeParse(data);
  if (!parsed.success) {
    // Retrying cannot fix a malformed payload.
    throw new UnrecoverableError(`invalid payload for ${name}: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`);
  }
  const m = metrics();
  const end = m.jobDuration.startTimer({ job: name });
  try {
    const result = await HANDLERS[name](parsed.data as never, { jobId: String(job.id), attempt: job.attemptsMade + 1 });
    end({ status: "completed" });
    return result;
  } catch (err) {
    end({ status: "failed" });
    m.jobFailures.inc({ job: name });
    log("error", "job failed", { job: name, jobId: job.id, attempt: job.attemptsMade + 1, error: (err as Error).message });
    throw err;
  }
}
