// Which secrets an organization's playbooks may read: an explicit list kept by its admins. A new
// organization is granted nothing (fail closed): a playbook naming a secret that is not granted cannot
// run, and its dry-run says so. A grant is a secret name (its `#key` part aside) or a prefix ending in
// `*` (`slack/*`, or `*` for everything in the organization's own namespace). Grants never reach past
// the organization's namespace: which variable or Vault path a name reads is lib/secrets/providers.ts.
import { z } from "zod";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { notFound } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/append-audit";
import { SecretError, type SecretProvider } from "@/lib/secrets/providers";

const GRANT = /^([A-Za-z0-9_.\/-]+\*?|\*)$/;

export const ZSecretGrants = z
  .array(
    z
      .string()
      .trim()
      .max(200)
      .regex(GRANT, 'a secret name (letters, digits, _ - . /), a prefix ending in "*", or "*"')
      .refine((g) => !g.split("/").some((s) => s === "." || s === ".."), '"." and ".." path segments are not allowed'),
  )
  .max(500)
  .transform((grants) => [...new Set(grants)].sort());

export const ZSecretGrantsInput = z.object({ grants: ZSecretGrants }).strict();
export type SecretGrantsInput = z.input<typeof ZSecretGrantsInput>;

/** Whether `name` (e.g. `pagerduty/routing#key`) is covered by one of the grants. */
export function isGranted(name: string, grants: readonly string[]): boolean {
  const path = name.split("#")[0]!;
  return grants.some((g) => (g.endsWith("*") ? path.startsWith(g.slice(0, -1)) : path === g));
}

export function notGrantedMessage(name: string): string {
  return `secret ${JSON.stringify(name)} is not granted to this organization (an admin grants it under Settings → Signing keys & policy → Secrets)`;
}

/** The provider as one organization's playbooks see it: only granted names, only in its namespace. */
export function orgSecrets(provider: SecretProvider, org: { slug: string; secretGrants: readonly string[] }) {
  return {
    async get(name: string, opts: { signal?: AbortSignal } = {}): Promise<string> {
      if (!isGranted(name, org.secretGrants)) throw new SecretError("not_granted", notGrantedMessage(name));
      return provider.get(name, { org: org.slug, ...(opts.signal ? { signal: opts.signal } : {}) });
    },
  };
}

async function grantsOf(orgId: string, tx: Prisma.TransactionClient = db): Promise<string[]> {
  const org = await tx.organization.findUnique({ where: { id: orgId }, select: { secretGrants: true } });
  if (!org) throw notFound("organization");
  return org.secretGrants;
}

export async function getSecretGrants({ actor }: { actor: Actor }) {
  assertCan(actor, "playbooks.read");
  return { grants: await grantsOf(actor.orgId) };
}

/** Replaces the list (audited with before and after). */
export async function updateSecretGrants({ actor, input }: { actor: Actor; input: SecretGrantsInput }) {
  assertCan(actor, "settings.manage");
  const { grants } = ZSecretGrantsInput.parse(input);
  return db.$transaction(async (tx) => {
    const before = await grantsOf(actor.orgId, tx);
    await tx.organization.update({ where: { id: actor.orgId }, data: { secretGrants: grants } });
    await appendAudit(tx, { actor, action: "settings.secret_grants_updated", target: { type: "organization", id: actor.orgId }, data: { before, after: grants } });
    return { grants };
  });
}
