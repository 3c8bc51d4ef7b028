// Per-organization orchestrator policy that admins change: the unsigned-playbook escape hatch (off by
// default) and how long a run may wait for approval.
import { z } from "zod";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { notFound } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/append-audit";

export const ZOrchestratorSettingsInput = z
  .object({
    allowUnsignedPlaybooks: z.boolean().optional(),
    approvalTtlMinutes: z.number().int().min(1).max(7 * 24 * 60).optional(),
  })
  .strict();
export type OrchestratorSettingsInput = z.input<typeof ZOrchestratorSettingsInput>;

export type OrchestratorSettings = { allowUnsigned: boolean; approvalTtlSeconds: number };

export async function orchestratorSettings(orgId: string, tx: Prisma.TransactionClient = db): Promise<OrchestratorSettings> {
  const org = await tx.organization.findUnique({ where: { id: orgId }, select: { allowUnsignedPlaybooks: true, approvalTtlSeconds: true } });
  if (!org) throw notFound("organization");
  return { allowUnsigned: org.allowUnsignedPlaybooks, approvalTtlSeconds: org.approvalTtlSeconds };
}

export async function getOrchestratorSettings({ actor }: { actor: Actor }) {
  assertCan(actor, "playbooks.read");
  const s = await orchestratorSettings(actor.orgId);
  return { allowUnsignedPlaybooks: s.allowUnsigned, approvalTtlMinutes: Math.round(s.approvalTtlSeconds / 60) };
}

export async function updateOrchestratorSettings({ actor, input }: { actor: Actor; input: OrchestratorSettingsInput }) {
  assertCan(actor, "settings.manage");
  const data = ZOrchestratorSettingsInput.parse(input);
  return db.$transaction(async (tx) => {
    const before = await orchestratorSettings(actor.orgId, tx);
    const org = await tx.organization.update({
      where: { id: actor.orgId },
      data: {
        ...(data.allowUnsignedPlaybooks === undefined ? {} : { allowUnsignedPlaybooks: data.allowUnsignedPlaybooks }),
        ...(data.approvalTtlMinutes === undefined ? {} : { approvalTtlSeconds: data.approvalTtlMinutes * 60 }),
      },
    });
    await appendAudit(tx, {
      actor,
      action: "settings.orchestrator_updated",
      target: { type: "organization", id: actor.orgId },
      data: { before: { allowUnsignedPlaybooks: before.allowUnsigned, approvalTtlSeconds: before.approvalTtlSeconds }, after: { allowUnsignedPlaybooks: org.allowUnsignedPlaybooks, approvalTtlSeconds: org.approvalTtlSeconds } },
    });
    return { allowUnsignedPlaybooks: org.allowUnsignedPlaybooks, approvalTtlMinutes: Math.round(org.approvalTtlSeconds / 60) };
  });
}
