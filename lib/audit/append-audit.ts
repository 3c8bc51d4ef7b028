// appendAudit: the only writer of AuditEvent rows. Call it inside the transaction that makes the change,
// so the event and the change commit or roll back together.
import { randomUUID } from "node:crypto";
import type { RawSql } from "@/lib/db/raw";
import type { Actor } from "@/lib/context";
import { toJson } from "@/lib/audit/canonical-json";
import { GENESIS_HASH, auditHash } from "@/lib/audit/hash";

export type AuditInput = {
  actor: Actor;
  action: string;
  target: { type: string; id: string };
  data?: unknown;
  /** Defaults to the actor's org; set for events about an org the actor is creating. */
  orgId?: string;
};

// Advisory-lock namespace for audit appends; the second key is hashtext(orgId), one lock per org chain.
const AUDIT_LOCK_CLASS = 0x4155; // "AU"

// The chain head each open transaction holds the lock for: a second event in the same transaction
// (e.g. "approval recorded" then "approved") needs neither the lock nor the head query again.
const heldHeads = new WeakMap<object, Map<string, { seq: number; hash: string } | null>>();

/** An action taken through Slack or a notification's link says so on the chain, whatever the domain function wrote. */
function withVia(data: unknown, actor: Actor): unknown {
  if (!actor.via || typeof data !== "object" || data === null || Array.isArray(data)) return data;
  return { ...data, via: actor.via };
}

/** `tx`: a Prisma transaction, or a raw one (lib/db/raw.ts) on the ingest hot path. */
export async function appendAudit(tx: RawSql, input: AuditInput) {
  const orgId = input.orgId ?? input.actor.orgId;
  let held = heldHeads.get(tx);
  if (!held) heldHeads.set(tx, (held = new Map()));
  let head = held.get(orgId);
  if (head === undefined) {
    // Serializes appenders of one org until this transaction ends, so two writers never read the same
    // head and fork the chain. The (orgId, seq) unique index is the second line of defence.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_CLASS}::int, hashtext(${orgId}))`;
    // Raw SQL here and below: every state change in the product passes through this function.
    [head = null] = await tx.$queryRaw<{ seq: number; hash: string }[]>`SELECT seq, hash FROM "AuditEvent" WHERE "orgId" = ${orgId}::uuid ORDER BY seq DESC LIMIT 1`;
  }
  const event = {
    orgId,
    seq: (head?.seq ?? 0) + 1,
    actorType: input.actor.type,
    actorId: input.actor.id,
    actorLabel: input.actor.label ?? `${input.actor.type}:${input.actor.id}`,
    action: input.action,
    targetType: input.target.type,
    targetId: input.target.id,
    data: toJson(withVia(input.data ?? {}, input.actor)),
    // Millisecond precision: exactly what timestamptz(3) stores, so the hash survives the round trip.
    createdAt: new Date(),
  };
  const prevHash = head?.hash ?? GENESIS_HASH;
  const hash = auditHash(prevHash, event);
  const id = randomUUID();
  await tx.$executeRaw`INSERT INTO "AuditEvent" (id, "orgId", seq, "actorType", "actorId", "actorLabel", action, "targetType", "targetId", data, "createdAt", "prevHash", hash)
    VALUES (${id}::uuid, ${orgId}::uuid, ${event.seq}, ${event.actorType}, ${event.actorId}, ${event.actorLabel}, ${event.action}, ${event.targetType}, ${event.targetId},
            ${JSON.stringify(event.data)}::jsonb, ${event.createdAt}, ${prevHash}, ${hash})`;
  held.set(orgId, { seq: event.seq, hash });
  return { id, ...event, prevHash, hash };
}
