// CSRF: a browser sends the session cookie with any cross-site form or fetch, so a state-changing request
// authenticated by the cookie must come from the app's own origin. Bearer tokens are not ambient
// credentials and are not subject to the check.
import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it, vi } from "vitest";

// getServerSession reads next/headers, which only exists inside Next; the session it would decode from
// the cookie is set per test here. Everything after it (membership lookup, the adapter) is the real code.
const auth = vi.hoisted(() => {
  process.env.NEURALOPS_PUBLIC_URL = "https://ops.example.com/neuralops";
  return { session: null as null | { user: { id: string; orgId: string } } };
});
vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<typeof import("next-auth")>()), getServerSession: async () => auth.session }));

import { POST as addMember, GET as listMembers } from "@/app/api/v1/invitations/route";
import { DELETE as revokeToken } from "@/app/api/v1/tokens/[id]/route";
import { db } from "@/lib/db";
import { makeActor, makeOrg } from "@/test/factories";
import { bearer, callRoute, tokenFor } from "@/test/call-route";

let orgId: string;
// Inviting an admin is the write an attacker wants; the count of invitations shows whether it happened.
const newMember = () => ({ email: `csrf-${randomUUID().slice(0, 8)}@test.local`, role: "admin" });
const members = () => db.invitation.count({ where: { orgId } });

beforeEach(async () => {
  orgId = (await makeOrg("csrf")).id;
  const admin = await makeActor(orgId, "admin");
  auth.session = { user: { id: admin.id, orgId } };
});

describe("cookie-authenticated writes and the Origin header", () => {
  it("refuses the reproduced attack: a foreign page's text/plain POST inviting an admin", async () => {
    const before = await members();
    const res = await callRoute(addMember, { headers: { origin: "https://evil.example", "content-type": "text/plain" }, body: JSON.stringify(newMember()) });
    expect(res.status, res.text).toBe(403);
    expect(res.json.error.code).toBe("forbidden");
    expect(await members()).toBe(before);
  });

  it.each([
    ["a foreign Origin with a JSON body", { origin: "https://evil.example" }],
    ["a foreign Referer and no Origin", { referer: "https://evil.example/page" }],
    ["Origin: null (sandboxed frame)", { origin: "null" }],
    ["neither Origin nor Referer", {}],
    ["a look-alike host", { origin: "https://neuralops.test.evil.example" }],
  ])("refuses %s (403)", async (_, headers) => {
    const before = await members();
    const res = await callRoute(addMember, { headers, body: newMember() });
    expect(res.status, res.text).toBe(403);
    expect(await members()).toBe(before);
  });

  it("refuses a cross-site DELETE too", async () => {
    const res = await callRoute(revokeToken, { method: "DELETE", params: { id: randomUUID() }, headers: { origin: "https://evil.example" } });
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe("forbidden");
  });

  it.each([
    ["its own origin (the Host it was reached at)", { origin: "http://neuralops.test" }],
    ["the configured public URL's origin", { origin: "https://ops.example.com" }],
    ["a same-origin Referer when Origin is absent", { referer: "http://neuralops.test/settings/members" }],
  ])("accepts %s", async (_, headers) => {
    const res = await callRoute(addMember, { headers, body: newMember() });
    expect(res.status, res.text).toBe(201);
  });

  it("same origin but not declared as JSON → 415", async () => {
    const res = await callRoute(addMember, { headers: { origin: "http://neuralops.test", "content-type": "text/plain" }, body: JSON.stringify(newMember()) });
    expect(res.status, res.text).toBe(415);
  });

  it("reads (GET) are not subject to the check", async () => {
    const res = await callRoute(listMembers, { method: "GET", headers: { origin: "https://evil.example" } });
    expect(res.status, res.text).toBe(200);
  });

  it("a Bearer token from any origin is accepted (no ambient credential to abuse)", async () => {
    auth.session = null;
    const token = await tokenFor(orgId, "admin");
    const res = await callRoute(addMember, { headers: { ...bearer(token), origin: "https://elsewhere.example" }, body: newMember() });
    expect(res.status, res.text).toBe(201);
  });
});
