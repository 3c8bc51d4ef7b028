// Trusted public keys for playbook signatures (admins manage them). A key verifies only inside its
// validity window and until it is revoked; revocation is permanent and audited.
import { z } from "zod";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { AppError, notFound } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/append-audit";
import { parsePublicKey } from "@/lib/playbooks/signature";

export const ZAddKeyInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    publicKeyPem: z.string().min(1).max(10_000),
    notBefore: z.coerce.date().optional(),
    notAfter: z.coerce.date().optional(),
  })
  .strict()
  .refine((k) => !k.notBefore || !k.notAfter || k.notBefore < k.notAfter, { message: "notAfter must be after notBefore", path: ["notAfter"] });
export type AddKeyInput = z.input<typeof ZAddKeyInput>;

export const ZRevokeKeyInput = z.object({ reason: z.string().trim().min(1).max(500) }).strict();

export async function addSigningKey({ actor, input }: { actor: Actor; input: AddKeyInput }) {
  assertCan(actor, "keys.manage");
  const data = ZAddKeyInput.parse(input);
  const key = parsePublicKey(data.publicKeyPem);
  return db.$transaction(async (tx) => {
    const existing = await tx.signingKey.findUnique({ where: { orgId_fingerprint: { orgId: actor.orgId, fingerprint: key.fingerprint } } });
    if (existing) throw new AppError("conflict", `this key is already registered as '${existing.name}'${existing.revokedAt ? " (revoked)" : ""}`);
    const row = await tx.signingKey.create({
      data: {
        orgId: actor.orgId,
        name: data.name,
        publicKeyPem: key.pem,
        fingerprint: key.fingerprint,
        notBefore: data.notBefore ?? new Date(),
        notAfter: data.notAfter ?? null,
        createdBy: actor.label ?? actor.id,
      },
    });
    await appendAudit(tx, { actor, action: "key.added", target: { type: "signing_key", id: row.id }, data: { name: row.name, fingerprint: row.fingerprint, notBefore: row.notBefore, notAfter: row.notAfter } });
    return row;
  });
}

export async function revokeSigningKey({ actor, id, reason }: { actor: Actor; id: string; reason: string }) {
  assertCan(actor, "keys.manage");
  return db.$transaction(async (tx) => {
    const key = await tx.signingKey.findFirst({ where: { id, orgId: actor.orgId } });
    if (!key) throw notFound("signing key");
    if (key.revokedAt) throw new AppError("conflict", "key is already revoked");
    const row = await tx.signingKey.update({ where: { id }, data: { revokedAt: new Date(), revokedReason: reason } });
    await appendAudit(tx, { actor, action: "key.revoked", target: { type: "signing_key", id }, data: { name: key.name, fingerprint: key.fingerprint, reason } });
    return row;
  });
}

export async function listSigningKeys({ actor }: { actor: Actor }) {
  assertCan(actor, "playbooks.read");
  const rows = await db.signingKey.findMany({ where: { orgId: actor.orgId }, orderBy: { createdAt: "desc" } });
  const now = Date.now();
  return rows.map((k) => ({ ...k, state: keyState(k, now) }));
}

export type KeyState = "active" | "revoked" | "not_yet_valid" | "expired";

export function keyState(k: { revokedAt: Date | null; notBefore: Date; notAfter: Date | null }, now = Date.now()): KeyState {
  if (k.revokedAt) return "revoked";
  if (k.notBefore.getTime() > now) return "not_yet_valid";
  if (k.notAfter && k.notAfter.getTime() <= now) return "expired";
  return "active";
}
