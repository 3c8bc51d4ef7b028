// The signature check that gates execution: recompute the digest of the stored bytes (so bytes changed
// after sync are caught), then verify the signature against the org's keys as they are now (so a key
// revoked after approval stops pending runs). Fails closed: anything but a positive result refuses.
// What a run does (its risk, hence its quorum, and its steps) is parsed from the very bytes that were
// checked, never from the `spec` column: that column is a cache for listings, and one UPDATE of it
// must not change what runs or who has to approve it.
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { parsePlaybook, playbookDigest, type PlaybookSpec } from "@/lib/playbooks/schema";
import { verifyPlaybookSignature } from "@/lib/playbooks/signature";
import { keyState } from "@/lib/playbooks/signing-keys";

export type Verification =
  | { ok: true; digest: string; keyId: string; keyName: string; fingerprint: string; at: string }
  | { ok: true; digest: string; unsigned: true; at: string }
  | { ok: false; digest: string; reason: "digest_mismatch" | "invalid_source" | "unsigned" | "no_trusted_key" | "revoked_key" | "key_not_valid_now"; message: string; at: string };

/**
 * The verification of a version's stored bytes and the playbook parsed from those same bytes. `spec` is
 * null when the bytes do not match their digest (or do not parse): nothing then says what they mean.
 * A spec with a failed verification is only fit for showing (the dry-run report of a run whose key is
 * not trusted); approving or executing requires `verification.ok`.
 */
export type CheckedPlaybook = { verification: Verification; spec: PlaybookSpec | null };

type Version = { orgId: string; digest: string; source: Uint8Array; signature: string | null };
type Key = { id: string; name: string; fingerprint: string; publicKeyPem: string; revokedAt: Date | null; revokedReason: string | null; notBefore: Date; notAfter: Date | null };

export async function checkPlaybookVersion(tx: Prisma.TransactionClient, version: Version, opts: { allowUnsigned: boolean }): Promise<CheckedPlaybook> {
  const keys = await tx.signingKey.findMany({ where: { orgId: version.orgId } });
  return checkPlaybookBytes(version, keys, opts);
}

export function checkPlaybookBytes(version: Version, keys: readonly Key[], opts: { allowUnsigned: boolean }): CheckedPlaybook {
  const verification = verifyWithKeys(version, keys, opts);
  if (!verification.ok && verification.reason === "digest_mismatch") return { verification, spec: null };
  try {
    return { verification, spec: parsePlaybook(version.source) };
  } catch (e) {
    // Signed bytes were parsed when they were stored; failing now means the format changed under them.
    return { verification: { ok: false, digest: verification.digest, reason: "invalid_source", message: `the stored playbook no longer parses: ${(e as Error).message}`, at: verification.at }, spec: null };
  }
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

export type KeyJson = Omit<Key, "revokedAt" | "notBefore" | "notAfter"> & { revokedAt: string | null; notBefore: string; notAfter: string | null };

/**
 * The check for a run's pinned version, with everything it needs (version bytes, the org's keys, the
 * unsigned policy) read in one query: approvals and executions are latency-critical. Null when the run
 * does not exist (in that org).
 */
export async function verifyRunPlaybook(runId: string, orgId?: string): Promise<(CheckedPlaybook & { version: { id: string; version: number; digest: string } }) | null> {
  const rows = await db.$queryRaw<Array<Version & { id: string; version: number; allowUnsigned: boolean; keys: KeyJson[] }>>`
    SELECT v.id, v.version, v."orgId", v.digest, v.source, v.signature, o."allowUnsignedPlaybooks" AS "allowUnsigned",
      COALESCE((SELECT json_agg(json_build_object('id', k.id, 'name', k.name, 'fingerprint', k.fingerprint, 'publicKeyPem', k."publicKeyPem",
                 'revokedAt', k."revokedAt", 'revokedReason', k."revokedReason", 'notBefore', k."notBefore", 'notAfter', k."notAfter"))
                FROM "SigningKey" k WHERE k."orgId" = r."orgId"), '[]'::json) AS keys
    FROM "Run" r JOIN "PlaybookVersion" v ON v.id = r."playbookVersionId" JOIN "Organization" o ON o.id = r."orgId"
    WHERE r.id = ${runId}::uuid AND (${orgId ?? null}::uuid IS NULL OR r."orgId" = ${orgId ?? null}::uuid)`;
  const row = rows[0];
  if (!row) return null;
  return { ...checkPlaybookBytes(row, keysFromJson(row.keys), { allowUnsigned: row.allowUnsigned }), version: { id: row.id, version: row.version, digest: row.digest } };
}

/** Keys as `json_agg` returns them (timestamps as strings) → the shape verifyWithKeys takes. */
export function keysFromJson(keys: KeyJson[]): Key[] {
  return keys.map((k) => ({ ...k, revokedAt: k.revokedAt ? new Date(k.revokedAt) : null, notBefore: new Date(k.notBefore), notAfter: k.notAfter ? new Date(k.notAfter) : null }));
}
