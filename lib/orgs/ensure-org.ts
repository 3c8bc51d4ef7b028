// Creates an organization if its slug is new (CLI, seed, first start). Idempotent.
import { z } from "zod";
import { db } from "@/lib/db";
import { systemActor } from "@/lib/context";
import { appendAudit } from "@/lib/audit/append-audit";

export const ZOrgSlug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "lowercase letters, digits and dashes");

export async function ensureOrg({ slug, name }: { slug: string; name?: string }) {
  ZOrgSlug.parse(slug);
  const existing = await db.organization.findUnique({ where: { slug } });
  if (existing) return existing;
  return db.$transaction(async (tx) => {
    const org = await tx.organization.upsert({ where: { slug }, update: {}, create: { slug, name: name ?? slug } });
    const actor = systemActor("bootstrap", org.id);
    const first = await tx.auditEvent.findFirst({ where: { orgId: org.id }, select: { id: true } });
    if (!first) await appendAudit(tx, { actor, action: "org.created", target: { type: "organization", id: org.id }, data: { slug, name: org.name } });
    return org;
  });
}
