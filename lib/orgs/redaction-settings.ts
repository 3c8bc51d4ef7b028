// Per-organization redaction policy that admins change. Private, loopback, link-local and CGNAT addresses,
// IPv6 ULAs and CIDR blocks identify infrastructure, not people, so exports and embeddings keep them unless
// the org turns maskPrivateAddresses on (public client addresses are always masked).
import { z } from "zod";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { notFound } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/append-audit";

export const ZRedactionSettingsInput = z.object({ maskPrivateAddresses: z.boolean() }).strict();
export type RedactionSettingsInput = z.input<typeof ZRedactionSettingsInput>;
export type RedactionSettings = { maskPrivateAddresses: boolean };

export async function getRedactionSettings({ actor }: { actor: Actor }): Promise<RedactionSettings> {
  assertCan(actor, "exports.read");
  const org = await db.organization.findUnique({ where: { id: actor.orgId }, select: { maskPrivateAddresses: true } });
  if (!org) throw notFound("organization");
  return { maskPrivateAddresses: org.maskPrivateAddresses };
}

export async function updateRedactionSettings({ actor, input }: { actor: Actor; input: RedactionSettingsInput }): Promise<RedactionSettings> {
  assertCan(actor, "settings.manage");
  const data = ZRedactionSettingsInput.parse(input);
  return db.$transaction(async (tx) => {
    const before = await tx.organization.findUnique({ where: { id: actor.orgId }, select: { maskPrivateAddresses: true } });
    if (!before) throw notFound("organization");
    const org = await tx.organization.update({ where: { id: actor.orgId }, data: { maskPrivateAddresses: data.maskPrivateAddresses }, select: { maskPrivateAddresses: true } });
    await appendAudit(tx, {
      actor,
      action: "settings.redaction_updated",
      target: { type: "organization", id: actor.orgId },
      data: { before, after: org },
    });
    return { maskPrivateAddresses: org.maskPrivateAddresses };
  });
}
