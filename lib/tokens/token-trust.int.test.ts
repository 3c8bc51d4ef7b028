// Separation of duties through API tokens, as an attacker would try it, on real PostgreSQL: token
// families meeting a quorum, scope escalation, tokens outliving their owner's rights, and membership.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { systemActor, type Actor } from "@/lib/context";
import { AppError } from "@/lib/errors";
import { createApiToken } from "@/lib/tokens/create-api-token";
import { authenticateToken } from "@/lib/tokens/authenticate-token";
import { setMemberRole } from "@/lib/users/set-member-role";
import { removeMember } from "@/lib/users/remove-member";
import { createMember } from "@/lib/users/create-member";
import { acceptInvitation, inviteMember, previewInvitation } from "@/lib/users/invitations";
import { requestRun } from "@/lib/orchestrator/request-run";
import { runDryRun } from "@/lib/orchestrator/dry-run";
import { approveRun } from "@/lib/orchestrator/approve-run";
import { makeActor, makeOrg } from "@/test/factories";
import { playbookYaml, trustNewKey, uploadSigned } from "@/test/playbook-fixtures";

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

const asToken = async (token: string): Promise<Actor> => {
  const actor = await authenticateToken(token);
  expect(actor).not.toBeNull();
  return actor!;
};

/** An org with a trusted key and a high-risk playbook (two approvers, neither the requester). */
async function highRiskOrg() {
  const org = await makeOrg("sod");
  const admin = await makeActor(org.id, "admin");
  const key = await trustNewKey(admin);
  const name = `risky-${org.slug}`;
  await uploadSigned(admin, playbookYaml(name, "high", [{ id: "pause", action: "wait", with: { duration: "1ms" } }]), key.sign);
  return { org, admin, playbook: name };
}

