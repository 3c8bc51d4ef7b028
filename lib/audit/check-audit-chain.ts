// The audit chain check as a user or the audit.verify job asks for it: verify, then remember the result
// (and the verified head, which later checks use to notice a truncated tail).
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { verifyAuditChain, type ChainVerdict } from "@/lib/audit/verify-audit-chain";

export async function checkAuditChain({ actor, record = false }: { actor: Actor; record?: boolean }): Promise<ChainVerdict> {
  assertCan(actor, "audit.read");
  const verdict = await verifyAuditChain(actor.orgId);
  if (record) {
    await db.jobResult.create({ data: { orgId: actor.orgId, job: "audit.verify", ok: verdict.ok, data: verdict } });
  }
  return verdict;
}

export async function lastAuditCheck({ actor }: { actor: Actor }) {
  assertCan(actor, "audit.read");
  return db.jobResult.findFirst({ where: { orgId: actor.orgId, job: "audit.verify" }, orderBy: { createdAt: "desc" } });
}
