// Fresh database for this run: migrate, seed the demo org (one user per role), a second org for
// cross-tenant checks, and an API token per role. Teardown drops it all.
import { writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { createTestDatabase, deleteRedisPrefix, dropTestDatabase, dropStaleTestDatabases } from "../test/services";

export const STATE_FILE = path.join(import.meta.dirname, "../test-results/e2e-state.json");

export default async function globalSetup() {
  const url = new URL(process.env.E2E_DATABASE_URL!);
  const dbName = url.pathname.slice(1);
  await dropStaleTestDatabases();
  await createTestDatabase(dbName);

  // lib/ reads its configuration from the environment on first use.
  process.env.DATABASE_URL = url.toString();
  process.env.REDIS_PREFIX = process.env.E2E_REDIS_PREFIX;
  // The tests sign in as the demo users: seed them even if this runs with NODE_ENV=production.
  process.env.NEURALOPS_SEED_DEMO = "true";
  const { db } = await import("../lib/db");
  const { seedDemo } = await import("../lib/orgs/seed-demo");
  const { ensureOrg } = await import("../lib/orgs/ensure-org");
  const { createApiToken } = await import("../lib/tokens/create-api-token");
  const { systemActor } = await import("../lib/context");
  const { ROLES } = await import("../lib/authz/permissions");

  const { seedDemoUser } = await import("../lib/orgs/seed-demo");
  const { org } = await seedDemo();
  // Each role's token acts for that role's demo user (a token always belongs to a person).
  const tokens: Record<string, { token: string; id: string }> = {};
  for (const role of ROLES) {
    const t = await createApiToken({ actor: systemActor("e2e", org.id), ownerEmail: `${role}@demo.neuralops.local`, input: { name: `e2e-${role}`, role } });
    tokens[role] = { token: t.token, id: t.id };
  }
  const other = await ensureOrg({ slug: "other-org", name: "Other Org" });
  const otherAdminEmail = await seedDemoUser(other.id, "admin", "admin@other-org.neuralops.local");
  const otherAdmin = await createApiToken({ actor: systemActor("e2e", other.id), ownerEmail: otherAdminEmail, input: { name: "e2e-other-admin", role: "admin" } });
  await db.$disconnect();

  mkdirSync(path.dirname(STATE_FILE), { recursive: true });
  writeFileSync(STATE_FILE, JSON.stringify({ orgId: org.id, otherOrgId: other.id, tokens, otherAdmin: { token: otherAdmin.token, id: otherAdmin.id } }));

  return async () => {
    await dropTestDatabase(dbName);
    await deleteRedisPrefix(process.env.E2E_REDIS_PREFIX!);
  };
}
