// Test data: every test gets its own organization, so tests never see each other's rows.
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import type { Role } from "@/lib/authz/permissions";
import { ensureOrg } from "@/lib/orgs/ensure-org";

export async function makeOrg(label = "t") {
  const slug = `${label}-${randomBytes(5).toString("hex")}`;
  return ensureOrg({ slug, name: `Test ${slug}` });
}

/** A real user with a membership in the org, returned as the Actor the web layer would build. */
export async function makeActor(orgId: string, role: Role): Promise<Actor> {
  const user = await db.user.create({ data: { email: `${role}-${randomBytes(5).toString("hex")}@test.local`, name: role } });
  await db.membership.create({ data: { orgId, userId: user.id, role } });
  return { type: "user", id: user.id, orgId, role, label: user.email };
}

/** Lets the org's playbooks reach the local test servers (127.0.0.1); a new org's egress policy denies them. */
export async function allowTestEgress(orgId: string) {
  await db.organization.update({ where: { id: orgId }, data: { egressAllowCidrs: ["127.0.0.1/32"] } });
}

/** Grants secret names to the org's playbooks (a new org is granted none). */
export async function grantTestSecrets(orgId: string, names: string[]) {
  await db.organization.update({ where: { id: orgId }, data: { secretGrants: { push: names } } });
}

/** The environment variable that holds secret `name` for the org (NEURALOPS_SECRET_<ORG>__<NAME>). */
export function testSecretVar(orgSlug: string, name: string) {
  return `NEURALOPS_SECRET_${orgSlug.toUpperCase().replace(/[^A-Z0-9]/g, "_")}__${name.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}
