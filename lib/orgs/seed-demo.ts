// The demo organization with one user per role; used by `npm run up`, the e2e tests and the README.
import { db } from "@/lib/db";
import { systemActor } from "@/lib/context";
import { ROLES, type Role } from "@/lib/authz/permissions";
import { ensureOrg } from "@/lib/orgs/ensure-org";
import { createMember } from "@/lib/users/create-member";

export const DEMO_ORG = "demo";
export const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? "neuralops-demo";
export const demoEmail = (role: Role) => `${role}@demo.neuralops.local`;

export async function seedDemo() {
  const org = await ensureOrg({ slug: DEMO_ORG, name: "Demo Org" });
  const actor = systemActor("seed", org.id);
  const created: string[] = [];
  for (const role of ROLES) {
    const email = demoEmail(role);
    const user = await db.user.findUnique({ where: { email }, include: { memberships: { where: { orgId: org.id } } } });
    if (user?.memberships.length) continue;
    await createMember({ actor, input: { email, name: `Demo ${role}`, role, password: DEMO_PASSWORD } });
    created.push(email);
  }
  return { org, created };
}
