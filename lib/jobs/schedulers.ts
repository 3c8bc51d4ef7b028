// Every BullMQ job scheduler NeuralOps needs, and the reconciliation that keeps Redis holding them.
// Schedulers live only in Redis: a Redis restarted without its data (or with keys evicted) has none,
// and nothing would run monitor scans, runs.sweep, audit.verify, exports.nightly or re-embedding again.
// So the worker reconciles at start, whenever its Redis connection becomes ready again, and on a
// timer; /api/health reports what is missing. Upserts are idempotent: N workers mean one schedule.
import type { Redis } from "ioredis";
import { db } from "@/lib/db";
import { redis } from "@/lib/redis";
import { queue } from "@/lib/jobs/queue";
import { JOBS, QUEUES, type JobName, type QueueName } from "@/lib/jobs/definitions";
import { scanEveryMs, scanSchedulerId } from "@/lib/monitors/schedule";

export type SchedulerSpec = {
  queue: QueueName;
  id: string;
  /** The job it creates: what health and logs name. */
  job: JobName;
  repeat: { pattern: string } | { every: number };
  data: Record<string, unknown>;
};

// Ids this module owns; any other scheduler in these queues is left alone.
const OWNED = /^(cron|scan):/;

/** The cron jobs of lib/jobs/definitions.ts (`schedule`), as schedulers `cron:<job>`. */
export function cronSchedulers(): SchedulerSpec[] {
  return (Object.entries(JOBS) as [JobName, (typeof JOBS)[JobName]][]).flatMap(([name, def]) =>
    "schedule" in def && def.schedule ? [{ queue: def.queue, id: `cron:${name}`, job: name, repeat: { pattern: def.schedule }, data: {} }] : [],
  );
}

/** The whole desired set for `queues`: the cron jobs, and a scan per enabled monitor (from the database). */
export async function desiredSchedulers(queues: ReadonlySet<QueueName> = new Set(QUEUES)): Promise<SchedulerSpec[]> {
  const specs = cronSchedulers().filter((s) => queues.has(s.queue));
  if (queues.has("insight")) {
    const monitors = await db.monitor.findMany({ where: { enabled: true }, select: { id: true, stepSeconds: true } });
    for (const m of monitors) specs.push({ queue: "insight", id: scanSchedulerId(m.id), job: "monitor.scan", repeat: { every: scanEveryMs(m.stepSeconds) }, data: { monitorId: m.id } });
  }
  return specs;
}

type Present = Map<string, { pattern?: string; every?: number }>;

async function presentSchedulers(q: QueueName): Promise<Present> {
  const list = await queue(q).getJobSchedulers(0, -1);
  return new Map(list.map((s) => [s.key, { pattern: s.pattern ?? undefined, every: s.every === undefined || s.every === null ? undefined : Number(s.every) }]));
}

const sameRepeat = (want: SchedulerSpec["repeat"], have: { pattern?: string; every?: number }) =>
  "pattern" in want ? have.pattern === want.pattern : have.every === want.every;

export type Reconciled = { created: string[]; updated: string[]; removed: string[] };

/**
 * Makes the schedulers of `queues` exactly the desired set: creates the missing, fixes changed
 * intervals, removes `cron:`/`scan:` schedulers nothing wants any more (a deleted or disabled monitor).
 */
export async function reconcileSchedulers(queues: ReadonlySet<QueueName> = new Set(QUEUES)): Promise<Reconciled> {
  // Redis before the database: a monitor's row commits before its scheduler is upserted, so a
  // scheduler seen here always has its row visible to the query after it and is never removed as stale.
  const present = new Map<QueueName, Present>();
  for (const q of queues) present.set(q, await presentSchedulers(q));
  const desired = await desiredSchedulers(queues);
  const out: Reconciled = { created: [], updated: [], removed: [] };
  for (const spec of desired) {
    const have = present.get(spec.queue)!.get(spec.id);
    if (have && sameRepeat(spec.repeat, have)) continue;
    await queue(spec.queue).upsertJobScheduler(spec.id, spec.repeat, { name: spec.job, data: spec.data });
    (have ? out.updated : out.created).push(spec.id);
  }
  const wanted = new Set(desired.map((s) => `${s.queue}/${s.id}`));
  for (const [q, ids] of present) {
    for (const id of ids.keys()) {
      if (!OWNED.test(id) || wanted.has(`${q}/${id}`)) continue;
      await queue(q).removeJobScheduler(id);
      out.removed.push(id);
    }
  }
  return out;
}

/** Desired schedulers that Redis does not hold: their job names (a monitor's id is not for every viewer) and how many. */
export async function missingSchedulers(): Promise<{ jobs: JobName[]; count: number }> {
  const present = new Map<QueueName, Present>();
  for (const q of QUEUES) present.set(q, await presentSchedulers(q));
  const missing = (await desiredSchedulers()).filter((s) => !present.get(s.queue)!.has(s.id));
  return { jobs: [...new Set(missing.map((s) => s.job))].sort(), count: missing.length };
}

export type Reconciler = { stop(): void; /** Resolves after the next reconciliation (tests, start-up). */ runNow(): Promise<void> };

/**
 * For the worker: reconcile now, whenever `connection` becomes ready again (ioredis emits `ready` after
 * every reconnect, e.g. to a Redis that restarted empty), and every `everyMs`; after a failure (the
 * database may be down too) again after `retryMs`.
 */
export function keepSchedulersReconciled(opts: {
  queues: ReadonlySet<QueueName>;
  connection?: Redis;
  everyMs?: number;
  retryMs?: number;
  log: (level: "info" | "warn", msg: string, fields?: Record<string, unknown>) => void;
}): Reconciler {
  const connection = opts.connection ?? redis();
  const everyMs = opts.everyMs ?? 60_000;
  const retryMs = opts.retryMs ?? 5_000;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const schedule = (ms: number) => {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(() => void trigger(), ms).unref();
  };
  const once = async () => {
    try {
      const r = await reconcileSchedulers(opts.queues);
      if (r.created.length || r.updated.length || r.removed.length) opts.log("warn", "job schedulers reconciled", { created: r.created, updated: r.updated, removed: r.removed });
      schedule(everyMs);
    } catch (err) {
      opts.log("warn", "job scheduler reconciliation failed; retrying", { error: (err as Error).message, retryInMs: retryMs });
      schedule(retryMs);
    }
  };
  // One run at a time; a trigger during a run asks for one more right after it.
  const trigger = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = once().finally(() => {
      running = undefined;
      if (again && !stopped) {
        again = false;
        void trigger();
      }
    });
    return running;
  };
  const onReady = () => void trigger();
  connection.on("ready", onReady);
  return {
    runNow: trigger,
    stop() {
      stopped = true;
      clearTimeout(timer);
      connection.off("ready", onReady);
    },
  };
}
