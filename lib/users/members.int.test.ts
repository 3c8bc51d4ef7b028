import { describe, expect, it } from "vitest";
import { createMember } from "@/lib/users/create-member";
import { acceptInvitation, inviteMember } from "@/lib/users/invitations";
import { systemActor } from "@/lib/context";
import { setMemberRole } from "@/lib/users/set-member-role";
import { listMembers } from "@/lib/users/list-members";
import { db } from "@/lib/db";
import { makeActor, makeOrg } from "@/test/factories";

describe("members and roles", () => {
  it("admins invite members, who join by accepting; role changes are audited", async () => {
    const org = await makeOrg();
    const admin = await makeActor(org.id, "admin");
    const inv = await inviteMember({ actor: admin, input: { email: `new-${org.slug}@test.local`, role: "viewer" } });
    const m = await acceptInvitation({ input: { token: inv.token, name: "New", password: "twelve chars!" } });
    await setMemberRole({ actor: admin, input: { userId: m.userId, role: "approver" } });
    expect((await listMembers({ actor: admin })).find((x) => x.userId === m.userId)?.role).toBe("approver");
    const actions = (await db.auditEvent.findMany({ where: { orgId: org.id }, orderBy: { seq: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(["org.created", "member.invited", "member.joined", "member.role_changed"]);
  });

  it("rejects non-admins, duplicates, short passwords and demoting the last admin", async () => {
    const org = await makeOrg();
    const admin = await makeActor(org.id, "admin");
    const approver = await makeActor(org.id, "approver");
    const system = systemActor("cli", org.id);
    await expect(inviteMember({ actor: approver, input: { email: "x@test.local", role: "viewer" } })).rejects.toMatchObject({ code: "forbidden" });
    await expect(setMemberRole({ actor: approver, input: { userId: approver.id, role: "admin" } })).rejects.toMatchObject({ code: "forbidden" });
    await expect(createMember({ actor: system, input: { email: approver.label!, name: "dup", role: "viewer" } })).rejects.toMatchObject({ code: "conflict" });
    await expect(createMember({ actor: system, input: { email: "short@test.local", name: "s", role: "viewer", password: "short" } })).rejects.toThrow();
    await expect(setMemberRole({ actor: admin, input: { userId: admin.id, role: "viewer" } })).rejects.toMatchObject({ code: "conflict" });
  });

  it("never touches members of another organization", async () => {
    const a = await makeOrg();
    const b = await makeOrg();
    const adminA = await makeActor(a.id, "admin");
    const viewerB = await makeActor(b.id, "viewer");
    await expect(setMemberRole({ actor: adminA, input: { userId: viewerB.id, role: "admin" } })).rejects.toMatchObject({ code: "not_found" });
    expect((await listMembers({ actor: adminA })).map((m) => m.userId)).not.toContain(viewerB.id);
  });
});
