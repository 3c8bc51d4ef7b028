// The demo organization with one user per role; used by `npm run up`, the e2e tests and the README.
// Their password is published (README), so anyone who can reach the app can sign in as admin: they are created
// only on purpose (refused under NODE_ENV=production unless NEURALOPS_SEED_DEMO=true), and disableDemoUsers()
// (`npm run db:seed -- --disable-demo-users`) turns them off once you have your own admin.
import { db } from "@/lib/db";
import { systemActor } from "@/lib/context";
import { ROLES, type Role } from "@/lib/authz/permissions";
import { ensureOrg } from "@/lib/orgs/ensure-org";
import { createMember } from "@/lib/users/create-member";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { addSigningKey } from "@/lib/playbooks/signing-keys";
import { parsePublicKey } from "@/lib/playbooks/signature";
import { CATALOG_DIR, syncCatalog } from "@/lib/playbooks/save-playbook";
import { updateEgressPolicy } from "@/lib/egress/settings";
import { updateSecretGrants } from "@/lib/secrets/grants";
import { DEMO_EGRESS, DEMO_SECRET_GRANTS } from "@/lib/orgs/demo-policy";
import { appendAudit } from "@/lib/audit/append-audit";
import { verifyPassword } from "@/lib/auth/password";
import { DEMO_PASSWORD } from "@/lib/orgs/demo-users-notice";

export const DEMO_ORG = "demo";
export { DEMO_PASSWORD };
export const demoEmail = (role: Role) => `${role}@demo.neuralops.local`;

const DEMO_EMAILS = () => ROLES.map(demoEmail);

export async function seedDemo() {
  if (process.env.NODE_ENV === "production" && process.env.NEURALOPS_SEED_DEMO !== "true") {
    throw new Error(
      `refusing to create the demo users (password '${DEMO_PASSWORD}' is published) with NODE_ENV=production: ` +
        "set NEURALOPS_SEED_DEMO=true to seed them anyway (a throwaway demo), and disable them before exposing the app",
    );
  }
  const org = await ensureOrg({ slug: DEMO_ORG, name: "Demo Org" });
  const actor = systemActor("seed", org.id);
  const created: string[] = [];
  for (const role of ROLES) {
    const email = demoEmail(role);
    if (await seedDemoUser(org.id, role, email, true)) created.push(email);
  }
  const playbooks = await seedCatalog(actor);
  await seedDemoPolicy(actor);
  const enabled = await db.user.findMany({ where: { email: { in: DEMO_EMAILS() }, disabledAt: null }, omit: { passwordHash: false } });
  // Only accounts still on the published password are a risk, not one whose password was changed.
  const activeDemoUsers: string[] = [];
  for (const u of enabled) if (await verifyPassword(DEMO_PASSWORD, u.passwordHash)) activeDemoUsers.push(u.email);
  return { org, created, playbooks, activeDemoUsers };
}

/** Disables every demo account still enabled (sign-in and API refused; rows and audit history kept). */
export async function disableDemoUsers(): Promise<string[]> {
  const disabled: string[] = [];
  for (const email of DEMO_EMAILS()) {
    await db.$transaction(async (tx) => {
      const user = await tx.user.findUnique({ where: { email }, include: { memberships: true } });
      if (!user || user.disabledAt) return;
      await tx.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
      for (const m of user.memberships) {
        await appendAudit(tx, { actor: systemActor("seed", m.orgId), action: "member.disabled", target: { type: "user", id: user.id }, data: { email, reason: "demo user" } });
      }
      disabled.push(email);
    });
  }
  return disabled;
}

/** A demo member with the demo password; returns the email (undefined when it was there already, if asked). */
export async function seedDemoUser(orgId: string, role: Role, email: string): Promise<string>;
export async function seedDemoUser(orgId: string, role: Role, email: string, onlyNew: true): Promise<string | undefined>;
export async function seedDemoUser(orgId: string, role: Role, email: string, onlyNew = false): Promise<string | undefined> {
  const user = await db.user.findUnique({ where: { email }, include: { memberships: { where: { orgId } } } });
  if (user?.memberships.length) return onlyNew ? undefined : email;
  await createMember({ actor: systemActor("seed", orgId), input: { email, name: `Demo ${role}`, role, password: DEMO_PASSWORD } });
  return email;
}

/**
 * Egress and secret grants for the demo, on first seed only (while both are still empty): later
 * seeds keep whatever an admin changed. The seed actor is a system actor, allowed every permission.
 */
async function seedDemoPolicy(actor: ReturnType<typeof systemActor>) {
  const org = await db.organization.findUniqueOrThrow({ where: { id: actor.orgId }, select: { secretGrants: true, egressAllowHosts: true, egressAllowCidrs: true } });
  if (!org.secretGrants.length) await updateSecretGrants({ actor, input: { grants: DEMO_SECRET_GRANTS } });
  if (!org.egressAllowHosts.length && !org.egressAllowCidrs.length) await updateEgressPolicy({ actor, input: { allowHosts: [...DEMO_EGRESS.allowHosts], allowCidrs: [...DEMO_EGRESS.allowCidrs] } });
}

/** Trusts the catalog's release key (playbooks/catalog.pub.pem) and syncs playbooks/ into the org. */
export async function seedCatalog(actor: ReturnType<typeof systemActor>, dir = CATALOG_DIR) {
  const pem = await readFile(path.join(dir, "catalog.pub.pem"), "utf8");
  const { fingerprint } = parsePublicKey(pem);
  const trusted = await db.signingKey.findUnique({ where: { orgId_fingerprint: { orgId: actor.orgId, fingerprint } } });
  if (!trusted) await addSigningKey({ actor, input: { name: "NeuralOps catalog", publicKeyPem: pem } });
  return syncCatalog({ actor, dir });
}
