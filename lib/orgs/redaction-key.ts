// Each organization's redaction key: placeholders are HMACs under it, so they correlate within the org
// and reveal nothing across orgs. Created on first use, stored sealed (lib/crypto/secret-box.ts).
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { open, seal } from "@/lib/crypto/secret-box";
import { createRedactor, type Redactor } from "@/lib/redact";

export async function redactionKey(orgId: string): Promise<Buffer> {
  const org = await db.organization.findUnique({ where: { id: orgId }, select: { redactionKeySealed: true } });
  if (!org) throw notFound("organization");
  if (org.redactionKeySealed) return Buffer.from(open(org.redactionKeySealed), "base64");
  // Two first users race: only the first write wins, both then read the winner.
  await db.organization.updateMany({ where: { id: orgId, redactionKeySealed: null }, data: { redactionKeySealed: seal(randomBytes(32).toString("base64")) } });
  return redactionKey(orgId);
}

/** The org's redactor: its key, and its choice to mask private addresses too (off by default). */
export async function orgRedactor(orgId: string): Promise<Redactor> {
  const key = await redactionKey(orgId);
  const org = await db.organization.findUnique({ where: { id: orgId }, select: { maskPrivateAddresses: true } });
  return createRedactor({ key, maskPrivateAddresses: org?.maskPrivateAddresses === true });
}
