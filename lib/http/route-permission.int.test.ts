// The permission a route needs is checked right after authentication, before its params, query or
// body are read: a caller without the right learns nothing about the input format and costs nothing.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as createMonitor } from "@/app/api/v1/monitors/route";
import { PUT as updateMonitor } from "@/app/api/v1/monitors/[id]/route";
import { POST as addMember } from "@/app/api/v1/invitations/route";
import { ALL_PERMISSIONS } from "@/lib/authz/permissions";
import { makeOrg } from "@/test/factories";
import { bearer, callRoute, tokenFor } from "@/test/call-route";
import { loadApiHandlers, type ApiHandler } from "@/test/api-routes";

// Public by design: the health probe, the scrape endpoint (own token) and the agent's first call
// (the bootstrap token in its body is the credential), accepting an invitation (the link is), Slack's
// button presses (Slack's signature is), a notification's one-time acknowledge link (its token is) and the
// OpenAPI document (the API's shape, no organization's data).
const PUBLIC = new Set([
  "GET /api/health",
  "GET /api/metrics",
  "POST /api/v1/agent/enroll",
  "POST /api/v1/invitations/accept",
  "POST /api/v1/integrations/slack/interactions",
  "GET /api/v1/oncall/act/[token]",
  "POST /api/v1/oncall/act/[token]",
  "GET /api/v1/openapi.json",
]);
// Any signed-in caller may ask who they are, and link or unlink their own Slack account.
const ANY_ROLE = new Set(["GET /api/v1/me", "GET /api/v1/me/slack-link", "POST /api/v1/me/slack-link", "DELETE /api/v1/me/slack-link"]);
// Not built with route(): next-auth's own endpoints and the JSON 404 for unknown API paths.
const NOT_ROUTE = new Set(["/api/auth/[...nextauth]", "/api/[...path]"]);

let viewer: string;
let operator: string;
let routes: ApiHandler[];

beforeAll(async () => {
  const org = await makeOrg("perm");
  viewer = await tokenFor(org.id, "viewer");
  operator = await tokenFor(org.id, "operator");
  routes = await loadApiHandlers();
}, 60_000);

describe("permission before input", () => {
  it("a viewer POSTing an invalid body to an operator route gets 403, not a validation error", async () => {
    const res = await callRoute(createMonitor, { headers: bearer(viewer), body: { name: "" } });
    expect(res.status, res.text).toBe(403);
    expect(res.json.error.code).toBe("forbidden");
  });

  it("… nor a malformed-JSON, content-type or path-parameter error", async () => {
    expect((await callRoute(addMember, { headers: { ...bearer(operator), "content-type": "application/json" }, body: '{"email": ' })).status).toBe(403);
    expect((await callRoute(addMember, { headers: { ...bearer(operator), "content-type": "text/plain" }, body: "hello" })).status).toBe(403);
    expect((await callRoute(updateMonitor, { method: "PUT", params: { id: "not-a-uuid" }, headers: bearer(viewer), body: {} })).status).toBe(403);
  });

  it("an allowed caller still gets the validation error", async () => {
    const res = await callRoute(updateMonitor, { method: "PUT", params: { id: randomUUID() }, headers: bearer(operator), body: { name: "" } });
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.code).toBe("validation_failed");
  });

  it("every authenticated route declares the permission it needs (a real one)", () => {
    const offenders: string[] = [];
    for (const r of routes) {
      const key = `${r.method} ${r.path}`;
      if (NOT_ROUTE.has(r.path)) continue;
      if (!r.info) offenders.push(`${key}: not built with route()`);
      else if (!r.info.auth) {
        if (!PUBLIC.has(key)) offenders.push(`${key}: unauthenticated but not in the PUBLIC list`);
      } else if (ANY_ROLE.has(key)) continue;
      else if (!r.info.permission) offenders.push(`${key}: no permission`);
      else if (!ALL_PERMISSIONS.includes(r.info.permission)) offenders.push(`${key}: unknown permission ${r.info.permission}`);
    }
    expect(offenders).toEqual([]);
    // The guard must be looking at the real tree.
    expect(routes.filter((r) => r.method !== "GET").length).toBeGreaterThanOrEqual(25);
  });
});
