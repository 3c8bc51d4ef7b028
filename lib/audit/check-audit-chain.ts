// The audit chain check, whoever asks for it (the nightly audit.verify job, the Audit page's button, the API,
// the CLI): verify, then remember the result under the one job name the overview reads, with the verified
// head that later checks use to notice a truncated tail. Who asked changes nothing in what is verified (the
// server recomputes the chain either way), so every check counts: the overview must not say "not verified
// yet" after someone just verified it.
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { AUDIT_VERIFY_JOB, verifyAuditChain, type ChainVerdict } from "@/lib/audit/verify-audit-chain";

export type RecordedVerdict = ChainVerdict & { by?: string };

function who(actor: Actor): string {
  return actor.label ?? `${actor.type}:${actor.id}`;
}

export async function checkAuditChain({ actor }: { actor: Actor }): Promise<ChainVerdict> {
  assertCan(actor, "audit.read");
  const verdict = await verifyAuditChain(actor.orgId);
  const data: RecordedVerdict = { ...verdict, by: who(actor) };
  await db.jobResult.create({ data: { orgId: actor.orgId, job: AUDIT_VERIFY_JOB, ok: verdict.ok, data } });
  return verdict;
}

/** The latest check's result, whoever ran it; null before the first. */
export async function lastAuditCheck({ actor }: { actor: Actor }): Promise<{ ok: boolean; at: Date; verdict: RecordedVerdict } | null> {
  assertCan(actor, "audit.read");
  const row = await db.jobResult.findFirst({ where: { orgId: actor.orgId, job: AUDIT_VERIFY_JOB }, orderBy: { createdAt: "desc" } });
  return row ? { ok: row.ok, at: row.createdAt, verdict: row.data as RecordedVerdict } : null;
}
