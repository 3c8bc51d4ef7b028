// The org's egress policy as admins manage it (Settings → Signing keys & policy, /api/v1/settings/egress).
// Every change is audited with the policy before and after.
import { z } from "zod";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { notFound } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/append-audit";
import { ZEgressPolicy, type EgressPolicy } from "@/lib/egress/policy";

export const ZEgressPolicyInput = ZEgressPolicy;
export type EgressPolicyInput = z.input<typeof ZEgressPolicyInput>;

export async function egressPolicyOf(orgId: string, tx: Prisma.TransactionClient = db): Promise<EgressPolicy> {
  const org = await tx.organization.findUnique({ where: { id: orgId }, select: { egressAllowHosts: true, egressAllowCidrs: true } });
  if (!org) throw notFound("organization");
  return { allowHosts: org.egressAllowHosts, allowCidrs: org.egressAllowCidrs };
}

export async function getEgressPolicy({ actor }: { actor: Actor }) {
  assertCan(actor, "playbooks.read");
  return egressPolicyOf(actor.orgId);
}

/** Replaces the policy. */
export async function updateEgressPolicy({ actor, input }: { actor: Actor; input: EgressPolicyInput }) {
  assertCan(actor, "settings.manage");
  const policy = ZEgressPolicyInput.parse(input);
  return db.$transaction(async (tx) => {
    const before = await egressPolicyOf(actor.orgId, tx);
    await tx.organization.update({ where: { id: actor.orgId }, data: { egressAllowHosts: policy.allowHosts, egressAllowCidrs: policy.allowCidrs } });
    await appendAudit(tx, { actor, action: "settings.egress_updated", target: { type: "organization", id: actor.orgId }, data: { before, after: policy } });
    return policy;
  });
}
