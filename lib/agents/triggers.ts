// Triggers: signed requests to an agent, stored before they are sent. The table is the source of truth;
// Redis pub/sub only wakes the gateway that holds the agent's socket (dispatch) and the worker waiting for
// the outcome. Either message may be lost: the gateway sweeps and the waiter polls.
import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { db } from "@/lib/db";
import { redis, redisKey } from "@/lib/redis";
import { systemActor } from "@/lib/context";
import { appendAudit } from "@/lib/audit/append-audit";
import { Prisma, type AgentTrigger } from "@/lib/generated/prisma/client";
import { signBytes, TRIGGER_MAX_TTL_MS, type AgentAction, type Outcome, type RejectionCode, type SignedTrigger, type TriggerPayload } from "@/lib/agents/protocol";
import { orgTriggerKey } from "@/lib/agents/signing-key";

/** Ended with an outcome on record. `cancelled` is terminal too, but a late result may still replace it. */
const FINAL = ["succeeded", "failed", "rejected", "expired"];
export const TERMINAL = new Set([...FINAL, "cancelled"]);
/** Statuses the gateway (re)sends on connect: never accepted by the agent. */
export const UNDELIVERED = ["pending", "sent"];

export const dispatchChannel = () => redisKey("agent", "dispatch");
export const outcomeChannel = () => redisKey("agent", "outcome");
/** "Re-check this cluster's key": every gateway closes a session whose key is no longer the cluster's. */
export const evictionChannel = () => redisKey("agent", "evict");

export type IssueInput = {
  orgId: string;
  clusterId: string;
  runId: string | null;
  stepId: string | null;
  attempt: number | null;
  playbookDigest: string | null;
  mode: "execute" | "dryRun";
  action: AgentAction;
  params: Record<string, unknown>;
  ttlMs?: number;
};

/** What the agent reported, and why it refused, as stored on the row (JSON columns). */
export const outcomeOf = (t: Pick<AgentTrigger, "outcome">) => t.outcome as Outcome | null;
export const rejectionOf = (t: Pick<AgentTrigger, "rejection">) => t.rejection as { code: RejectionCode; reason: string } | null;

/** The signed trigger as it goes on the wire. */
export const wireTrigger = (t: Pick<AgentTrigger, "payload" | "signature">): SignedTrigger => ({ payload: t.payload, signature: t.signature });

export async function signPayload(orgId: string, payload: TriggerPayload): Promise<{ payload: string; signature: string }> {
  const key = await orgTriggerKey(orgId);
  const text = JSON.stringify(payload);
  return { payload: text, signature: signBytes(key.privateKey, text) };
}

/**
 * Stores and signs a trigger, then wakes the gateways. An execution is keyed by (run, step, attempt): a
 * worker that crashed and re-runs the same attempt gets the trigger it issued before, with the same nonce,
 * so the agent recognises the repeat instead of acting twice.
 */
export async function issueTrigger(input: IssueInput): Promise<AgentTrigger> {
  if (input.mode === "execute" && input.runId && input.stepId && input.attempt !== null) {
    const existing = await db.agentTrigger.findFirst({ where: { runId: input.runId, stepId: input.stepId, mode: "execute", attempt: input.attempt } });
    if (existing) return existing;
  }
  const issuedAt = new Date();
  const expiresAt = new Date(issuedAt.getTime() + Math.min(input.ttlMs ?? TRIGGER_MAX_TTL_MS, TRIGGER_MAX_TTL_MS));
  const nonce = randomBytes(18).toString("base64url");
  const payload: TriggerPayload = {
    v: 1,
    clusterId: input.clusterId,
    runId: input.runId,
    stepId: input.stepId,
    nonce,
    playbookDigest: input.playbookDigest,
    action: input.action,
    mode: input.mode,
    params: input.params,
    issuedAt: issuedAt.toISOString(),
    expiresAt: expiresAt.toISOString(),
  };
  const signed = await signPayload(input.orgId, payload);
  let row: AgentTrigger;
  try {
    row = await db.agentTrigger.create({
      data: {
        orgId: input.orgId,
        clusterId: input.clusterId,
        runId: input.runId,
        stepId: input.stepId,
        attempt: input.attempt,
        mode: input.mode,
        action: input.action,
        nonce,
        payload: signed.payload,
        signature: signed.signature,
        expiresAt,
      },
    });
  } catch (e) {
    // Two executors of the same attempt raced: use the winner's trigger.
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002" && input.runId)
      return db.agentTrigger.findFirstOrThrow({ where: { runId: input.runId, stepId: input.stepId, mode: "execute", attempt: input.attempt } });
    throw e;
  }
  await redis().publish(dispatchChannel(), input.clusterId);
  return row;
}

const agentActor = (orgId: string, clusterId: string) => systemActor(`agent:${clusterId}`, orgId);

async function publishOutcome(triggerId: string) {
  await redis().publish(outcomeChannel(), triggerId);
}

/** The agent verified the trigger and started it: from now on it is never sent again. */
export async function recordAccepted(clusterId: string, nonce: string): Promise<void> {
  await db.agentTrigger.updateMany({ where: { clusterId, nonce, status: { in: UNDELIVERED } }, data: { status: "accepted", acceptedAt: new Date() } });
}

/**
 * Stores an agent's result. Returns false when the nonce is not this cluster's (the agent is then told
 * nothing: it keeps the result until a matching trigger exists, which never happens, and drops it on expiry).
 */
