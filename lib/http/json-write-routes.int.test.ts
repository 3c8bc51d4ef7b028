// Every JSON write route, one table: a NUL (U+0000) or an unpaired surrogate anywhere in the body is a
// 400 naming where it is (PostgreSQL cannot store either in text or jsonb, which used to surface as a
// 500), and a body that is not declared as JSON is a 415.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { makeOrg } from "@/test/factories";
import { bearer, callRoute, tokenFor } from "@/test/call-route";
import { loadApiHandlers, type ApiHandler } from "@/test/api-routes";

const id = randomUUID();
type Row = { body: (bad: string) => unknown; badPath: (string | number)[]; params?: Record<string, string>; anonymous?: true };

// The bad string sits in a field the schema would otherwise accept, so nothing but the character is wrong.
const ROWS: Record<string, Row> = {
  "POST /api/v1/agents": { body: (bad) => ({ name: `c${bad}` }), badPath: ["name"] },
  "POST /api/v1/agent/enroll": {
    anonymous: true,
    body: (bad) => ({ bootstrapToken: `nob_${"a".repeat(30)}`, publicKeyPem: `-----BEGIN PUBLIC KEY-----${bad}${"A".repeat(80)}` }),
    badPath: ["publicKeyPem"],
  },
  "POST /api/v1/channels": { body: (bad) => ({ name: `c${bad}`, type: "webhook", url: "https://example.com/hook" }), badPath: ["name"] },
  "PUT /api/v1/channels/[id]": { params: { id }, body: (bad) => ({ name: "c", type: "slack", channel: `#ops${bad}` }), badPath: ["channel"] },
  "POST /api/v1/escalation-policies": { body: (bad) => ({ name: "p", description: `d${bad}`, steps: [{ afterMinutes: 0, targets: [{ channel: id }] }] }), badPath: ["description"] },
  "PUT /api/v1/escalation-policies/[id]": { params: { id }, body: (bad) => ({ name: `p${bad}`, steps: [{ afterMinutes: 0, targets: [{ channel: id }] }] }), badPath: ["name"] },
  "POST /api/v1/routes": { body: (bad) => ({ name: "r", matchers: [{ label: "team", op: "=", value: `pay${bad}` }], policy: id }), badPath: ["matchers", 0, "value"] },
  "PUT /api/v1/routes/[id]": { params: { id }, body: (bad) => ({ name: `r${bad}`, policy: id }), badPath: ["name"] },
  "POST /api/v1/silences": { body: (bad) => ({ matchers: [{ label: "team", op: "=", value: "x" }], endsAt: "2099-01-01T00:00:00Z", comment: `maintenance ${bad}` }), badPath: ["comment"] },
  "POST /api/v1/inhibition-rules": {
    body: (bad) => ({ name: "i", sourceMatchers: [{ label: "a", op: "=", value: "x" }], targetMatchers: [{ label: "b", op: "=", value: "y" }], equal: [`node${bad}`] }),
    badPath: ["equal", 0],
  },
  "PUT /api/v1/inhibition-rules/[id]": {
    params: { id },
    body: (bad) => ({ name: `i${bad}`, sourceMatchers: [{ label: "a", op: "=", value: "x" }], targetMatchers: [{ label: "b", op: "=", value: "y" }] }),
    badPath: ["name"],
  },
  "POST /api/v1/changes": { body: (bad) => ({ kind: "deploy", title: `web ${bad}` }), badPath: ["title"] },
  "POST /api/v1/exports": { body: (bad) => ({ kinds: ["incidents"], from: `2026-01-01${bad}` }), badPath: ["from"] },
  "POST /api/v1/incidents/[id]/ack": { params: { id }, body: (bad) => ({ note: `on it ${bad}` }), badPath: ["note"] },
  "POST /api/v1/incidents/bulk": { body: (bad) => ({ ids: [id], action: "acknowledge", note: `bulk ${bad}` }), badPath: ["note"] },
  "POST /api/v1/incidents/[id]/resolve": { params: { id }, body: (bad) => ({ note: `fixed ${bad}` }), badPath: ["note"] },
  "PUT /api/v1/integrations/prometheus": { body: (bad) => ({ url: "http://127.0.0.1:9/", authType: "basic", username: `u${bad}`, secret: "s" }), badPath: ["username"] },
  "POST /api/v1/keys": { body: (bad) => ({ name: `k${bad}`, publicKeyPem: "not a key" }), badPath: ["name"] },
  "POST /api/v1/keys/[id]/revoke": { params: { id }, body: (bad) => ({ reason: `leaked ${bad}` }), badPath: ["reason"] },
  "POST /api/v1/invitations": { body: (bad) => ({ email: `m-${randomUUID().slice(0, 8)}@test.local`, role: "viewer", [`x${bad}`]: 1 }), badPath: [`x$BAD`] },
  "POST /api/v1/invitations/accept": { anonymous: true, body: (bad) => ({ token: `inv_${"a".repeat(43)}`, name: `N${bad}`, password: "a long password" }), badPath: ["name"] },
  // Linking takes a browser session; the body is checked before the API token is refused.
  "POST /api/v1/me/slack-link": { body: (bad) => ({ token: `nsl_${"a".repeat(42)}${bad}` }), badPath: ["token"] },
  "PATCH /api/v1/members/[userId]": { params: { userId: id }, body: (bad) => ({ role: "viewer", [`note${bad}`]: 1 }), badPath: [`note$BAD`] },
  "POST /api/v1/monitors": { body: (bad) => ({ name: "m", query: "up", labels: { service: `api${bad}` }, enabled: false }), badPath: ["labels", "service"] },
  "PUT /api/v1/monitors/[id]": { params: { id }, body: (bad) => ({ name: `m${bad}`, query: "up" }), badPath: ["name"] },
  "POST /api/v1/playbooks": { body: (bad) => ({ source: `name: x${bad}\n` }), badPath: ["source"] },
  "POST /api/v1/runs": { body: (bad) => ({ playbook: "restart-deployment", params: { deployment: `web${bad}` } }), badPath: ["params", "deployment"] },
  "POST /api/v1/runs/[id]/approve": { params: { id }, body: (bad) => ({ comment: `ok ${bad}` }), badPath: ["comment"] },
  "POST /api/v1/runs/[id]/request-again": { params: { id }, body: (bad) => ({ reason: `again ${bad}` }), badPath: ["reason"] },
  "POST /api/v1/runs/[id]/note": { params: { id }, body: (bad) => ({ note: `worse ${bad}` }), badPath: ["note"] },
  "POST /api/v1/runs/[id]/cancel": { params: { id }, body: (bad) => ({ reason: `stop ${bad}` }), badPath: ["reason"] },
  "POST /api/v1/runs/[id]/reject": { params: { id }, body: (bad) => ({ comment: `no ${bad}` }), badPath: ["comment"] },
  "POST /api/v1/schedules": { body: (bad) => ({ name: `s${bad}`, timeZone: "UTC" }), badPath: ["name"] },
  "PUT /api/v1/schedules/[id]": { params: { id }, body: (bad) => ({ name: "s", timeZone: "UTC", description: `d${bad}` }), badPath: ["description"] },
  "POST /api/v1/schedules/[id]/overrides": {
    params: { id },
    body: (bad) => ({ userId: id, startsAt: "2026-01-01T00:00:00Z", endsAt: "2026-01-02T00:00:00Z", reason: `swap ${bad}` }),
    badPath: ["reason"],
  },
  "PUT /api/v1/settings/egress": { body: (bad) => ({ allowHosts: [`hooks${bad}.example.com`], allowCidrs: [] }), badPath: ["allowHosts", 0] },
  "PUT /api/v1/settings/secrets": { body: (bad) => ({ grants: [`slack${bad}`] }), badPath: ["grants", 0] },
  "PATCH /api/v1/settings/redaction": { body: (bad) => ({ maskPrivateAddresses: false, [`x${bad}`]: 1 }), badPath: [`x$BAD`] },
  "PATCH /api/v1/settings/orchestrator": { body: (bad) => ({ approvalTtlMinutes: 60, tags: ["a", `b${bad}`] }), badPath: ["tags", 1] },
  "POST /api/v1/tokens": { body: (bad) => ({ name: `t${bad}`, role: "viewer" }), badPath: ["name"] },
};
// Checked per alert instead (lib/incidents/alertmanager-batch.int.test.ts): one bad alert must not fail its batch.
const PER_ITEM = new Set(["POST /api/v1/integrations/alertmanager"]);

