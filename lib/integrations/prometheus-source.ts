// The organization's Prometheus (Integrations page): URL and credentials, the secret sealed at rest.
import { z } from "zod";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { appendAudit } from "@/lib/audit/append-audit";
import { open, seal } from "@/lib/crypto/secret-box";

/** The URL without user:password@ (for rows saved before URLs with credentials were refused). */
export function withoutUserinfo(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = "";
    u.password = "";
    return u.toString();
  } catch {
    return url;
  }
}

const hasUserinfo = (url: string) => {
  try {
    const u = new URL(url);
    return u.username !== "" || u.password !== "";
  } catch {
    return false;
  }
};

export const ZPrometheusSourceInput = z
  .object({
    // Credentials in the URL would be shown on the Integrations page, returned by the API and written to the
    // audit chain in clear; they belong in the credential fields, where the secret is sealed.
    url: z
      .string()
      .trim()
      .url()
      .refine((u) => /^https?:\/\//.test(u), "http or https URL")
      .refine((u) => !hasUserinfo(u), "must not contain a user name or password: put them in the credential fields (authType basic, username, secret)"),
    authType: z.enum(["none", "bearer", "basic"]).default("none"),
    username: z.string().max(200).optional(),
    // Omit to keep the stored secret.
    secret: z.string().max(4096).optional(),
  })
  .strict();
export type PrometheusSourceInput = z.input<typeof ZPrometheusSourceInput>;

export type PrometheusAuth = { bearer?: string; basic?: { username: string; password: string } };
export type PrometheusConnection = { baseUrl: string; auth?: PrometheusAuth };

export async function setPrometheusSource({ actor, input }: { actor: Actor; input: PrometheusSourceInput }) {
  assertCan(actor, "integrations.manage");
  const data = ZPrometheusSourceInput.parse(input);
  return db.$transaction(async (tx) => {
    const secretEncrypted = data.authType === "none" ? null : data.secret !== undefined ? seal(data.secret) : undefined;
    const row = await tx.prometheusSource.upsert({
      where: { orgId: actor.orgId },
      create: { orgId: actor.orgId, url: data.url, authType: data.authType, username: data.username ?? null, secretEncrypted: secretEncrypted ?? null },
      update: { url: data.url, authType: data.authType, username: data.username ?? null, ...(secretEncrypted !== undefined ? { secretEncrypted } : {}) },
    });
    await appendAudit(tx, { actor, action: "integration.prometheus_set", target: { type: "prometheus_source", id: row.id }, data: { url: data.url, authType: data.authType } });
    return { url: row.url, authType: row.authType, username: row.username, hasSecret: !!row.secretEncrypted };
  });
}

/** What the UI may show: never the secret. */
export async function getPrometheusSource({ actor }: { actor: Actor }) {
  assertCan(actor, "integrations.read");
  const row = await db.prometheusSource.findUnique({ where: { orgId: actor.orgId } });
  return row ? { url: withoutUserinfo(row.url), authType: row.authType, username: row.username, hasSecret: !!row.secretEncrypted } : null;
}

/** Server-side only (scans, charts): the connection with the secret opened. */
export async function prometheusConnection(orgId: string): Promise<PrometheusConnection | null> {
  const row = await db.prometheusSource.findUnique({ where: { orgId } });
  if (!row) return null;
  const secret = row.secretEncrypted ? open(row.secretEncrypted) : undefined;
  if (row.authType === "bearer" && secret) return { baseUrl: row.url, auth: { bearer: secret } };
  if (row.authType === "basic" && secret) return { baseUrl: row.url, auth: { basic: { username: row.username ?? "", password: secret } } };
  return { baseUrl: row.url };
}