export async function recordResult(clusterId: string, nonce: string, outcome: Outcome): Promise<boolean> {
  const row = await db.agentTrigger.findUnique({ where: { nonce } });
  if (!row || row.clusterId !== clusterId) return false;
  if (FINAL.includes(row.status)) return true; // a repeat of a stored result
  await db.$transaction(async (tx) => {
    const done = await tx.agentTrigger.updateMany({
      where: { id: row.id, status: { notIn: FINAL } },
      data: { status: outcome.ok ? "succeeded" : "failed", outcome: outcome as unknown as Prisma.InputJsonValue, finishedAt: new Date() },
    });
    if (done.count !== 1) return;
    await appendAudit(tx, {
      actor: agentActor(row.orgId, clusterId),
      action: outcome.ok ? "agent.action_succeeded" : "agent.action_failed",
      target: { type: "agent_trigger", id: row.id },
      data: { clusterId, runId: row.runId, stepId: row.stepId, mode: row.mode, action: row.action, exitStatus: outcome.exitStatus, summary: outcome.summary, error: outcome.error },
    });
  });
  await publishOutcome(row.id);
  return true;
}

/**
 * A result the gateway could not read (it breaks the protocol's schema): the trigger fails with 422 instead, so
 * the step ends (4xx is not retried) rather than waiting for a result the agent can never deliver.
 */
export function recordUnreadableResult(clusterId: string, nonce: string, problem: string): Promise<boolean> {
  return recordResult(clusterId, nonce, {
    ok: false,
    exitStatus: 422,
    summary: "the agent's result was malformed and refused by the control plane; check the target, then the agent's version and log",
    error: problem.slice(0, 4000),
  });
}

/** Every rejection is audited, also one that names no trigger we issued (a forgery, a replay from elsewhere). */
export async function recordRejection(cluster: { id: string; orgId: string }, nonce: string | null, code: RejectionCode, reason: string): Promise<void> {
  const row = nonce ? await db.agentTrigger.findUnique({ where: { nonce } }) : null;
  const ours = row && row.clusterId === cluster.id ? row : null;
  await db.$transaction(async (tx) => {
    // A replay of a finished trigger leaves its stored result alone.
    if (ours && !TERMINAL.has(ours.status))
      await tx.agentTrigger.update({ where: { id: ours.id }, data: { status: "rejected", rejection: { code, reason }, finishedAt: new Date() } });
    await appendAudit(tx, {
      actor: agentActor(cluster.orgId, cluster.id),
      action: "agent.trigger_rejected",
      target: ours ? { type: "agent_trigger", id: ours.id } : { type: "agent_cluster", id: cluster.id },
      data: { clusterId: cluster.id, nonce, code, reason, runId: ours?.runId ?? null, stepId: ours?.stepId ?? null, action: ours?.action ?? null },
    });
  });
  if (ours) await publishOutcome(ours.id);
}

/** Marks triggers nobody accepted in time; returns how many. */
export async function expireTriggers(where: Prisma.AgentTriggerWhereInput = {}): Promise<number> {
  const stale = await db.agentTrigger.findMany({ where: { ...where, status: { in: UNDELIVERED }, expiresAt: { lt: new Date() } }, select: { id: true } });
  if (!stale.length) return 0;
  const ids = stale.map((s) => s.id);
  await db.agentTrigger.updateMany({ where: { id: { in: ids }, status: { in: UNDELIVERED } }, data: { status: "expired", finishedAt: new Date() } });
  await Promise.all(ids.map(publishOutcome));
  return ids.length;
}

// One subscriber connection per process for outcomes; waiters register by trigger id.
const g = globalThis as unknown as { __agentOutcomeSub?: { sub: Redis; waiters: Map<string, Set<() => void>> } };
function outcomeWaiters() {
  if (!g.__agentOutcomeSub) {
    const sub = redis().duplicate();
    const waiters = new Map<string, Set<() => void>>();
    sub.on("error", () => {});
    sub.on("message", (_channel, id: string) => waiters.get(id)?.forEach((wake) => wake()));
    void sub.subscribe(outcomeChannel());
    g.__agentOutcomeSub = { sub, waiters };
  }
  return g.__agentOutcomeSub.waiters;
}

export async function closeOutcomeSubscriber(): Promise<void> {
  const s = g.__agentOutcomeSub;
  g.__agentOutcomeSub = undefined;
  if (s) await s.sub.quit().catch(() => s.sub.disconnect());
}

const POLL_MS = 2000;

/**
 * Waits until the trigger is finished (or the signal aborts). On abort a trigger the agent has not accepted
 * yet is cancelled, so a late-connecting agent never runs a step the orchestrator gave up on.
 */
export async function awaitTrigger(id: string, signal?: AbortSignal): Promise<AgentTrigger> {
  const waiters = outcomeWaiters();
  let wake: () => void = () => {};
  const set = waiters.get(id) ?? new Set();
  waiters.set(id, set);
  const listener = () => wake();
  set.add(listener);
  signal?.addEventListener("abort", listener);
  try {
    for (;;) {
      const row = await db.agentTrigger.findUniqueOrThrow({ where: { id } });
      if (TERMINAL.has(row.status)) return row;
      if (UNDELIVERED.includes(row.status) && row.expiresAt.getTime() < Date.now()) {
        await expireTriggers({ id });
        continue;
      }
      if (signal?.aborted) {
        await db.agentTrigger.updateMany({ where: { id, status: { in: UNDELIVERED } }, data: { status: "cancelled", finishedAt: new Date() } });
        throw signal.reason ?? new Error("aborted");
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, POLL_MS);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    set.delete(listener);
    if (!set.size) waiters.delete(id);
    signal?.removeEventListener("abort", listener);
  }
}
