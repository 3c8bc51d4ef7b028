// The demo organization on a real database: its users (published password) and its policy. One demo org
// per database: these tests run in order and build on each other.
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { systemActor } from "@/lib/context";
import { ROLES } from "@/lib/authz/permissions";
import { verifyCredentials } from "@/lib/auth/verify-credentials";
import { DEMO_ORG, DEMO_PASSWORD, demoEmail, disableDemoUsers, seedDemo } from "@/lib/orgs/seed-demo";
import { DEMO_EGRESS, DEMO_SECRET_GRANTS } from "@/lib/orgs/demo-policy";
import { updateEgressPolicy } from "@/lib/egress/settings";

const env = process.env as Record<string, string | undefined>;
const saved = { NODE_ENV: env.NODE_ENV, NEURALOPS_SEED_DEMO: env.NEURALOPS_SEED_DEMO };
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
});

describe("demo users (published password)", () => {
  it("are refused under NODE_ENV=production unless NEURALOPS_SEED_DEMO=true", async () => {
    env.NODE_ENV = "production";
    delete env.NEURALOPS_SEED_DEMO;
    await expect(seedDemo()).rejects.toThrow(/NEURALOPS_SEED_DEMO=true/);
    env.NEURALOPS_SEED_DEMO = "false";
    await expect(seedDemo()).rejects.toThrow(/NEURALOPS_SEED_DEMO=true/);
    expect(await db.user.count({ where: { email: { in: ROLES.map(demoEmail) } } })).toBe(0);
  });

  it("are seeded with the explicit opt-in, and the seed reports which ones can sign in", async () => {
    env.NODE_ENV = "production";
    env.NEURALOPS_SEED_DEMO = "true";
    const { activeDemoUsers } = await seedDemo();
    expect(activeDemoUsers.sort()).toEqual(ROLES.map(demoEmail).sort());
    expect(await verifyCredentials({ email: demoEmail("admin"), password: DEMO_PASSWORD })).toMatchObject({ role: "admin" });
  });

  it("can be disabled: they no longer sign in, a later seed does not bring them back, the audit chain says so", async () => {
    const disabled = await disableDemoUsers();
    expect(disabled.sort()).toEqual(ROLES.map(demoEmail).sort());
    expect(await verifyCredentials({ email: demoEmail("admin"), password: DEMO_PASSWORD })).toBeNull();
    expect((await seedDemo()).activeDemoUsers).toEqual([]);
    expect(await disableDemoUsers()).toEqual([]);
    const events = await db.auditEvent.findMany({ where: { action: "member.disabled" } });
    expect(events.map((e) => (e.data as { email: string }).email).sort()).toEqual(ROLES.map(demoEmail).sort());
  });
});

describe("demo policy", () => {
  it("grants the catalog's secrets and allows loopback for the demo; a second seed keeps an admin's change", async () => {
    const { org } = await seedDemo();
    const seeded = await db.organization.findUniqueOrThrow({ where: { slug: DEMO_ORG } });
    expect(seeded.secretGrants).toEqual(DEMO_SECRET_GRANTS);
    expect({ allowHosts: seeded.egressAllowHosts, allowCidrs: seeded.egressAllowCidrs }).toEqual(DEMO_EGRESS);

    await updateEgressPolicy({ actor: systemActor("test", org.id), input: { allowHosts: ["hooks.slack.com"], allowCidrs: [] } });
    await seedDemo();
    const again = await db.organization.findUniqueOrThrow({ where: { slug: DEMO_ORG } });
    expect(again.egressAllowHosts).toEqual(["hooks.slack.com"]);
    expect(again.egressAllowCidrs).toEqual([]);
  });
});
