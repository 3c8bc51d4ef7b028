// Recomputes an org's audit chain from the first event. Detects modified rows (hash), deleted, inserted
// or reordered rows (seq gaps, prevHash links), and a truncated tail (against the last verified head
// that the audit.verify job recorded outside the chain).
import { db } from "@/lib/db";
import type { Json } from "@/lib/audit/canonical-json";
import { GENESIS_HASH, auditHash } from "@/lib/audit/hash";

export type ChainVerdict = {
  ok: boolean;
  checked: number;
  firstBrokenSeq?: number;
  reason?: string;
  head?: { seq: number; hash: string };
};

const BATCH = 1000;

/** JobResult.job of every recorded chain check (lib/audit/check-audit-chain), whoever ran it. */
export const AUDIT_VERIFY_JOB = "audit.verify";

export async function verifyAuditChain(orgId: string): Promise<ChainVerdict> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  const hashesAt = new Map<number, string>();
  const checkpoint = await lastVerifiedHead(orgId);

  for (let cursor = 0; ; ) {
    const rows = await db.auditEvent.findMany({ where: { orgId, seq: { gt: cursor } }, orderBy: { seq: "asc" }, take: BATCH });
    for (const row of rows) {
      const broken = (reason: string): ChainVerdict => ({ ok: false, checked, firstBrokenSeq: expectedSeq, reason });
      if (row.seq !== expectedSeq) return broken(`expected seq ${expectedSeq}, found ${row.seq}`);
      if (row.prevHash !== prevHash) return broken("prevHash does not link to the previous event");
      const recomputed = auditHash(prevHash, { ...row, data: row.data as Json });
      if (recomputed !== row.hash) return broken("event content does not match its hash");
      checked += 1;
      prevHash = row.hash;
      if (checkpoint && row.seq === checkpoint.seq) hashesAt.set(row.seq, row.hash);
      expectedSeq += 1;
    }
    if (rows.length < BATCH) break;
    cursor = rows[rows.length - 1]!.seq;
  }

  if (checkpoint) {
    if (checked < checkpoint.seq) {
      return { ok: false, checked, firstBrokenSeq: checked + 1, reason: `chain ends at ${checked} but ${checkpoint.seq} events were verified before` };
    }
    if (hashesAt.get(checkpoint.seq) !== checkpoint.hash) {
      return { ok: false, checked, firstBrokenSeq: checkpoint.seq, reason: "event differs from the previously verified head" };
    }
  }
  return { ok: true, checked, ...(checked > 0 ? { head: { seq: checked, hash: prevHash } } : {}) };
}

async function lastVerifiedHead(orgId: string): Promise<{ seq: number; hash: string } | null> {
  const last = await db.jobResult.findFirst({ where: { orgId, job: AUDIT_VERIFY_JOB, ok: true }, orderBy: { createdAt: "desc" } });
  const head = (last?.data as { head?: { seq?: unknown; hash?: unknown } } | null)?.head;
  return head && typeof head.seq === "number" && typeof head.hash === "string" ? { seq: head.seq, hash: head.hash } : null;
}
