// Job handlers of the audit domain; workers/handlers.ts maps job names to these.
import { db } from "@/lib/db";
import { systemActor } from "@/lib/context";
import { checkAuditChain } from "@/lib/audit/check-audit-chain";
import type { ParsedPayload } from "@/lib/jobs/definitions";

export async function handleAuditVerify(payload: ParsedPayload<"audit.verify">) {
  const orgIds = payload.orgId ? [payload.orgId] : (await db.organization.findMany({ select: { id: true } })).map((o) => o.id);
  const results: Record<string, { ok: boolean; checked: number; firstBrokenSeq?: number }> = {};
  for (const orgId of orgIds) {
    const v = await checkAuditChain({ actor: systemActor("audit.verify", orgId) });
    results[orgId] = { ok: v.ok, checked: v.checked, ...(v.firstBrokenSeq ? { firstBrokenSeq: v.firstBrokenSeq } : {}) };
  }
  return results;
}