const BAD = { NUL: "\u0000", "lone high surrogate": "\ud800", "lone low surrogate": "\udc00" };

let routes: ApiHandler[];
let token: string;

beforeAll(async () => {
  routes = await loadApiHandlers();
  token = await tokenFor((await makeOrg("jsonw")).id, "admin");
}, 60_000);

const handlerFor = (key: string) => routes.find((r) => `${r.method} ${r.path}` === key)!.handler;

describe("JSON write routes", () => {
  it("the table covers every route that reads a JSON body", () => {
    const jsonRoutes = routes.filter((r) => r.info?.jsonBody).map((r) => `${r.method} ${r.path}`);
    expect(jsonRoutes.filter((k) => !PER_ITEM.has(k)).sort()).toEqual(Object.keys(ROWS).sort());
  });

  for (const [key, row] of Object.entries(ROWS)) {
    for (const [kind, bad] of Object.entries(BAD)) {
      it(`${key}: a ${kind} in the body → 400 naming its path`, async () => {
        const res = await callRoute(handlerFor(key), { method: key.split(" ")[0], params: row.params, headers: row.anonymous ? {} : bearer(token), body: row.body(bad) });
        expect(res.status, res.text).toBe(400);
        expect(res.json.error.code).toBe("validation_failed");
        const path = row.badPath.map((p) => (typeof p === "string" ? p.replace("$BAD", bad) : p));
        expect(res.json.error.details).toEqual([{ path, code: "invalid_characters", message: expect.any(String) }]);
        expect(res.json.error.message).toContain(path.map(String).join(".").replace(bad, JSON.stringify(bad).slice(1, -1)));
      });
    }

    it(`${key}: a body sent as text/plain → 415`, async () => {
      const res = await callRoute(handlerFor(key), {
        method: key.split(" ")[0],
        params: row.params,
        headers: { ...(row.anonymous ? {} : bearer(token)), "content-type": "text/plain" },
        body: JSON.stringify(row.body("")),
      });
      expect(res.status, res.text).toBe(415);
      expect(res.json.error.code).toBe("unsupported_media_type");
    });
  }
});
