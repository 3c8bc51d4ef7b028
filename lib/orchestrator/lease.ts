// The execution lease: which executor may act on a run. BullMQ can hand the same job to a second
// worker while the first is still running it (its lock expired during a stalled event loop or a long
// GC pause), and a second delivery must not read a step in progress as a crash. So:
// - an executor takes the lease (a fencing token: Run.leaseToken + 1) only when no live lease exists,
//   and renews it while it works; a second executor waits until the lease ends or expires;
// - every write an executor makes starts with a conditional update on its token (fence), which also
//   locks the run row first, so a stale executor's step outcome or run transition is refused and all
//   paths lock run then steps;
// - an executor that finds it lost the lease stops (and aborts the step in flight).
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { notFound } from "@/lib/errors";

export class LeaseLost extends Error {
  constructor(runId: string) {
    super(`lost the execution lease of run ${runId}: another executor took it over`);
    this.name = "LeaseLost";
  }
}

export type LeaseOptions = {
  /** How long the lease lasts without renewal; default WORKER_LOCK_MS (a killed worker's run is taken over after about this long). */
  leaseMs?: number;
  /** How often it is renewed while the executor works; default a third of leaseMs. */
  renewEveryMs?: number;
  /** Stops the wait for another executor's lease (worker shutdown). */
  signal?: AbortSignal;
};

export type Lease = {
  token: number;
  /** Aborted once a renewal finds the lease taken over. */
  signal: AbortSignal;
  /** First statement of every transaction that writes: locks the run row and refuses (LeaseLost) unless the token is still ours. */
  fence(tx: Prisma.TransactionClient): Promise<void>;
  /** Stops renewing and lets the next executor in at once. */
  release(): Promise<void>;
};

const ACTIVE = ["approved", "executing"];

/** The lease of a run that is approved or executing, waiting while another executor holds a live one; `skipped` otherwise. */
export async function acquireLease(runId: string, opts: LeaseOptions = {}): Promise<Lease | { skipped: string }> {
  const leaseMs = opts.leaseMs ?? env().WORKER_LOCK_MS;
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  for (;;) {
    const [taken] = await db.$queryRaw<{ leaseToken: number }[]>`
      UPDATE "Run" SET "leaseToken" = "leaseToken" + 1, "leaseOwner" = ${owner}, "leaseExpiresAt" = now() + ${leaseMs} * interval '1 millisecond'
      WHERE id = ${runId}::uuid AND status::text = ANY(${ACTIVE}) AND ("leaseExpiresAt" IS NULL OR "leaseExpiresAt" <= now())
      RETURNING "leaseToken"`;
    if (taken) return holdLease(runId, taken.leaseToken, leaseMs, opts.renewEveryMs ?? Math.max(50, Math.floor(leaseMs / 3)));
    const run = await db.run.findUnique({ where: { id: runId }, select: { status: true } });
    if (!run) throw notFound("run");
    if (!ACTIVE.includes(run.status)) return { skipped: `skipped: run is ${run.status}` };
    // Another executor holds a live lease: it finishes the run, or dies and its lease runs out.
    await sleep(Math.min(1000, Math.max(50, Math.floor(leaseMs / 4))), undefined, opts.signal ? { signal: opts.signal } : {});
  }
}

function holdLease(runId: string, token: number, leaseMs: number, renewEveryMs: number): Lease {
  const lost = new AbortController();
  const renew = async (tx: Prisma.TransactionClient = db) => {
    const n = await tx.$executeRaw`UPDATE "Run" SET "leaseExpiresAt" = now() + ${leaseMs} * interval '1 millisecond' WHERE id = ${runId}::uuid AND "leaseToken" = ${token}`;
    if (n !== 1) {
      lost.abort(new LeaseLost(runId));
      throw new LeaseLost(runId);
    }
  };
  let renewing = false;
  const timer = setInterval(() => {
    if (renewing || lost.signal.aborted) return;
    renewing = true;
    // A failed renewal (database blip) is retried at the next tick; the lease is lost only when another executor has it.
    renew()
      .catch(() => undefined)
      .finally(() => (renewing = false));
  }, renewEveryMs);
  timer.unref();
  return {
    token,
    signal: lost.signal,
    fence: (tx) => renew(tx),
    async release() {
      clearInterval(timer);
      await db.$executeRaw`UPDATE "Run" SET "leaseExpiresAt" = NULL WHERE id = ${runId}::uuid AND "leaseToken" = ${token}`;
    },
  };
}