async function awaitingApproval(actor: Actor, playbook: string) {
  const run = await requestRun({ actor, input: { playbook, params: {} } });
  await runDryRun(run.id);
  expect((await db.run.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("awaiting_approval");
  return run.id;
}

describe("four-eyes cannot be met by one person's tokens", () => {
  it("an admin token's two approver tokens are the admin: they cannot approve the admin token's high-risk run", async () => {
    const { org, admin, playbook } = await highRiskOrg();
    const adminToken = await createApiToken({ actor: admin, input: { name: "admin-cli", role: "admin" } });
    const adminTokenActor = await asToken(adminToken.token);
    const a1 = await createApiToken({ actor: adminTokenActor, input: { name: "alt-1", role: "approver" } });
    const a2 = await createApiToken({ actor: adminTokenActor, input: { name: "alt-2", role: "approver" } });
    // A token minted by a token belongs to the same person.
    expect((await db.apiToken.findMany({ where: { id: { in: [a1.id, a2.id] } } })).map((t) => t.ownerId)).toEqual([admin.id, admin.id]);

    const runId = await awaitingApproval(adminTokenActor, playbook);
    const first = await rejection(approveRun({ actor: await asToken(a1.token), id: runId }));
    expect(first.code).toBe("forbidden"); // the requester's own approval does not count at high risk
    await rejection(approveRun({ actor: await asToken(a2.token), id: runId }));
    expect((await db.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe("awaiting_approval");
    expect(await db.approval.count({ where: { runId, decision: "approved" } })).toBe(0);
    void org;
  });

  it("an approver and their own token count once towards a quorum of two", async () => {
    const { org, playbook } = await highRiskOrg();
    const operator = await makeActor(org.id, "operator");
    const approver = await makeActor(org.id, "approver");
    const cli = systemActor("cli", org.id);
    const approverToken = await createApiToken({ actor: cli, ownerEmail: approver.label!, input: { name: "approver-cli", role: "approver" } });
    const runId = await awaitingApproval(operator, playbook);
    expect((await approveRun({ actor: approver, id: runId })).status).toBe("awaiting_approval");
    expect((await rejection(approveRun({ actor: await asToken(approverToken.token), id: runId }))).code).toBe("conflict");
    expect((await db.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe("awaiting_approval");
  });

  it("a service token never approves or rejects, whatever its role", async () => {
    const { org, playbook } = await highRiskOrg();
    const operator = await makeActor(org.id, "operator");
    const svc = await createApiToken({ actor: systemActor("cli", org.id), input: { name: "ci", role: "approver", service: true } });
    const runId = await awaitingApproval(operator, playbook);
    expect((await rejection(approveRun({ actor: await asToken(svc.token), id: runId }))).code).toBe("forbidden");
    // ... nor manages tokens, even with the admin role.
    const svcAdmin = await createApiToken({ actor: systemActor("cli", org.id), input: { name: "ops-bot", role: "admin", service: true } });
    expect((await rejection(createApiToken({ actor: await asToken(svcAdmin.token), input: { name: "x", role: "viewer" } }))).code).toBe("forbidden");
  });

  it("the CLI must name the person a token acts for (or ask for a service token), and that person must be a member", async () => {
    const org = await makeOrg("cli");
    const cli = systemActor("cli", org.id);
    expect((await rejection(createApiToken({ actor: cli, input: { name: "x", role: "admin" } }))).code).toBe("validation_failed");
    expect((await rejection(createApiToken({ actor: cli, ownerEmail: "nobody@test.local", input: { name: "x", role: "admin" } }))).code).toBe("not_found");
    const viewer = await makeActor(org.id, "viewer");
    // Not more than the owner's role.
    expect((await rejection(createApiToken({ actor: cli, ownerEmail: viewer.label!, input: { name: "x", role: "operator" } }))).code).toBe("forbidden");
    const ok = await createApiToken({ actor: cli, ownerEmail: viewer.label!, input: { name: "x", role: "viewer" } });
    expect(ok.owner).toBe(viewer.label);
    // Only the CLI may name someone else.
    const admin = await makeActor(org.id, "admin");
    expect((await rejection(createApiToken({ actor: admin, ownerEmail: viewer.label!, input: { name: "y", role: "viewer" } }))).code).toBe("forbidden");
  });
});

describe("a new token never has more than its creator's effective rights", () => {
  it("a token scoped to tokens.manage cannot mint an unscoped token, nor one with rights outside its scopes", async () => {
    const org = await makeOrg("scope");
    const admin = await makeActor(org.id, "admin");
    const minter = await asToken((await createApiToken({ actor: admin, input: { name: "minter", role: "admin", scopes: ["tokens.manage"] } })).token);
    expect((await rejection(createApiToken({ actor: minter, input: { name: "full", role: "admin" } }))).code).toBe("forbidden");
    expect((await rejection(createApiToken({ actor: minter, input: { name: "viewer", role: "viewer" } }))).code).toBe("forbidden");
    expect((await rejection(createApiToken({ actor: minter, input: { name: "ack", role: "operator", scopes: ["incidents.ack"] } }))).code).toBe("forbidden");
    // Within its scopes it may: a token that only manages tokens.
    const same = await createApiToken({ actor: minter, input: { name: "same", role: "admin", scopes: ["tokens.manage"] } });
    expect((await asToken(same.token)).scopes).toEqual(["tokens.manage"]);
  });
});

describe("tokens follow their owner's rights", () => {
  it("demoting a member demotes their tokens at once", async () => {
    const org = await makeOrg("demote");
    const admin = await makeActor(org.id, "admin");
    const other = await makeActor(org.id, "admin");
    const t = await createApiToken({ actor: other, input: { name: "mine", role: "admin" } });
    expect((await asToken(t.token)).role).toBe("admin");
    await setMemberRole({ actor: admin, input: { userId: other.id, role: "viewer" } });
    const demoted = await asToken(t.token);
    expect(demoted.role).toBe("viewer");
    expect((await rejection(createApiToken({ actor: demoted, input: { name: "x", role: "viewer" } }))).code).toBe("forbidden");
  });

  it("removing a member revokes their tokens, audited; their account stays", async () => {
    const org = await makeOrg("remove");
    const admin = await makeActor(org.id, "admin");
    const leaver = await makeActor(org.id, "operator");
    const t = await createApiToken({ actor: systemActor("cli", org.id), ownerEmail: leaver.label!, input: { name: "leaver-ci", role: "operator" } });
    const removed = await removeMember({ actor: admin, userId: leaver.id });
    expect(removed.tokensRevoked).toBe(1);
    expect(await authenticateToken(t.token)).toBeNull();
    expect(await db.membership.count({ where: { orgId: org.id, userId: leaver.id } })).toBe(0);
    expect(await db.user.count({ where: { id: leaver.id } })).toBe(1);
    const ev = await db.auditEvent.findFirstOrThrow({ where: { orgId: org.id, action: "member.removed" } });
    expect(ev.data).toMatchObject({ tokensRevoked: 1, role: "operator" });
  });

  it("a token whose owner left the org is refused even if nobody revoked it", async () => {
    const org = await makeOrg("gone");
    const user = await makeActor(org.id, "operator");
    const t = await createApiToken({ actor: systemActor("cli", org.id), ownerEmail: user.label!, input: { name: "x", role: "operator" } });
    await db.membership.deleteMany({ where: { orgId: org.id, userId: user.id } });
    expect(await authenticateToken(t.token)).toBeNull();
  });

  it("two admins demoting each other at the same moment leave one admin (row locks on real PostgreSQL)", async () => {
    for (let i = 0; i < 5; i++) {
      const org = await makeOrg("race");
      const a = await makeActor(org.id, "admin");
      const b = await makeActor(org.id, "admin");
      const results = await Promise.allSettled([
        setMemberRole({ actor: a, input: { userId: b.id, role: "viewer" } }),
        i % 2 ? removeMember({ actor: b, userId: a.id }) : setMemberRole({ actor: b, input: { userId: a.id, role: "viewer" } }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(await db.membership.count({ where: { orgId: org.id, role: "admin" } })).toBe(1);
    }
  });
});

describe("joining an organization takes the invitee's consent", () => {
  it("an admin cannot add another org's user directly, and learns nothing about whether the address has an account", async () => {
    const a = await makeOrg("inv-a");
    const b = await makeOrg("inv-b");
    const victim = await makeActor(a.id, "viewer");
    const adminB = await makeActor(b.id, "admin");
    await expect(createMember({ actor: adminB, input: { email: victim.label!, name: "x", role: "admin" } })).rejects.toMatchObject({ code: "forbidden" });

    const known = await inviteMember({ actor: adminB, input: { email: victim.label!, role: "admin" } });
    const unknown = await inviteMember({ actor: adminB, input: { email: `nobody-${b.slug}@test.local`, role: "admin" } });
    const shape = (x: object) => Object.keys(x).sort();
    expect(shape(known)).toEqual(shape(unknown));
    expect(await db.membership.count({ where: { orgId: b.id, userId: victim.id } })).toBe(0);

    // Only the person behind the address can accept, once.
    const intruder = await makeActor(b.id, "viewer");
    expect((await rejection(acceptInvitation({ input: { token: known.token }, signedIn: { userId: intruder.id, email: intruder.label! } }))).code).toBe("forbidden");
    expect((await rejection(acceptInvitation({ input: { token: known.token, name: "Mallory", password: "long enough password" } }))).code).toBe("conflict");
    const joined = await acceptInvitation({ input: { token: known.token }, signedIn: { userId: victim.id, email: victim.label! } });
    expect(joined).toMatchObject({ orgId: b.id, userId: victim.id, role: "admin" });
    expect((await rejection(acceptInvitation({ input: { token: known.token }, signedIn: { userId: victim.id, email: victim.label! } }))).code).toBe("not_found");
    expect((await db.auditEvent.findFirstOrThrow({ where: { orgId: b.id, action: "member.joined" } })).actorId).toBe(victim.id);
  });

  it("a new address creates its account from the link; expired and revoked links do nothing", async () => {
    const org = await makeOrg("inv-new");
    const admin = await makeActor(org.id, "admin");
    const email = `fresh-${org.slug}@test.local`;
    const inv = await inviteMember({ actor: admin, input: { email, role: "operator" } });
    expect(inv.url).toContain(`/invite/${inv.token}`);
    expect((await previewInvitation(inv.token)).email).toBe(email);
    expect((await rejection(acceptInvitation({ input: { token: inv.token, name: "Fresh" } }))).code).toBe("validation_failed");
    const joined = await acceptInvitation({ input: { token: inv.token, name: "Fresh", password: "long enough password" } });
    expect(joined.role).toBe("operator");
    expect(await db.user.count({ where: { email } })).toBe(1);

    const late = await inviteMember({ actor: admin, input: { email: `late-${org.slug}@test.local`, role: "viewer" } });
    await db.invitation.update({ where: { id: late.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await rejection(acceptInvitation({ input: { token: late.token, name: "L", password: "long enough password" } }))).code).toBe("not_found");
    // A second invitation for an address replaces the first.
    const again1 = await inviteMember({ actor: admin, input: { email: `twice-${org.slug}@test.local`, role: "viewer" } });
    await inviteMember({ actor: admin, input: { email: `twice-${org.slug}@test.local`, role: "viewer" } });
    expect((await rejection(previewInvitation(again1.token))).code).toBe("not_found");
  });
});
