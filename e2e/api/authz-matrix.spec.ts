// Every API route × every role (and anonymous) → expected status. The expectations are written out
// here by hand (the minimum role per route), independently of lib/authz's table, so a wrong entry in
// the table fails this test. A route added under app/api without a row here fails it too.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { alertmanagerFixture, remoteWriteFixture, bearer, e2eState, ROLES, type Role } from "../fixtures";

type Row = {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string; // the route template, as in app/api
  minRole: Role | "public";
  ok: number; // status for an allowed caller
  call: (req: APIRequestContext, headers: Record<string, string>) => ReturnType<APIRequestContext["get"]>;
};

const uuid = () => randomUUID();

const MATRIX: Row[] = [
  { method: "GET", path: "/api/health", minRole: "public", ok: 200, call: (r, h) => r.get("/api/health", { headers: h }) },
  { method: "GET", path: "/api/metrics", minRole: "public", ok: 200, call: (r, h) => r.get("/api/metrics", { headers: h }) },
  { method: "GET", path: "/api/v1/me", minRole: "viewer", ok: 200, call: (r, h) => r.get("/api/v1/me", { headers: h }) },
  { method: "GET", path: "/api/v1/incidents", minRole: "viewer", ok: 200, call: (r, h) => r.get("/api/v1/incidents", { headers: h }) },
  { method: "GET", path: "/api/v1/runs", minRole: "viewer", ok: 200, call: (r, h) => r.get("/api/v1/runs", { headers: h }) },
  { method: "POST", path: "/api/v1/runs", minRole: "operator", ok: 404, call: (r, h) => r.post("/api/v1/runs", { headers: h, data: { playbook: "no-such-playbook" } }) },
  { method: "GET", path: "/api/v1/runs/[id]", minRole: "viewer", ok: 404, call: (r, h) => r.get(`/api/v1/runs/${uuid()}`, { headers: h }) },
  { method: "POST", path: "/api/v1/runs/[id]/dry-run", minRole: "operator", ok: 404, call: (r, h) => r.post(`/api/v1/runs/${uuid()}/dry-run`, { headers: h }) },
  { method: "POST", path: "/api/v1/runs/[id]/approve", minRole: "approver", ok: 404, call: (r, h) => r.post(`/api/v1/runs/${uuid()}/approve`, { headers: h, data: {} }) },
  { method: "POST", path: "/api/v1/runs/[id]/reject", minRole: "approver", ok: 404, call: (r, h) => r.post(`/api/v1/runs/${uuid()}/reject`, { headers: h, data: { comment: "no" } }) },
  { method: "POST", path: "/api/v1/runs/[id]/note", minRole: "operator", ok: 404, call: (r, h) => r.post(`/api/v1/runs/${uuid()}/note`, { headers: h, data: { note: "rollback made it worse" } }) },
  { method: "POST", path: "/api/v1/runs/[id]/cancel", minRole: "operator", ok: 404, call: (r, h) => r.post(`/api/v1/runs/${uuid()}/cancel`, { headers: h, data: {} }) },
  { method: "POST", path: "/api/v1/runs/[id]/request-again", minRole: "operator", ok: 404, call: (r, h) => r.post(`/api/v1/runs/${uuid()}/request-again`, { headers: h, data: {} }) },
  { method: "GET", path: "/api/v1/playbooks", minRole: "viewer", ok: 200, call: (r, h) => r.get("/api/v1/playbooks", { headers: h }) },
  // An invalid document: 422 once the caller may upload at all.
  { method: "POST", path: "/api/v1/playbooks", minRole: "admin", ok: 422, call: (r, h) => r.post("/api/v1/playbooks", { headers: h, data: { source: "name: x\n" } }) },
  { method: "GET", path: "/api/v1/playbooks/[name]", minRole: "viewer", ok: 404, call: (r, h) => r.get("/api/v1/playbooks/no-such-playbook", { headers: h }) },
  { method: "GET", path: "/api/v1/keys", minRole: "viewer", ok: 200, call: (r, h) => r.get("/api/v1/keys", { headers: h }) },
  { method: "POST", path: "/api/v1/keys", minRole: "admin", ok: 400, call: (r, h) => r.post("/api/v1/keys", { headers: h, data: { name: "k", publicKeyPem: "not a key" } }) },
  { method: "POST", path: "/api/v1/keys/[id]/revoke", minRole: "admin", ok: 404, call: (r, h) => r.post(`/api/v1/keys/${uuid()}/revoke`, { headers: h, data: { reason: "test" } }) },
  { method: "GET", path: "/api/v1/exports", minRole: "viewer", ok: 200, call: (r, h) => r.get("/api/v1/exports", { headers: h }) },
  // A real (small) export per allowed role.
  { method: "POST", path: "/api/v1/exports", minRole: "operator", ok: 202, call: (r, h) => r.post("/api/v1/exports", { headers: h, data: { kinds: ["incidents"], gzip: false } }) },
  { method: "GET", path: "/api/v1/exports/[id]", minRole: "viewer", ok: 404, call: (r, h) => r.get(`/api/v1/exports/${uuid()}`, { headers: h }) },
  { method: "GET", path: "/api/v1/exports/[id]/download", minRole: "viewer", ok: 404, call: (r, h) => r.get(`/api/v1/exports/${uuid()}/download`, { headers: h }) },
  { method: "GET", path: "/api/v1/incidents/[id]/recommendations", minRole: "viewer", ok: 404, call: (r, h) => r.get(`/api/v1/incidents/${uuid()}/recommendations`, { headers: h }) },
  { method: "GET", path: "/api/v1/incidents/[id]/similar", minRole: "viewer", ok: 404, call: (r, h) => r.get(`/api/v1/incidents/${uuid()}/similar`, { headers: h }) },
  { method: "GET", path: "/api/v1/settings/orchestrator", minRole: "viewer", ok: 200, call: (r, h) => r.get("/api/v1/settings/orchestrator", { headers: h }) },
  { method: "PATCH", path: "/api/v1/settings/orchestrator", minRole: "admin", ok: 200, call: (r, h) => r.patch("/api/v1/settings/orchestrator", { headers: h, data: { approvalTtlMinutes: 60 } }) },
  { method: "GET", path: "/api/v1/settings/egress", minRole: "viewer", ok: 200, call: (r, h) => r.get("/api/v1/settings/egress", { headers: h }) },
  // Invalid bodies (the demo org's real policy must stay): 400 once the caller may change it at all.
  { method: "PUT", path: "/api/v1/settings/egress", minRole: "admin", ok: 400, call: (r, h) => r.put("/api/v1/settings/egress", { headers: h, data: { allowHosts: "everything" } }) },
  { method: "GET", path: "/api/v1/settings/redaction", minRole: "viewer", ok: 200, call: (r, h) => r.get("/api/v1/settings/redaction", { headers: h }) },
  // Invalid body (the demo org's setting must stay): 400 once the caller may change it at all.
  { method: "PATCH", path: "/api/v1/settings/redaction", minRole: "admin", ok: 400, call: (r, h) => r.patch("/api/v1/settings/redaction", { headers: h, data: { maskPrivateAddresses: "yes" } }) },
  { method: "GET", path: "/api/v1/settings/secrets", minRole: "viewer", ok: 200, call: (r, h) => r.get("/api/v1/settings/secrets", { headers: h }) },
  { method: "PUT", path: "/api/v1/settings/secrets", minRole: "admin", ok: 400, call: (r, h) => r.put("/api/v1/settings/secrets", { headers: h, data: { grants: "all" } }) },
  { method: "GET", path: "/api/v1/incidents/[id]", minRole: "viewer", ok: 404, call: (r, h) => r.get(`/api/v1/incidents/${uuid()}`, { headers: h }) },
  // Ids nobody has: 200 with a not_found outcome for each, once the caller may acknowledge.
  { method: "POST", path: "/api/v1/incidents/bulk", minRole: "operator", ok: 200, call: (r, h) => r.post("/api/v1/incidents/bulk", { headers: h, data: { ids: [uuid()], action: "acknowledge" } }) },
  { method: "POST", path: "/api/v1/incidents/[id]/ack", minRole: "operator", ok: 404, call: (r, h) => r.post(`/api/v1/incidents/${uuid()}/ack`, { headers: h, data: {} }) },
  {
    method: "POST",
    path: "/api/v1/incidents/[id]/resolve",
    minRole: "operator",
    ok: 404,
    call: (r, h) => r.post(`/api/v1/incidents/${uuid()}/resolve`, { headers: h, data: {} }),
  },
  {
    method: "POST",
    path: "/api/v1/integrations/alertmanager",
    minRole: "operator",
    ok: 200,
    call: (r, h) => r.post("/api/v1/integrations/alertmanager", { headers: h, data: alertmanagerFixture("firing.json") }),
  },
  // A fresh id per call: every allowed role creates its own change (201), none is a duplicate (200).
  {
    method: "POST",
    path: "/api/v1/changes",
    minRole: "operator",
    ok: 201,
    call: (r, h) => r.post("/api/v1/changes", { headers: h, data: { kind: "deploy", title: "e2e deploy", service: "e2e", id: uuid() } }),
  },
  { method: "GET", path: "/api/v1/changes", minRole: "viewer", ok: 200, call: (r, h) => r.get("/api/v1/changes", { headers: h }) },
  { method: "GET", path: "/api/v1/monitors", minRole: "viewer", ok: 200, call: (r, h) => r.get("/api/v1/monitors", { headers: h }) },
  {
    method: "POST",
    path: "/api/v1/monitors",
    minRole: "operator",
    ok: 201,
    call: (r, h) => r.post("/api/v1/monitors", { headers: h, data: { name: `m-${uuid().slice(0, 8)}`, query: "up", enabled: false } }),
  },
  {
    method: "PUT",
    path: "/api/v1/monitors/[id]",
    minRole: "operator",
    ok: 404,
    call: (r, h) => r.put(`/api/v1/monitors/${uuid()}`, { headers: h, data: { name: "x", query: "up" } }),
  },
  { method: "DELETE", path: "/api/v1/monitors/[id]", minRole: "operator", ok: 404, call: (r, h) => r.delete(`/api/v1/monitors/${uuid()}`, { headers: h }) },
  { method: "GET", path: "/api/v1/integrations/prometheus", minRole: "viewer", ok: 200, call: (r, h) => r.get("/api/v1/integrations/prometheus", { headers: h }) },
  {
    method: "PUT",
    path: "/api/v1/integrations/prometheus",
    minRole: "admin",
    ok: 200,
    call: (r, h) => r.put("/api/v1/integrations/prometheus", { headers: h, data: { url: "http://127.0.0.1:9/", authType: "none" } }),
  },
  {
    method: "POST",
    path: "/api/v1/write",
    minRole: "operator",
    ok: 200,
    call: (r, h) => r.post("/api/v1/write", { headers: { ...h, "content-type": "application/x-protobuf", "content-encoding": "snappy" }, data: remoteWriteFixture() }),
  },
  { method: "GET", path: "/api/v1/agents", minRole: "viewer", ok: 200, call: (r, h) => r.get("/api/v1/agents", { headers: h }) },
  { method: "POST", path: "/api/v1/agents", minRole: "admin", ok: 201, call: (r, h) => r.post("/api/v1/agents", { headers: h, data: { name: `c-${uuid().slice(0, 8)}` } }) },
  { method: "GET", path: "/api/v1/agents/[id]", minRole: "viewer", ok: 404, call: (r, h) => r.get(`/api/v1/agents/${uuid()}`, { headers: h }) },
  { method: "DELETE", path: "/api/v1/agents/[id]", minRole: "admin", ok: 404, call: (r, h) => r.delete(`/api/v1/agents/${uuid()}`, { headers: h }) },
  { method: "POST", path: "/api/v1/agents/[id]/token", minRole: "admin", ok: 404, call: (r, h) => r.post(`/api/v1/agents/${uuid()}/token`, { headers: h }) },
  {
    method: "GET",
    path: "/api/v1/agents/[id]/query_range",
    minRole: "viewer",
    ok: 404,
    call: (r, h) => r.get(`/api/v1/agents/${uuid()}/query_range?query=up&start=0&end=60&step=15`, { headers: h }),
  },
  // The agent's first call: the bootstrap token in the body is the credential, so it is public; a malformed body is a 400.
  { method: "POST", path: "/api/v1/agent/enroll", minRole: "public", ok: 400, call: (r, h) => r.post("/api/v1/agent/enroll", { headers: h, data: { bootstrapToken: "x" } }) },
  // On-call schedules: anyone reads, admins write; feed links belong to whoever makes them (any reader).
  { method: "GET", path: "/api/v1/schedules", minRole: "viewer", ok: 200, call: (r, h) => r.get("/api/v1/schedules", { headers: h }) },
  {
    method: "POST",
    path: "/api/v1/schedules",
    minRole: "admin",
    ok: 201,
    call: (r, h) => r.post("/api/v1/schedules", { headers: h, data: { name: `s-${uuid().slice(0, 8)}`, timeZone: "Europe/Berlin", layers: [] } }),
  },
  { method: "GET", path: "/api/v1/schedules/[id]", minRole: "viewer", ok: 404, call: (r, h) => r.get(`/api/v1/schedules/${uuid()}`, { headers: h }) },
  {
    method: "PUT",
    path: "/api/v1/schedules/[id]",
    minRole: "admin",
    ok: 404,
    call: (r, h) => r.put(`/api/v1/schedules/${uuid()}`, { headers: h, data: { name: "s", timeZone: "UTC", layers: [] } }),
  },
  { method: "DELETE", path: "/api/v1/schedules/[id]", minRole: "admin", ok: 404, call: (r, h) => r.delete(`/api/v1/schedules/${uuid()}`, { headers: h }) },
  {
    method: "POST",
    path: "/api/v1/schedules/[id]/overrides",
    minRole: "admin",
    ok: 404,
    call: (r, h) => r.post(`/api/v1/schedules/${uuid()}/overrides`, { headers: h, data: { userId: uuid(), startsAt: "2026-01-01T00:00:00Z", endsAt: "2026-01-02T00:00:00Z" } }),
  },
  {
    method: "DELETE",
    path: "/api/v1/schedules/[id]/overrides/[overrideId]",
    minRole: "admin",
    ok: 404,
    call: (r, h) => r.delete(`/api/v1/schedules/${uuid()}/overrides/${uuid()}`, { headers: h }),
  },
  { method: "GET", path: "/api/v1/schedules/[id]/oncall", minRole: "viewer", ok: 404, call: (r, h) => r.get(`/api/v1/schedules/${uuid()}/oncall`, { headers: h }) },
  { method: "GET", path: "/api/v1/schedules/[id]/shifts", minRole: "viewer", ok: 404, call: (r, h) => r.get(`/api/v1/schedules/${uuid()}/shifts`, { headers: h }) },
  { method: "GET", path: "/api/v1/schedules/[id]/ical", minRole: "viewer", ok: 404, call: (r, h) => r.get(`/api/v1/schedules/${uuid()}/ical`, { headers: h }) },
  { method: "POST", path: "/api/v1/schedules/[id]/ical/token", minRole: "viewer", ok: 404, call: (r, h) => r.post(`/api/v1/schedules/${uuid()}/ical/token`, { headers: h }) },
  { method: "DELETE", path: "/api/v1/schedules/[id]/ical/token", minRole: "viewer", ok: 404, call: (r, h) => r.delete(`/api/v1/schedules/${uuid()}/ical/token`, { headers: h }) },
  { method: "GET", path: "/api/v1/users/[userId]/oncall.ical", minRole: "viewer", ok: 404, call: (r, h) => r.get(`/api/v1/users/${uuid()}/oncall.ical`, { headers: h }) },
  { method: "POST", path: "/api/v1/users/[userId]/oncall.ical/token", minRole: "viewer", ok: 404, call: (r, h) => r.post(`/api/v1/users/${uuid()}/oncall.ical/token`, { headers: h }) },
  { method: "DELETE", path: "/api/v1/users/[userId]/oncall.ical/token", minRole: "viewer", ok: 404, call: (r, h) => r.delete(`/api/v1/users/${uuid()}/oncall.ical/token`, { headers: h }) },
  // On-call. Channels are admin-only (they hold credentials); policies, routes and inhibition rules are
  // managed by admins and read by anyone who sees on-call; silences are for operators and up, and anyone
  // who sees incidents sees them. What the allowed callers
  // create here matches nothing (a label no alert has), so the demo org's incidents page nobody.
  { method: "GET", path: "/api/v1/channels", minRole: "admin", ok: 200, call: (r, h) => r.get("/api/v1/channels", { headers: h }) },
  {
    method: "POST",
    path: "/api/v1/channels",
    minRole: "admin",
    ok: 201,
    call: (r, h) => r.post("/api/v1/channels", { headers: h, data: { name: `c-${uuid().slice(0, 8)}`, type: "webhook", url: "http://127.0.0.1:9/hook" } }),
  },
  { method: "GET", path: "/api/v1/channels/[id]", minRole: "admin", ok: 404, call: (r, h) => r.get(`/api/v1/channels/${uuid()}`, { headers: h }) },
  {
    method: "PUT",
    path: "/api/v1/channels/[id]",
    minRole: "admin",
    ok: 404,
    call: (r, h) => r.put(`/api/v1/channels/${uuid()}`, { headers: h, data: { name: "x", type: "webhook", url: "http://127.0.0.1:9/hook" } }),
  },
  { method: "DELETE", path: "/api/v1/channels/[id]", minRole: "admin", ok: 404, call: (r, h) => r.delete(`/api/v1/channels/${uuid()}`, { headers: h }) },
  { method: "GET", path: "/api/v1/escalation-policies", minRole: "viewer", ok: 200, call: (r, h) => r.get("/api/v1/escalation-policies", { headers: h }) },
  {
    method: "POST",
    path: "/api/v1/escalation-policies",
    minRole: "admin",
    ok: 201,
    // A policy needs a real target: a channel made first (a caller who may not make one gets 403 from both).
    call: async (r, h) => {
      const channel = await r.post("/api/v1/channels", { headers: h, data: { name: `c-${uuid().slice(0, 8)}`, type: "webhook", url: "http://127.0.0.1:9/hook" } });
      const id = channel.ok() ? ((await channel.json()) as { id: string }).id : uuid();
      return r.post("/api/v1/escalation-policies", { headers: h, data: { name: `p-${uuid().slice(0, 8)}`, steps: [{ afterMinutes: 0, targets: [{ channel: id }] }] } });
    },
  },
  { method: "GET", path: "/api/v1/escalation-policies/[id]", minRole: "viewer", ok: 404, call: (r, h) => r.get(`/api/v1/escalation-policies/${uuid()}`, { headers: h }) },
  {
    method: "PUT",
    path: "/api/v1/escalation-policies/[id]",
    minRole: "admin",
    ok: 404,
    call: (r, h) => r.put(`/api/v1/escalation-policies/${uuid()}`, { headers: h, data: { name: "p", steps: [{ afterMinutes: 0, targets: [{ channel: uuid() }] }] } }),
  },
  { method: "DELETE", path: "/api/v1/escalation-policies/[id]", minRole: "admin", ok: 404, call: (r, h) => r.delete(`/api/v1/escalation-policies/${uuid()}`, { headers: h }) },
  { method: "GET", path: "/api/v1/routes", minRole: "viewer", ok: 200, call: (r, h) => r.get("/api/v1/routes", { headers: h }) },
  // A policy that does not exist: 400 once the caller may create routes at all (a real route would take the demo org's incidents).
  { method: "POST", path: "/api/v1/routes", minRole: "admin", ok: 400, call: (r, h) => r.post("/api/v1/routes", { headers: h, data: { name: "r", policy: uuid() } }) },
  { method: "PUT", path: "/api/v1/routes/[id]", minRole: "admin", ok: 404, call: (r, h) => r.put(`/api/v1/routes/${uuid()}`, { headers: h, data: { name: "r", policy: uuid() } }) },
  { method: "DELETE", path: "/api/v1/routes/[id]", minRole: "admin", ok: 404, call: (r, h) => r.delete(`/api/v1/routes/${uuid()}`, { headers: h }) },
  { method: "GET", path: "/api/v1/silences", minRole: "viewer", ok: 200, call: (r, h) => r.get("/api/v1/silences", { headers: h }) },
  {
    method: "POST",
    path: "/api/v1/silences",
    minRole: "operator",
    ok: 201,
    call: (r, h) =>
      r.post("/api/v1/silences", { headers: h, data: { matchers: [{ label: "e2e_matrix", op: "=", value: uuid() }], endsAt: new Date(Date.now() + 3600_000).toISOString(), comment: "authz matrix" } }),
  },
  { method: "DELETE", path: "/api/v1/silences/[id]", minRole: "operator", ok: 404, call: (r, h) => r.delete(`/api/v1/silences/${uuid()}`, { headers: h }) },
  { method: "GET", path: "/api/v1/inhibition-rules", minRole: "viewer", ok: 200, call: (r, h) => r.get("/api/v1/inhibition-rules", { headers: h }) },
  {
    method: "POST",
    path: "/api/v1/inhibition-rules",
    minRole: "admin",
    ok: 201,
    call: (r, h) =>
      r.post("/api/v1/inhibition-rules", {
        headers: h,
        data: { name: "matrix", sourceMatchers: [{ label: "e2e_matrix", op: "=", value: uuid() }], targetMatchers: [{ label: "e2e_matrix", op: "=", value: uuid() }], equal: ["node"] },
      }),
  },
  {
    method: "PUT",
    path: "/api/v1/inhibition-rules/[id]",
    minRole: "admin",
    ok: 404,
    call: (r, h) =>
      r.put(`/api/v1/inhibition-rules/${uuid()}`, {
        headers: h,
        data: { name: "matrix", sourceMatchers: [{ label: "e2e_matrix", op: "=", value: "a" }], targetMatchers: [{ label: "e2e_matrix", op: "=", value: "b" }] },
      }),
  },
  { method: "DELETE", path: "/api/v1/inhibition-rules/[id]", minRole: "admin", ok: 404, call: (r, h) => r.delete(`/api/v1/inhibition-rules/${uuid()}`, { headers: h }) },
  { method: "GET", path: "/api/v1/incidents/[id]/notifications", minRole: "viewer", ok: 404, call: (r, h) => r.get(`/api/v1/incidents/${uuid()}/notifications`, { headers: h }) },
  { method: "GET", path: "/api/v1/runs/[id]/notifications", minRole: "viewer", ok: 404, call: (r, h) => r.get(`/api/v1/runs/${uuid()}/notifications`, { headers: h }) },
  // Slack's button presses: Slack's signature is the only credential, so an unsigned request is 401 whoever sends it.
  {
    method: "POST",
    path: "/api/v1/integrations/slack/interactions",
    minRole: "public",
    ok: 401,
    call: (r, h) => r.post("/api/v1/integrations/slack/interactions", { headers: { ...h, "content-type": "application/x-www-form-urlencoded" }, data: "payload=%7B%7D" }),
  },
  // A notification's one-time acknowledge link: its token is the credential; an unknown one is a 404 for everyone.
  // The API's own description: public (its shape is no secret and holds no organization's data).
  { method: "GET", path: "/api/v1/openapi.json", minRole: "public", ok: 200, call: (r, h) => r.get("/api/v1/openapi.json", { headers: h }) },
  { method: "GET", path: "/api/v1/oncall/act/[token]", minRole: "public", ok: 404, call: (r, h) => r.get(`/api/v1/oncall/act/noa_${"x".repeat(43)}`, { headers: h }) },
  { method: "POST", path: "/api/v1/oncall/act/[token]", minRole: "public", ok: 404, call: (r, h) => r.post(`/api/v1/oncall/act/noa_${"x".repeat(43)}`, { headers: h }) },
  // Everyone's own Slack link. Linking and unlinking take a browser session: every API token gets 403.
  { method: "GET", path: "/api/v1/me/slack-link", minRole: "viewer", ok: 200, call: (r, h) => r.get("/api/v1/me/slack-link", { headers: h }) },
  { method: "POST", path: "/api/v1/me/slack-link", minRole: "viewer", ok: 403, call: (r, h) => r.post("/api/v1/me/slack-link", { headers: h, data: { token: `nsl_${"x".repeat(43)}` } }) },
  { method: "DELETE", path: "/api/v1/me/slack-link", minRole: "viewer", ok: 403, call: (r, h) => r.delete("/api/v1/me/slack-link", { headers: h }) },
  { method: "GET", path: "/api/v1/audit", minRole: "viewer", ok: 200, call: (r, h) => r.get("/api/v1/audit", { headers: h }) },
  { method: "GET", path: "/api/v1/audit/verify", minRole: "viewer", ok: 200, call: (r, h) => r.get("/api/v1/audit/verify", { headers: h }) },
  { method: "GET", path: "/api/v1/tokens", minRole: "admin", ok: 200, call: (r, h) => r.get("/api/v1/tokens", { headers: h }) },
  {
    method: "POST",
    path: "/api/v1/tokens",
    minRole: "admin",
    ok: 201,
    call: (r, h) => r.post("/api/v1/tokens", { headers: h, data: { name: `m-${uuid().slice(0, 8)}`, role: "viewer" } }),
  },
  // A well-formed id that does not exist: allowed callers get 404, everyone else is stopped before the lookup.
  { method: "DELETE", path: "/api/v1/tokens/[id]", minRole: "admin", ok: 404, call: (r, h) => r.delete(`/api/v1/tokens/${uuid()}`, { headers: h }) },
  { method: "GET", path: "/api/v1/members", minRole: "admin", ok: 200, call: (r, h) => r.get("/api/v1/members", { headers: h }) },
  { method: "DELETE", path: "/api/v1/members/[userId]", minRole: "admin", ok: 404, call: (r, h) => r.delete(`/api/v1/members/${uuid()}`, { headers: h }) },
  { method: "GET", path: "/api/v1/invitations", minRole: "admin", ok: 200, call: (r, h) => r.get("/api/v1/invitations", { headers: h }) },
  {
    method: "POST",
    path: "/api/v1/invitations",
    minRole: "admin",
    ok: 201,
    call: (r, h) => r.post("/api/v1/invitations", { headers: h, data: { email: `m-${uuid().slice(0, 8)}@e2e.local`, role: "viewer" } }),
  },
  { method: "DELETE", path: "/api/v1/invitations/[id]", minRole: "admin", ok: 404, call: (r, h) => r.delete(`/api/v1/invitations/${uuid()}`, { headers: h }) },
  // The invitee may have no account yet: public (a Bearer token counts for nothing); a link that does not exist is a 404.
  { method: "POST", path: "/api/v1/invitations/accept", minRole: "public", ok: 404, call: (r, h) => r.post("/api/v1/invitations/accept", { headers: h, data: { token: `inv_${"x".repeat(43)}`, name: "N", password: "a long password" } }) },
  {
    method: "PATCH",
    path: "/api/v1/members/[userId]",
    minRole: "admin",
    ok: 404,
    call: (r, h) => r.patch(`/api/v1/members/${uuid()}`, { headers: h, data: { role: "viewer" } }),
  },
];

