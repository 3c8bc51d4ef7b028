// Playbooks enter the database as content-addressed versions: the same bytes are the same version
// (idempotent re-sync); new bytes must carry a higher `version`, so history is never rewritten.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { AppError } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/append-audit";
import { parsePlaybook, playbookDigest } from "@/lib/playbooks/schema";

const MAX_PLAYBOOK_BYTES = 256 * 1024;

export const ZUploadPlaybookInput = z
  .object({
    source: z.string().min(1).max(MAX_PLAYBOOK_BYTES),
    signature: z.string().trim().max(4096).optional(),
  })
  .strict();
export type UploadPlaybookInput = z.input<typeof ZUploadPlaybookInput>;

export type SaveResult = { name: string; version: number; digest: string; created: boolean };

async function saveVersion(tx: Prisma.TransactionClient, actor: Actor, bytes: Uint8Array, signature: string | undefined, origin: string): Promise<SaveResult> {
  const spec = parsePlaybook(bytes);
  const digest = playbookDigest(bytes);
  const orgId = actor.orgId;
  const same = await tx.playbookVersion.findUnique({ where: { orgId_digest: { orgId, digest } }, include: { playbook: true } });
  if (same) {
    // Same bytes: only a signature may be added (e.g. signed after a first unsigned sync).
    if (signature && signature !== same.signature) {
      await tx.playbookVersion.update({ where: { id: same.id }, data: { signature } });
      await appendAudit(tx, { actor, action: "playbook.signature_updated", target: { type: "playbook_version", id: same.id }, data: { name: spec.name, version: spec.version, digest } });
    }
    return { name: same.playbook.name, version: same.version, digest, created: false };
  }
  const existing = await tx.playbook.findUnique({ where: { orgId_name: { orgId, name: spec.name } } });
  if (existing && spec.version <= existing.latestVersion) {
    throw new AppError("conflict", `playbook '${spec.name}' version ${spec.version} has different content than what is stored; bump version above ${existing.latestVersion}`);
  }
  const playbook = existing
    ? await tx.playbook.update({ where: { id: existing.id }, data: { description: spec.description, risk: spec.risk, latestVersion: spec.version } })
    : await tx.playbook.create({ data: { orgId, name: spec.name, description: spec.description, risk: spec.risk, latestVersion: spec.version } });
  const row = await tx.playbookVersion.create({
    data: { orgId, playbookId: playbook.id, version: spec.version, digest, source: Buffer.from(bytes), spec: spec as unknown as Prisma.InputJsonValue, signature: signature || null, origin },
  });
  await appendAudit(tx, { actor, action: "playbook.version_added", target: { type: "playbook_version", id: row.id }, data: { name: spec.name, version: spec.version, digest, risk: spec.risk, signed: !!signature, origin } });
  return { name: spec.name, version: spec.version, digest, created: true };
}

export async function uploadPlaybook({ actor, input }: { actor: Actor; input: UploadPlaybookInput }): Promise<SaveResult> {
  assertCan(actor, "playbooks.manage");
  const data = ZUploadPlaybookInput.parse(input);
  return db.$transaction((tx) => saveVersion(tx, actor, Buffer.from(data.source, "utf8"), data.signature, "upload"));
}

export const CATALOG_DIR = path.resolve(process.env.PLAYBOOKS_DIR ?? "playbooks");

/** Syncs `<dir>/*.yaml` (+ `<file>.sig`). Each file is its own transaction; one bad file does not stop the rest. */
export async function syncCatalog({ actor, dir = CATALOG_DIR }: { actor: Actor; dir?: string }) {
  assertCan(actor, "playbooks.manage");
  const files = (await readdir(dir)).filter((f) => f.endsWith(".yaml") || f.endsWith(".yml")).sort();
  const results: Array<SaveResult & { file: string } | { file: string; error: string }> = [];
  for (const file of files) {
    const bytes = await readFile(path.join(dir, file));
    const signature = await readFile(path.join(dir, `${file}.sig`), "utf8").then((s) => s.trim(), () => undefined);
    try {
      results.push({ file, ...(await db.$transaction((tx) => saveVersion(tx, actor, bytes, signature, `catalog:${file}`))) });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      results.push({ file, error: err.message });
    }
  }
  return results;
}
