// Admin management of the egress policy and the secret grants, through the API routes: admins only,
// validated (400 with {error:{code,message}}, nothing written), and every change on the audit chain.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { systemActor } from "@/lib/context";
import { createApiToken } from "@/lib/tokens/create-api-token";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain";
import { GET as getEgress, PUT as putEgress } from "@/app/api/v1/settings/egress/route";
import { GET as getSecrets, PUT as putSecrets } from "@/app/api/v1/settings/secrets/route";
import { makeOrg } from "@/test/factories";

const noParams = { params: Promise.resolve({}) };

async function tokens() {
  const org = await makeOrg("egset");
  const make = async (role: "admin" | "approver") => (await createApiToken({ actor: systemActor("test", org.id), input: { name: `t-${role}`, role, service: true } })).token;
  return { org, admin: await make("admin"), approver: await make("approver") };
}

function call(handler: typeof putEgress, token: string, method: string, path: string, body?: unknown) {
  return handler(new Request(`http://localhost${path}`, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }), noParams);
}

describe("egress policy settings", () => {
  it("a new org denies everything; an admin replaces the policy (normalized, audited); others cannot", async () => {
    const t = await tokens();
    expect(await (await call(getEgress, t.approver, "GET", "/api/v1/settings/egress")).json()).toEqual({ allowHosts: [], allowCidrs: [] });

    const denied = await call(putEgress, t.approver, "PUT", "/api/v1/settings/egress", { allowHosts: ["*"], allowCidrs: [] });
    expect(denied.status).toBe(403);

    const bad = await call(putEgress, t.admin, "PUT", "/api/v1/settings/egress", { allowHosts: ["api.example.com"], allowCidrs: ["10.0.0.0/99"] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("validation_failed");

    const ok = await call(putEgress, t.admin, "PUT", "/api/v1/settings/egress", { allowHosts: ["API.example.com", "*.corp.example"], allowCidrs: ["10.1.0.0/16", "127.0.0.1"] });
    expect(ok.status).toBe(200);
    const policy = { allowHosts: ["*.corp.example", "api.example.com"], allowCidrs: ["10.1.0.0/16", "127.0.0.1/32"] };
    expect(await ok.json()).toEqual(policy);
    const org = await db.organization.findUniqueOrThrow({ where: { id: t.org.id } });
    expect({ allowHosts: org.egressAllowHosts, allowCidrs: org.egressAllowCidrs }).toEqual(policy);
    const event = await db.auditEvent.findFirstOrThrow({ where: { orgId: t.org.id, action: "settings.egress_updated" } });
    expect(event.data).toEqual({ before: { allowHosts: [], allowCidrs: [] }, after: policy });
    expect(await db.auditEvent.count({ where: { orgId: t.org.id, action: "settings.egress_updated" } })).toBe(1);
    expect((await verifyAuditChain(t.org.id)).ok).toBe(true);
  });
});

describe("secret grants settings", () => {
  it("none by default; an admin sets the list (audited); others cannot; bad names are refused", async () => {
    const t = await tokens();
    expect(await (await call(getSecrets, t.approver, "GET", "/api/v1/settings/secrets")).json()).toEqual({ grants: [] });
    expect((await call(putSecrets, t.approver, "PUT", "/api/v1/settings/secrets", { grants: ["*"] })).status).toBe(403);
    expect((await call(putSecrets, t.admin, "PUT", "/api/v1/settings/secrets", { grants: ["../x"] })).status).toBe(400);
    const ok = await call(putSecrets, t.admin, "PUT", "/api/v1/settings/secrets", { grants: ["SLACK_WEBHOOK_URL", "pagerduty/*"] });
    expect(await ok.json()).toEqual({ grants: ["SLACK_WEBHOOK_URL", "pagerduty/*"] });
    const event = await db.auditEvent.findFirstOrThrow({ where: { orgId: t.org.id, action: "settings.secret_grants_updated" } });
    expect(event.data).toEqual({ before: [], after: ["SLACK_WEBHOOK_URL", "pagerduty/*"] });
  });
});
