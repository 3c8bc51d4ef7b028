// The demo organization's policy on a real database: seeded once, then left to its admins.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { systemActor } from "@/lib/context";
import { DEMO_ORG, seedDemo } from "@/lib/orgs/seed-demo";
import { DEMO_EGRESS, DEMO_SECRET_GRANTS } from "@/lib/orgs/demo-policy";
import { updateEgressPolicy } from "@/lib/egress/settings";

describe("seedDemo", () => {
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
