// Inhibition rules (admins): Alertmanager's inhibit_rules for incidents. Audited.
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { notFound } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/append-audit";
import { ZInhibitionInput, type InhibitionInput } from "@/lib/oncall/schemas";
import { storedMatchers } from "@/lib/oncall/matchers";

type Row = { id: string; name: string; sourceMatchers: unknown; targetMatchers: unknown; equal: string[]; createdAt: Date };

export function publicInhibition(r: Row) {
  return { id: r.id, name: r.name, sourceMatchers: storedMatchers(r.sourceMatchers), targetMatchers: storedMatchers(r.targetMatchers), equal: r.equal, createdAt: r.createdAt };
}

export async function createInhibitionRule({ actor, input }: { actor: Actor; input: InhibitionInput }) {
  assertCan(actor, "oncall.manage");
  const data = ZInhibitionInput.parse(input);
  return db.$transaction(async (tx) => {
    const r = await tx.inhibitionRule.create({
      data: {
        orgId: actor.orgId,
        name: data.name,
        sourceMatchers: data.sourceMatchers as Prisma.InputJsonValue,
        targetMatchers: data.targetMatchers as Prisma.InputJsonValue,
        equal: data.equal,
      },
    });
    await appendAudit(tx, { actor, action: "oncall.inhibition_created", target: { type: "inhibition_rule", id: r.id }, data: publicInhibition(r) });
    return publicInhibition(r);
  });
}

export async function deleteInhibitionRule({ actor, id }: { actor: Actor; id: string }) {
  assertCan(actor, "oncall.manage");
  await db.$transaction(async (tx) => {
    const r = await tx.inhibitionRule.findFirst({ where: { id, orgId: actor.orgId } });
    if (!r) throw notFound("inhibition rule");
    await tx.inhibitionRule.delete({ where: { id } });
    await appendAudit(tx, { actor, action: "oncall.inhibition_deleted", target: { type: "inhibition_rule", id }, data: { name: r.name } });
  });
}

export async function updateInhibitionRule({ actor, id, input }: { actor: Actor; id: string; input: InhibitionInput }) {
  assertCan(actor, "oncall.manage");
  const data = ZInhibitionInput.parse(input);
  return db.$transaction(async (tx) => {
    const prior = await tx.inhibitionRule.findFirst({ where: { id, orgId: actor.orgId } });
    if (!prior) throw notFound("inhibition rule");
    const r = await tx.inhibitionRule.update({
      where: { id },
      data: {
        name: data.name,
        sourceMatchers: data.sourceMatchers as Prisma.InputJsonValue,
        targetMatchers: data.targetMatchers as Prisma.InputJsonValue,
        equal: data.equal,
      },
    });
    await appendAudit(tx, { actor, action: "oncall.inhibition_updated", target: { type: "inhibition_rule", id }, data: { before: publicInhibition(prior), after: publicInhibition(r) } });
    return publicInhibition(r);
  });
}

/** Readable by anyone who sees on-call: it explains why an incident paged nobody. */
export async function listInhibitionRules({ actor }: { actor: Actor }) {
  assertCan(actor, "oncall.read");
  return (await db.inhibitionRule.findMany({ where: { orgId: actor.orgId }, orderBy: { createdAt: "asc" } })).map(publicInhibition);
}
