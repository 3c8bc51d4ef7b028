// A NUL in a query parameter or path segment reached PostgreSQL and came back as a 500; like a body,
// it is a 400 naming the parameter.
import { describe, expect, it } from "vitest";
import { GET as listIncidents } from "@/app/api/v1/incidents/route";
import { GET as listAudit } from "@/app/api/v1/audit/route";
import { GET as getPlaybook } from "@/app/api/v1/playbooks/[name]/route";
import { makeOrg } from "@/test/factories";
import { bearer, callRoute, tokenFor } from "@/test/call-route";

describe("query and path parameters PostgreSQL cannot store", () => {
  it.each([
    { handler: listIncidents, path: "/api/v1/incidents?q=%00", param: "q" },
    { handler: listIncidents, path: "/api/v1/incidents?service=api%00", param: "service" },
    { handler: listAudit, path: "/api/v1/audit?action=%00", param: "action" },
  ])("GET $path → 400 naming $param", async ({ handler, path, param }) => {
    const token = await tokenFor((await makeOrg("query")).id, "viewer");
    const res = await callRoute(handler, { method: "GET", path, headers: bearer(token) });
    expect(res.status, res.text).toBe(400);
    expect(res.json.error).toMatchObject({ code: "validation_failed", details: [{ path: [param], code: "invalid_characters" }] });
  });

  it("a path segment too", async () => {
    const token = await tokenFor((await makeOrg("query")).id, "viewer");
    const res = await callRoute(getPlaybook, { method: "GET", params: { name: "a\u0000" }, headers: bearer(token) });
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.code).toBe("validation_failed");
  });
});