const RANK: Record<Role, number> = { viewer: 0, operator: 1, approver: 2, admin: 3 };
// Not product API: next-auth's own endpoints and the JSON 404 catch-all (tested in platform.spec.ts).
const NOT_IN_MATRIX = new Set(["/api/auth/[...nextauth]", "/api/[...path]"]);

function routeFiles(dir: string, prefix = "/api"): { path: string; methods: string[] }[] {
  const out: { path: string; methods: string[] }[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...routeFiles(full, `${prefix}/${entry.name}`));
    else if (entry.name === "route.ts") {
      const src = readFileSync(full, "utf8");
      const methods = [...src.matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1]!);
      out.push({ path: prefix, methods });
    }
  }
  return out;
}

test("every API route and method has a row in the matrix", () => {
  const missing: string[] = [];
  for (const r of routeFiles(path.join(import.meta.dirname, "../../app/api"))) {
    if (NOT_IN_MATRIX.has(r.path)) continue;
    for (const m of r.methods) if (!MATRIX.some((row) => row.method === m && row.path === r.path)) missing.push(`${m} ${r.path}`);
  }
  expect(missing).toEqual([]);
});

for (const row of MATRIX) {
  test(`${row.method} ${row.path}`, async ({ request }) => {
    const { tokens } = e2eState();
    const anon = await row.call(request, {});
    expect(anon.status(), "anonymous").toBe(row.minRole === "public" ? row.ok : 401);
    for (const role of ROLES) {
      const res = await row.call(request, bearer(tokens[role].token));
      const allowed = row.minRole === "public" || RANK[role] >= RANK[row.minRole];
      expect(res.status(), `${role}: ${await res.text()}`).toBe(allowed ? row.ok : 403);
      if (!allowed) expect(((await res.json()) as { error: { code: string } }).error.code).toBe("forbidden");
    }
  });
}

test("tenants are isolated: another org's admin cannot see or touch this org's data", async ({ request }) => {
  const { tokens, otherAdmin, orgId, otherOrgId } = e2eState();
  const audit = await (await request.get("/api/v1/audit?limit=500", { headers: bearer(otherAdmin.token) })).json();
  expect(audit.events.length).toBeGreaterThan(0);
  expect(audit.events.every((e: { orgId: string }) => e.orgId === otherOrgId)).toBe(true);
  expect(audit.events.some((e: { orgId: string }) => e.orgId === orgId)).toBe(false);

  const tokenList = await (await request.get("/api/v1/tokens", { headers: bearer(otherAdmin.token) })).json();
  expect(tokenList.tokens.map((t: { id: string }) => t.id)).not.toContain(tokens.viewer.id);
  expect((await request.delete(`/api/v1/tokens/${tokens.viewer.id}`, { headers: bearer(otherAdmin.token) })).status()).toBe(404);
  expect((await request.get("/api/v1/me", { headers: bearer(tokens.viewer.token) })).status()).toBe(200);
});
