// The org setting that makes redaction mask private addresses too: off by default, admins only, audited, and
// honoured by the org redactor that exports and embeddings use.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { GET, PATCH } from "@/app/api/v1/settings/redaction/route";
import { orgRedactor } from "@/lib/orgs/redaction-key";
import { getRedactionSettings, updateRedactionSettings } from "@/lib/orgs/redaction-settings";
import { makeActor, makeOrg } from "@/test/factories";
import { bearer, callRoute, tokenFor } from "@/test/call-route";
import type { Actor } from "@/lib/context";

const LINE = "upstream 10.0.3.17:8080 (node fe80::1ff:fe23:4567:890a, vpc 10.0.0.0/16) refused client 81.2.69.160";

let admin: Actor;
let operator: Actor;
beforeAll(async () => {
  const org = await makeOrg("redaction-settings");
  admin = await makeActor(org.id, "admin");
  operator = await makeActor(org.id, "operator");
});

describe("maskPrivateAddresses", () => {
  it("is off for a new org: private addresses and CIDRs are kept, public ones masked", async () => {
    expect(await getRedactionSettings({ actor: operator })).toEqual({ maskPrivateAddresses: false });
    const out = (await orgRedactor(admin.orgId)).text(LINE);
    expect(out).toContain("10.0.3.17:8080");
    expect(out).toContain("fe80::1ff:fe23:4567:890a");
    expect(out).toContain("10.0.0.0/16");
    expect(out).not.toContain("81.2.69.160");
  });

  it("when an admin turns it on, the org redactor masks private addresses too, and the change is audited", async () => {
    await expect(updateRedactionSettings({ actor: operator, input: { maskPrivateAddresses: true } })).rejects.toMatchObject({ code: "forbidden" });
    expect(await updateRedactionSettings({ actor: admin, input: { maskPrivateAddresses: true } })).toEqual({ maskPrivateAddresses: true });
    const out = (await orgRedactor(admin.orgId)).text(LINE);
    for (const a of ["10.0.3.17", "fe80::1ff", "10.0.0.0", "81.2.69.160"]) expect(out).not.toContain(a);
    expect(out).toMatch(/^upstream <ipv4:[0-9a-f]{8}>:8080 /);
    const ev = await db.auditEvent.findFirst({ where: { orgId: admin.orgId, action: "settings.redaction_updated" }, orderBy: { seq: "desc" } });
    expect(ev?.data).toMatchObject({ before: { maskPrivateAddresses: false }, after: { maskPrivateAddresses: true } });
    await updateRedactionSettings({ actor: admin, input: { maskPrivateAddresses: false } });
  });

  it("API: GET for members, PATCH for admins with a boolean only", async () => {
    const viewer = await tokenFor(admin.orgId, "viewer");
    const adminToken = await tokenFor(admin.orgId, "admin");
    const get = await callRoute(GET, { method: "GET", headers: bearer(viewer), path: "/api/v1/settings/redaction" });
    expect(get.status).toBe(200);
    expect(get.json).toEqual({ maskPrivateAddresses: false });
    const denied = await callRoute(PATCH, { method: "PATCH", headers: bearer(viewer), body: { maskPrivateAddresses: true }, path: "/api/v1/settings/redaction" });
    expect(denied.status).toBe(403);
    const bad = await callRoute(PATCH, { method: "PATCH", headers: bearer(adminToken), body: { maskPrivateAddresses: "yes" }, path: "/api/v1/settings/redaction" });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBeTruthy();
    const ok = await callRoute(PATCH, { method: "PATCH", headers: bearer(adminToken), body: { maskPrivateAddresses: true }, path: "/api/v1/settings/redaction" });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ maskPrivateAddresses: true });
    await updateRedactionSettings({ actor: admin, input: { maskPrivateAddresses: false } });
  });
});
