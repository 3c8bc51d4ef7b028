import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createApiToken } from "@/lib/tokens/create-api-token";
import { revokeApiToken } from "@/lib/tokens/revoke-api-token";
import { listApiTokens } from "@/lib/tokens/list-api-tokens";
import { authenticateToken } from "@/lib/tokens/authenticate-token";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain";
import { makeActor, makeOrg } from "@/test/factories";

describe("API tokens", () => {
  it("stores only a hash, authenticates as the token's role and org, and audits creation", async () => {
    const org = await makeOrg();
    const admin = await makeActor(org.id, "admin");
    const created = await createApiToken({ actor: admin, input: { name: "ci", role: "operator" } });
    const row = await db.apiToken.findUniqueOrThrow({ where: { id: created.id }, omit: { tokenHash: false } });
    expect(JSON.stringify(row)).not.toContain(created.token);
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);

    const actor = await authenticateToken(created.token);
    expect(actor).toMatchObject({ type: "token", id: created.id, orgId: org.id, role: "operator" });
    expect((await db.apiToken.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt).not.toBeNull();

    const events = await db.auditEvent.findMany({ where: { orgId: org.id, action: "token.created" } });
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events[0]!.data)).not.toContain(created.token);
    expect((await verifyAuditChain(org.id)).ok).toBe(true);
  });

  it("rejects unknown, tampered, revoked and expired tokens", async () => {
    const org = await makeOrg();
    const admin = await makeActor(org.id, "admin");
    const t = await createApiToken({ actor: admin, input: { name: "x", role: "viewer" } });
    expect(await authenticateToken(t.token.slice(0, -1) + (t.token.endsWith("a") ? "b" : "a"))).toBeNull();
    expect(await authenticateToken("nops_nonexistent0_" + "a".repeat(43))).toBeNull();

    await revokeApiToken({ actor: admin, id: t.id });
    expect(await authenticateToken(t.token)).toBeNull();
    await expect(revokeApiToken({ actor: admin, id: t.id })).rejects.toMatchObject({ code: "conflict" });

    const e = await createApiToken({ actor: admin, input: { name: "soon", role: "viewer", expiresInDays: 1 } });
    await db.apiToken.update({ where: { id: e.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await authenticateToken(e.token)).toBeNull();
  });

  it("needs tokens.manage, and cannot mint more rights than the creator has", async () => {
    const org = await makeOrg();
    const approver = await makeActor(org.id, "approver");
    await expect(createApiToken({ actor: approver, input: { name: "x", role: "viewer" } })).rejects.toMatchObject({ code: "forbidden" });
    await expect(listApiTokens({ actor: approver })).rejects.toMatchObject({ code: "forbidden" });

    // An admin token narrowed by scopes may not mint an unscoped admin token.
    const admin = await makeActor(org.id, "admin");
    const narrow = await createApiToken({ actor: admin, input: { name: "n", role: "admin", scopes: ["incidents.read"] } });
    const narrowActor = (await authenticateToken(narrow.token))!;
    await expect(createApiToken({ actor: narrowActor, input: { name: "y", role: "admin" } })).rejects.toMatchObject({ code: "forbidden" });
  });

  it("cannot revoke another organization's token", async () => {
    const a = await makeOrg();
    const b = await makeOrg();
    const adminA = await makeActor(a.id, "admin");
    const adminB = await makeActor(b.id, "admin");
    const t = await createApiToken({ actor: adminA, input: { name: "a", role: "viewer" } });
    await expect(revokeApiToken({ actor: adminB, id: t.id })).rejects.toMatchObject({ code: "not_found" });
    expect(await authenticateToken(t.token)).not.toBeNull();
  });
});
