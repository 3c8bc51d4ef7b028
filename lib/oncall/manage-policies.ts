// Escalation policies: CRUD, audited. Saving replaces the steps; incidents already paging keep the plan
// they started with (IncidentPage.plan).
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { AppError, notFound } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/append-audit";
import { ZPolicyInput, toSeconds, type PolicyInput } from "@/lib/oncall/schemas";
import { assertTargetsExist, storedTargets } from "@/lib/oncall/policy-targets";

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === "P2002";
const withSteps = { steps: { orderBy: { position: "asc" as const } } };

type PolicyRow = Prisma.EscalationPolicyGetPayload<{ include: typeof withSteps }>;

export function publicPolicy(p: PolicyRow) {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    repeat: p.repeat,
    repeatAfterMinutes: p.repeatAfterSeconds / 60,
    steps: p.steps.map((s) => ({ afterMinutes: s.afterSeconds / 60, targets: storedTargets(s.targets) })),
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

/** The policy's columns and its steps, for create and for update (which first deletes the old steps). */
function policyData(data: ReturnType<typeof ZPolicyInput.parse>) {
  return {
    name: data.name,
    description: data.description ?? null,
    repeat: data.repeat,
    repeatAfterSeconds: toSeconds(data.repeatAfterMinutes),
    steps: { create: data.steps.map((s, position) => ({ position, afterSeconds: toSeconds(s.afterMinutes), targets: s.targets as Prisma.InputJsonValue })) },
  };
}

export async function createPolicy({ actor, input }: { actor: Actor; input: PolicyInput }) {
  assertCan(actor, "oncall.manage");
  const data = ZPolicyInput.parse(input);
  try {
    return await db.$transaction(async (tx) => {
      await assertTargetsExist(tx, actor.orgId, data.steps);
      const p = await tx.escalationPolicy.create({ data: { orgId: actor.orgId, ...policyData(data) }, include: withSteps });
      await appendAudit(tx, { actor, action: "oncall.policy_created", target: { type: "escalation_policy", id: p.id }, data: publicPolicy(p) });
      return publicPolicy(p);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("conflict", `an escalation policy named '${data.name}' exists`);
    throw err;
  }
}

export async function updatePolicy({ actor, id, input }: { actor: Actor; id: string; input: PolicyInput }) {
  assertCan(actor, "oncall.manage");
  const data = ZPolicyInput.parse(input);
  try {
    return await db.$transaction(async (tx) => {
      const prior = await tx.escalationPolicy.findFirst({ where: { id, orgId: actor.orgId }, include: withSteps });
      if (!prior) throw notFound("escalation policy");
      await assertTargetsExist(tx, actor.orgId, data.steps);
      await tx.escalationStep.deleteMany({ where: { policyId: id } });
      const p = await tx.escalationPolicy.update({ where: { id }, data: policyData(data), include: withSteps });
      await appendAudit(tx, { actor, action: "oncall.policy_updated", target: { type: "escalation_policy", id }, data: { before: publicPolicy(prior), after: publicPolicy(p) } });
      return publicPolicy(p);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("conflict", `an escalation policy named '${data.name}' exists`);
    throw err;
  }
}

export async function deletePolicy({ actor, id }: { actor: Actor; id: string }) {
  assertCan(actor, "oncall.manage");
  await db.$transaction(async (tx) => {
    const p = await tx.escalationPolicy.findFirst({ where: { id, orgId: actor.orgId }, include: { routes: { select: { name: true } } } });
    if (!p) throw notFound("escalation policy");
    if (p.routes.length) throw new AppError("conflict", `escalation policy '${p.name}' is used by routes: ${p.routes.map((r) => r.name).join(", ")}`);
    await tx.escalationPolicy.delete({ where: { id } });
    await appendAudit(tx, { actor, action: "oncall.policy_deleted", target: { type: "escalation_policy", id }, data: { name: p.name } });
  });
}

// Reading policies needs only oncall.read: they name who gets paged, which anyone who sees schedules and
// incidents' paging may know; the credentials live on channels, which stay admin-only.
export async function listPolicies({ actor }: { actor: Actor }) {
  assertCan(actor, "oncall.read");
  return (await db.escalationPolicy.findMany({ where: { orgId: actor.orgId }, orderBy: { name: "asc" }, include: withSteps })).map(publicPolicy);
}

export async function getPolicy({ actor, id }: { actor: Actor; id: string }) {
  assertCan(actor, "oncall.read");
  const p = await db.escalationPolicy.findFirst({ where: { id, orgId: actor.orgId }, include: withSteps });
  if (!p) throw notFound("escalation policy");
  return publicPolicy(p);
}
