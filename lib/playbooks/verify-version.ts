// The signature check that gates execution: recompute the digest of the stored bytes (so bytes changed
// after sync are caught), then verify the signature against the org's keys as they are now (so a key
// revoked after approval stops pending runs). Fails closed: anything but a positive result refuses.
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { playbookDigest } from "@/lib/playbooks/schema";
import { verifyPlaybookSignature } from "@/lib/playbooks/signature";
import { keyState } from "@/lib/playbooks/signing-keys";

export type Verification =
  | { ok: true; digest: string; keyId: string; keyName: string; fingerprint: string; at: string }
  | { ok: true; digest: string; unsigned: true; at: string }
  | { ok: false; digest: string; reason: "digest_mismatch" | "unsigned" | "no_trusted_key" | "revoked_key" | "key_not_valid_now"; message: string; at: string };

type Version = { orgId: string; digest: string; source: Uint8Array; signature: string | null };
type Key = { id: string; name: string; fingerprint: string; publicKeyPem: string; revokedAt: Date | null; revokedReason: string | null; notBefore: Date; notAfter: Date | null };

export async function verifyPlaybookVersion(tx: Prisma.TransactionClient, version: Version, opts: { allowUnsigned: boolean }): Promise<Verification> {
  const keys = await tx.signingKey.findMany({ where: { orgId: version.orgId } });
  return verifyWithKeys(version, keys, opts);
}

export function verifyWithKeys(version: Version, keys: readonly Key[], opts: { allowUnsigned: boolean }): Verification {
  const at = new Date().toISOString();
  const digest = playbookDigest(version.source);
  if (digest !== version.digest) {
    return { ok: false, digest, reason: "digest_mismatch", message: `playbook bytes do not match the synced digest ${version.digest.slice(0, 12)}…: the stored playbook was modified`, at };
  }
  if (!version.signature) {
    if (opts.allowUnsigned) return { ok: true, digest, unsigned: true, at };
    return { ok: false, digest, reason: "unsigned", message: "playbook is not signed and this organization requires signed playbooks", at };
  }
  const now = Date.now();
  const signer = keys.find((k) => {
    try {
      return verifyPlaybookSignature(version.source, version.signature!, k.publicKeyPem);
    } catch {
      return false; // an unreadable stored key verifies nothing (fail closed)
    }
  });
  if (!signer) return { ok: false, digest, reason: "no_trusted_key", message: "signature does not verify with any key trusted by this organization", at };
  const state = keyState(signer, now);
  if (state === "revoked") return { ok: false, digest, reason: "revoked_key", message: `signed by key '${signer.name}', which was revoked (${signer.revokedReason ?? "no reason given"})`, at };
  if (state !== "active") return { ok: false, digest, reason: "key_not_valid_now", message: `signed by key '${signer.name}', which is ${state.replaceAll("_", " ")}`, at };
  return { ok: true, digest, keyId: signer.id, keyName: signer.name, fingerprint: signer.fingerprint, at };
}

/**
 * The check for a run's pinned version, with its three inputs read in parallel (outside any
 * transaction: approvals and executions are latency-critical, and the keys are read moments before use).
 */
export async function verifyRunPlaybook(run: { orgId: string; playbookVersionId: string }): Promise<Verification> {
  const [version, keys, org] = await Promise.all([
    db.playbookVersion.findUniqueOrThrow({ where: { id: run.playbookVersionId }, select: { orgId: true, digest: true, source: true, signature: true } }),
    db.signingKey.findMany({ where: { orgId: run.orgId } }),
    db.organization.findUniqueOrThrow({ where: { id: run.orgId }, select: { allowUnsignedPlaybooks: true } }),
  ]);
  return verifyWithKeys(version, keys, { allowUnsigned: org.allowUnsignedPlaybooks });
}
