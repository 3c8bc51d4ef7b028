// The OpenAPI 3.1 description of /api/v1, built from the same zod schemas the route handlers parse with
// (z.toJSONSchema, zod 4). The list below is the only hand-written part: which operations exist, what
// they are for, who may call them and one example each. lib/http/openapi.test.ts imports every route file
// and fails when an exported method is missing here (or listed here but gone), when a schema here differs
// from the one the handler records in route(), or when an example stops parsing with the handler's schema.
import { z } from "zod";
import type { Permission } from "@/lib/authz/permissions";
import { ERROR_STATUS } from "@/lib/errors";
import { ZEnrollRequest } from "@/lib/agents/protocol";
import { ZCreateClusterInput } from "@/lib/agents/clusters";
import { ZRangeQuery } from "@/lib/agents/query";
import { ZListAuditQuery } from "@/lib/audit/list-audit-events";
import { ZIngestQuery } from "@/lib/changes/ingest-changes";
import { ZListChangesQuery } from "@/lib/changes/list-changes";
import { ZEgressPolicyInput } from "@/lib/egress/settings";
import { ZCreateExportInput } from "@/lib/etl/schemas";
import { ZAlertmanagerWebhook } from "@/lib/incidents/alertmanager";
import { ZBulkIncidentAction, ZIncidentNoteInput } from "@/lib/incidents/change-incident-status";
import { ZListIncidentsQuery } from "@/lib/incidents/list-incidents";
import { ZPrometheusSourceInput } from "@/lib/integrations/prometheus-source";
import { ZMonitorInput } from "@/lib/monitors/schemas";
import { ACTION_TOKEN_RE } from "@/lib/oncall/action-links";
import { ZFeedQuery } from "@/lib/oncall/schedules/feed-http";
import { ZOnCallQuery, ZOverrideInput, ZScheduleInput, ZWindowQuery } from "@/lib/oncall/schedules/schemas";
import { ZChannelCreate, ZChannelUpdate, ZInhibitionInput, ZListSilencesQuery, ZPolicyInput, ZRouteInput, ZSilenceInput } from "@/lib/oncall/schemas";
import { ZSlackLinkInput } from "@/lib/oncall/slack-link";
import { ZOutcomeNoteInput } from "@/lib/orchestrator/outcome-note";
import { ZApproveInput, ZCancelInput, ZListRunsQuery, ZRejectInput, ZRequestAgainInput, ZRequestRunInput } from "@/lib/orchestrator/schemas";
import { ZOrchestratorSettingsInput } from "@/lib/orchestrator/settings";
import { ZRedactionSettingsInput } from "@/lib/orgs/redaction-settings";
import { ZUploadPlaybookInput } from "@/lib/playbooks/save-playbook";
import { PLAYBOOK_NAME_RE } from "@/lib/playbooks/schema";
import { ZAddKeyInput, ZRevokeKeyInput } from "@/lib/playbooks/signing-keys";
import { ZRecommendationsQuery } from "@/lib/recommend/rank-playbooks";
import { ZSecretGrantsInput } from "@/lib/secrets/grants";
import { ZCreateTokenInput, ZListTokensQuery } from "@/lib/tokens/schemas";
import { ZAcceptInvitationInput, ZInviteInput, ZSetRoleBody } from "@/lib/users/schemas";
import { ZSimilarQuery } from "@/lib/vectors/similar-incidents";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Who may call: nobody needs to sign in, anyone signed in, or whoever holds the permission. */
export type Access = "public" | "signed-in" | Permission;

export type ApiOperation = {
  method: HttpMethod;
  /** As in app/api, e.g. "/api/v1/runs/[id]/approve" (the document says "/api/v1/runs/{id}/approve"). */
  path: string;
  summary: string;
  description?: string;
  access: Access;
  /** Path parameters; by default every `[x]` segment is a UUID. */
  params?: z.ZodType;
  query?: z.ZodType;
  /** A JSON body. */
  body?: z.ZodType;
  /** A body that is not JSON (remote_write's protobuf, Slack's form post): its media type. */
  rawBody?: { contentType: string; description: string };
  /** The success status and what it carries; JSON of an undocumented shape unless told otherwise. */
  status?: number;
  response?: { schema?: z.ZodType; contentType?: string; description?: string };
  /** Statuses this operation answers besides the ones every operation of its kind does. */
  errors?: number[];
  /** One request that the handler accepts: its path parameters, query and body as a client sends them. */
  example: { params?: Record<string, string>; query?: Record<string, string>; body?: unknown };
};

const UUID = "3f1c9a2e-5b7d-4e8f-9a0b-1c2d3e4f5a6b";
const UUID2 = "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d";
const uuidParams = (...names: string[]) => z.object(Object.fromEntries(names.map((n) => [n, z.string().uuid()])));

/** Path parameters as route() parses them: each `[x]` is a UUID unless the operation says otherwise. */
export function paramsSchemaOf(op: ApiOperation): z.ZodType | undefined {
  if (op.params) return op.params;
  const names = [...op.path.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]!);
  return names.length ? uuidParams(...names) : undefined;
}

export const ZErrorBody = z.object({
  error: z.object({
    code: z.enum(Object.keys(ERROR_STATUS) as [keyof typeof ERROR_STATUS, ...(keyof typeof ERROR_STATUS)[]]),
    message: z.string(),
    details: z.unknown().optional().describe("validation_failed: [{path, message, code}]; other codes: what the caller needs to act on"),
    requestId: z.string().optional().describe("internal errors only: quote it when reporting"),
  }),
});

const ZDeleted = z.object({ deleted: z.string().uuid() });
const ZMe = z.object({ type: z.enum(["user", "token"]), id: z.string(), orgId: z.string().uuid(), role: z.string(), permissions: z.array(z.string()) });
const ICAL = { contentType: "text/calendar", description: "iCalendar (RFC 5545)" };

// ---------------------------------------------------------------------------------------------------------
// Every operation under /api/v1, grouped as the URL space is.

export const API_OPERATIONS: ApiOperation[] = [
  // Agents
  { method: "POST", path: "/api/v1/agent/enroll", summary: "Enroll an in-cluster agent", description: "The agent's first call; the one-time bootstrap token in the body is the credential.", access: "public", body: ZEnrollRequest, errors: [401, 409], example: { body: { bootstrapToken: "nob_0123456789abcdef", publicKeyPem: "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAexampleexampleexampleexampleexampleexam=\n-----END PUBLIC KEY-----\n", version: "0.4.0" } } },
  { method: "GET", path: "/api/v1/agents", summary: "List clusters and their agents", access: "integrations.read", example: {} },
  { method: "POST", path: "/api/v1/agents", summary: "Register a cluster", description: "The answer holds the one-time bootstrap token, shown nowhere else.", access: "agents.manage", body: ZCreateClusterInput, status: 201, errors: [409], example: { body: { name: "prod-eu-1" } } },
  { method: "GET", path: "/api/v1/agents/[id]", summary: "Get a cluster", access: "integrations.read", example: { params: { id: UUID } } },
  { method: "DELETE", path: "/api/v1/agents/[id]", summary: "Delete a cluster", access: "agents.manage", status: 204, response: { description: "Deleted" }, example: { params: { id: UUID } } },
  { method: "POST", path: "/api/v1/agents/[id]/token", summary: "Reissue the bootstrap token", description: "The cluster's current agent identity stops working.", access: "agents.manage", example: { params: { id: UUID } } },
  { method: "GET", path: "/api/v1/agents/[id]/query_range", summary: "Range query against the cluster's Prometheus", description: "Answers in Prometheus' own shape ({status, data}), relayed by the agent.", access: "integrations.read", query: ZRangeQuery, errors: [503], example: { params: { id: UUID }, query: { query: "sum(rate(http_requests_total[5m]))", start: "1767225600", end: "1767229200", step: "60" } } },

  // Audit
  { method: "GET", path: "/api/v1/audit", summary: "List audit events, newest first", access: "audit.read", query: ZListAuditQuery, example: { query: { limit: "50", target: `run:${UUID}` } } },
  { method: "GET", path: "/api/v1/audit/verify", summary: "Verify the audit hash chain", access: "audit.read", example: {} },

  // Changes
  { method: "GET", path: "/api/v1/changes", summary: "List change events (deploys, rollbacks, config and flag changes)", access: "incidents.read", query: ZListChangesQuery, example: { query: { service: "checkout", kind: "deploy", limit: "20" } } },
  {
    method: "POST",
    path: "/api/v1/changes",
    summary: "Ingest change events",
    description: "Accepts Argo CD notifications, LaunchDarkly webhooks, the agent's change events and a plain {kind, service, …} shape; the query fills in what the payload lacks.",
    access: "signals.ingest",
    body: z.unknown(),
    query: ZIngestQuery,
    example: { query: { service: "checkout", namespace: "shop" }, body: { kind: "deploy", service: "checkout", version: "v1.42.0" } },
  },

  // Notification channels, escalation, routing, silences, inhibition
  { method: "GET", path: "/api/v1/channels", summary: "List notification channels", access: "oncall.manage", example: {} },
  { method: "POST", path: "/api/v1/channels", summary: "Create a notification channel", access: "oncall.manage", body: ZChannelCreate, status: 201, example: { body: { name: "ops webhook", type: "webhook", url: "https://hooks.example.com/neuralops" } } },
  { method: "GET", path: "/api/v1/channels/[id]", summary: "Get a notification channel", access: "oncall.manage", example: { params: { id: UUID } } },
  { method: "PUT", path: "/api/v1/channels/[id]", summary: "Replace a notification channel", access: "oncall.manage", body: ZChannelUpdate, example: { params: { id: UUID }, body: { name: "ops webhook", type: "webhook", url: "https://hooks.example.com/neuralops", rotateSigningSecret: true } } },
  { method: "DELETE", path: "/api/v1/channels/[id]", summary: "Delete a notification channel", access: "oncall.manage", response: { schema: ZDeleted }, example: { params: { id: UUID } } },
  { method: "GET", path: "/api/v1/escalation-policies", summary: "List escalation policies", access: "oncall.read", example: {} },
  { method: "POST", path: "/api/v1/escalation-policies", summary: "Create an escalation policy", access: "oncall.manage", body: ZPolicyInput, status: 201, example: { body: { name: "payments", steps: [{ afterMinutes: 0, targets: [{ schedule: UUID }] }, { afterMinutes: 15, targets: [{ user: UUID2 }] }] } } },
  { method: "GET", path: "/api/v1/escalation-policies/[id]", summary: "Get an escalation policy", access: "oncall.read", example: { params: { id: UUID } } },
  { method: "PUT", path: "/api/v1/escalation-policies/[id]", summary: "Replace an escalation policy", access: "oncall.manage", body: ZPolicyInput, example: { params: { id: UUID }, body: { name: "payments", steps: [{ afterMinutes: 0, targets: [{ channel: UUID2 }] }] } } },
  { method: "DELETE", path: "/api/v1/escalation-policies/[id]", summary: "Delete an escalation policy", access: "oncall.manage", response: { schema: ZDeleted }, errors: [409], example: { params: { id: UUID } } },
  { method: "GET", path: "/api/v1/routes", summary: "List notification routes", access: "oncall.read", example: {} },
  { method: "POST", path: "/api/v1/routes", summary: "Create a notification route", access: "oncall.manage", body: ZRouteInput, status: 201, example: { body: { name: "payments prod", matchers: [{ label: "team", op: "=", value: "payments" }], policy: UUID } } },
  { method: "PUT", path: "/api/v1/routes/[id]", summary: "Replace a notification route", access: "oncall.manage", body: ZRouteInput, example: { params: { id: UUID }, body: { name: "catch-all", policy: UUID2, isDefault: true } } },
  { method: "DELETE", path: "/api/v1/routes/[id]", summary: "Delete a notification route", access: "oncall.manage", response: { schema: ZDeleted }, example: { params: { id: UUID } } },
  { method: "GET", path: "/api/v1/silences", summary: "List silences", access: "incidents.read", query: ZListSilencesQuery, example: { query: { includeExpired: "true" } } },
  { method: "POST", path: "/api/v1/silences", summary: "Create a silence", access: "silences.manage", body: ZSilenceInput, status: 201, example: { body: { matchers: [{ label: "cluster", op: "=", value: "prod-eu-1" }], endsAt: "2027-01-01T06:00:00Z", comment: "node pool upgrade" } } },
  { method: "DELETE", path: "/api/v1/silences/[id]", summary: "Expire a silence now", access: "silences.manage", example: { params: { id: UUID } } },
  { method: "GET", path: "/api/v1/inhibition-rules", summary: "List inhibition rules", access: "oncall.read", example: {} },
  { method: "POST", path: "/api/v1/inhibition-rules", summary: "Create an inhibition rule", access: "oncall.manage", body: ZInhibitionInput, status: 201, example: { body: { name: "cluster down mutes its pods", sourceMatchers: [{ label: "alertname", op: "=", value: "ClusterDown" }], targetMatchers: [{ label: "severity", op: "!=", value: "critical" }], equal: ["cluster"] } } },
  { method: "PUT", path: "/api/v1/inhibition-rules/[id]", summary: "Replace an inhibition rule", access: "oncall.manage", body: ZInhibitionInput, example: { params: { id: UUID }, body: { name: "node down", sourceMatchers: [{ label: "alertname", op: "=", value: "NodeDown" }], targetMatchers: [{ label: "alertname", op: "=~", value: "Pod.*" }] } } },
  { method: "DELETE", path: "/api/v1/inhibition-rules/[id]", summary: "Delete an inhibition rule", access: "oncall.manage", response: { schema: ZDeleted }, example: { params: { id: UUID } } },

  // Exports
  { method: "GET", path: "/api/v1/exports", summary: "List exports", access: "exports.read", example: {} },
  { method: "POST", path: "/api/v1/exports", summary: "Start an export (NDJSON, redacted)", access: "exports.create", body: ZCreateExportInput, status: 202, example: { body: { kinds: ["incidents"], from: "2026-11-01T00:00:00Z", gzip: true } } },
  { method: "GET", path: "/api/v1/exports/[id]", summary: "Get an export's status", access: "exports.read", example: { params: { id: UUID } } },
  { method: "GET", path: "/api/v1/exports/[id]/download", summary: "Download a finished export", access: "exports.read", response: { contentType: "application/gzip", description: "NDJSON, gzip-compressed unless the export asked otherwise (then application/x-ndjson); x-content-sha256 carries its digest" }, errors: [409], example: { params: { id: UUID } } },

  // Incidents
  {
    method: "GET",
    path: "/api/v1/incidents",
    summary: "List incidents",
    description:
      "`q`: words that must all appear in the title, group key, service or a label `name=value` (`payments`, `prod-eu-1`). `sort`: newest (default), oldest, severity, last_signal. `owner`: me, none or a user id. The answer has `incidents` (each with its `owner`), `total: {count, capped}` (counted up to 1,000) and keyset cursors `nextCursor` (older) and `prevCursor` (newer) to pass back as `cursor` with the same sort.",
    access: "incidents.read",
    query: ZListIncidentsQuery,
    example: { query: { status: "open", q: "prod-eu-1", sort: "severity", limit: "20" } },
  },
  {
    method: "POST",
    path: "/api/v1/incidents/bulk",
    summary: "Acknowledge or resolve many incidents",
    description:
      "One transaction; `results` gives each id's outcome in the order sent: acknowledged, resolved, conflict (already in that state, or resolved) or not_found. Each changed incident gets its own audit event and timeline entry.",
    access: "incidents.ack",
    body: ZBulkIncidentAction,
    example: { body: { ids: [UUID, UUID2], action: "acknowledge", note: "on it" } },
  },
  { method: "GET", path: "/api/v1/incidents/[id]", summary: "Get an incident with its timeline", access: "incidents.read", example: { params: { id: UUID } } },
  { method: "POST", path: "/api/v1/incidents/[id]/ack", summary: "Acknowledge an incident", access: "incidents.ack", body: ZIncidentNoteInput, errors: [409], example: { params: { id: UUID }, body: { note: "looking at the checkout pods" } } },
  { method: "POST", path: "/api/v1/incidents/[id]/resolve", summary: "Resolve an incident", access: "incidents.resolve", body: ZIncidentNoteInput, errors: [409], example: { params: { id: UUID }, body: {} } },
  { method: "GET", path: "/api/v1/incidents/[id]/notifications", summary: "Who was notified about an incident, and how it went", access: "incidents.read", example: { params: { id: UUID } } },
  { method: "GET", path: "/api/v1/incidents/[id]/recommendations", summary: "Playbooks ranked for an incident", access: "incidents.read", query: ZRecommendationsQuery, example: { params: { id: UUID }, query: { limit: "5" } } },
  { method: "GET", path: "/api/v1/incidents/[id]/similar", summary: "Similar past incidents", access: "incidents.read", query: ZSimilarQuery, example: { params: { id: UUID }, query: { k: "5" } } },

  // Integrations
  {
    method: "POST",
    path: "/api/v1/integrations/alertmanager",
    summary: "Alertmanager webhook receiver",
    description: "Alertmanager `webhook_configs` target. Each alert is checked alone: one bad alert is rejected and its batch still answers 200.",
    access: "signals.ingest",
    body: ZAlertmanagerWebhook,
    example: {
      body: {
        version: "4",
        status: "firing",
        receiver: "neuralops",
        groupKey: '{}:{alertname="HighErrorRate"}',
        commonLabels: { alertname: "HighErrorRate", service: "checkout" },
        alerts: [{ status: "firing", labels: { alertname: "HighErrorRate", service: "checkout", severity: "critical" }, annotations: { summary: "5xx above 5%" }, startsAt: "2026-12-07T10:00:00Z", endsAt: "0001-01-01T00:00:00Z", fingerprint: "c0ffee0123456789" }],
      },
    },
  },
  { method: "GET", path: "/api/v1/integrations/prometheus", summary: "Get the Prometheus source", access: "integrations.read", example: {} },
  { method: "PUT", path: "/api/v1/integrations/prometheus", summary: "Set the Prometheus source", access: "integrations.manage", body: ZPrometheusSourceInput, example: { body: { url: "http://prometheus.monitoring.svc:9090", authType: "bearer", secret: "prometheus-token" } } },
  {
    method: "POST",
    path: "/api/v1/integrations/slack/interactions",
    summary: "Slack interactivity endpoint",
    description: "Slack's button presses. Slack's signature over the raw form body is the credential; always answers 200 (the outcome is shown in Slack).",
    access: "public",
    rawBody: { contentType: "application/x-www-form-urlencoded", description: "payload=<JSON>, signed with x-slack-signature and x-slack-request-timestamp" },
    example: {},
  },

  // Members and invitations
  { method: "GET", path: "/api/v1/members", summary: "List the organization's members", access: "users.manage", example: {} },
  { method: "PATCH", path: "/api/v1/members/[userId]", summary: "Change a member's role", access: "users.manage", body: ZSetRoleBody, errors: [409], example: { params: { userId: UUID }, body: { role: "approver" } } },
  { method: "DELETE", path: "/api/v1/members/[userId]", summary: "Remove a member (revokes their tokens)", access: "users.manage", errors: [409], example: { params: { userId: UUID } } },
  { method: "GET", path: "/api/v1/invitations", summary: "List pending invitations", access: "users.manage", example: {} },
  { method: "POST", path: "/api/v1/invitations", summary: "Invite someone", description: "201 with the one-time link (`url`, `token`): shown once, never stored in clear.", access: "users.manage", body: ZInviteInput, status: 201, example: { body: { email: "new.sre@example.com", role: "operator" } } },
  { method: "DELETE", path: "/api/v1/invitations/[id]", summary: "Revoke an invitation", access: "users.manage", example: { params: { id: UUID } } },
  { method: "POST", path: "/api/v1/invitations/accept", summary: "Accept an invitation", description: "The link's token is the credential; a browser session must be the invited address. An API token counts for nothing here.", access: "public", body: ZAcceptInvitationInput, status: 201, errors: [403, 409], example: { body: { token: "noi_abcdefghijklmnopqrstuvwxyz0123456789", name: "New SRE", password: "correct horse battery staple" } } },

  // Playbook signing keys
  { method: "GET", path: "/api/v1/keys", summary: "List playbook signing keys", access: "playbooks.read", example: {} },
  { method: "POST", path: "/api/v1/keys", summary: "Add a playbook signing key", access: "keys.manage", body: ZAddKeyInput, status: 201, errors: [409], example: { body: { name: "release-2027", publicKeyPem: "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAexampleexampleexampleexampleexampleexam=\n-----END PUBLIC KEY-----\n" } } },
  { method: "POST", path: "/api/v1/keys/[id]/revoke", summary: "Revoke a playbook signing key", access: "keys.manage", body: ZRevokeKeyInput, example: { params: { id: UUID }, body: { reason: "private key leaked" } } },

  // The caller
  { method: "GET", path: "/api/v1/me", summary: "Who am I and what may I do", access: "signed-in", response: { schema: ZMe }, example: {} },
  { method: "GET", path: "/api/v1/me/slack-link", summary: "My Slack link", access: "signed-in", example: {} },
  { method: "POST", path: "/api/v1/me/slack-link", summary: "Link my Slack account", description: "Takes a browser session; an API token is refused.", access: "signed-in", body: ZSlackLinkInput, example: { body: { token: `nsl_${"a".repeat(43)}` } } },
  { method: "DELETE", path: "/api/v1/me/slack-link", summary: "Unlink my Slack account", access: "signed-in", example: {} },

  // Monitors and remote_write
  { method: "GET", path: "/api/v1/monitors", summary: "List monitors", access: "incidents.read", example: {} },
  { method: "POST", path: "/api/v1/monitors", summary: "Create a monitor", access: "monitors.manage", body: ZMonitorInput, status: 201, example: { body: { name: "checkout p99 latency", query: 'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{service="checkout"}[5m])))', stepSeconds: 60, detector: { type: "ensemble" } } } },
  { method: "PUT", path: "/api/v1/monitors/[id]", summary: "Replace a monitor", access: "monitors.manage", body: ZMonitorInput, example: { params: { id: UUID }, body: { name: "checkout error ratio", query: 'sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))', detector: { type: "mad" } } } },
  { method: "DELETE", path: "/api/v1/monitors/[id]", summary: "Delete a monitor", access: "monitors.manage", response: { schema: ZDeleted }, example: { params: { id: UUID } } },
  {
    method: "POST",
    path: "/api/v1/write",
    summary: "Prometheus remote_write 1.0 receiver",
    description: "remote_write.authorization in prometheus.yml with a token scoped to signals.ingest. A token over its samples-per-second budget is refused before its body is read.",
    access: "signals.ingest",
    rawBody: { contentType: "application/x-protobuf", description: "snappy-compressed prometheus.WriteRequest (Content-Encoding: snappy)" },
    errors: [413, 415, 429],
    example: {},
  },

  // On-call action links
  { method: "GET", path: "/api/v1/oncall/act/[token]", summary: "What a one-time notification link would do", description: "Changes nothing (link scanners fetch URLs); the token in the path is the credential.", access: "public", params: z.object({ token: z.string().regex(ACTION_TOKEN_RE, "a link token (noa_…)") }), example: { params: { token: `noa_${"b".repeat(43)}` } } },
  { method: "POST", path: "/api/v1/oncall/act/[token]", summary: "Acknowledge through a one-time notification link", access: "public", params: z.object({ token: z.string().regex(ACTION_TOKEN_RE, "a link token (noa_…)") }), errors: [409], example: { params: { token: `noa_${"b".repeat(43)}` } } },

  // Playbooks
  { method: "GET", path: "/api/v1/playbooks", summary: "List playbooks", access: "playbooks.read", example: {} },
  { method: "POST", path: "/api/v1/playbooks", summary: "Upload a playbook version (YAML, optionally signed)", description: "201 for a new version, 200 when the same bytes were already there.", access: "playbooks.manage", body: ZUploadPlaybookInput, status: 201, errors: [422], example: { body: { source: "name: restart-checkout\nversion: 1\nsteps: []\n", signature: "MEUCIQ..." } } },
  { method: "GET", path: "/api/v1/playbooks/[name]", summary: "Get a playbook and its versions", access: "playbooks.read", params: z.object({ name: z.string().regex(PLAYBOOK_NAME_RE) }), example: { params: { name: "clear-cache" } } },

  // Runs
  { method: "GET", path: "/api/v1/runs", summary: "List runs", access: "runs.read", query: ZListRunsQuery, example: { query: { status: "awaiting_approval", limit: "20" } } },
  { method: "POST", path: "/api/v1/runs", summary: "Request a playbook run", access: "runs.request", body: ZRequestRunInput, status: 201, errors: [409, 422], example: { body: { playbook: "rollout-restart", incidentId: UUID, params: { namespace: "shop", deployment: "checkout" }, reason: "pods stuck after config change" } } },
  { method: "GET", path: "/api/v1/runs/[id]", summary: "Get a run with its steps and approvals", access: "runs.read", example: { params: { id: UUID } } },
  { method: "POST", path: "/api/v1/runs/[id]/approve", summary: "Approve a run", description: "409 CANNOT_RUN when the dry-run says the run cannot run (details list why), unless an admin overrides with a reason (audited).", access: "runs.approve", body: ZApproveInput, errors: [409], example: { params: { id: UUID }, body: { comment: "plan checked, go" } } },
  { method: "POST", path: "/api/v1/runs/[id]/reject", summary: "Reject a run", access: "runs.reject", body: ZRejectInput, errors: [409], example: { params: { id: UUID }, body: { comment: "wrong namespace" } } },
  { method: "POST", path: "/api/v1/runs/[id]/cancel", summary: "Cancel a run", access: "runs.cancel", body: ZCancelInput, errors: [409], example: { params: { id: UUID }, body: { reason: "incident resolved itself" } } },
  { method: "POST", path: "/api/v1/runs/[id]/dry-run", summary: "Start a dry-run", access: "runs.dryrun", status: 202, errors: [409], example: { params: { id: UUID } } },
  { method: "POST", path: "/api/v1/runs/[id]/request-again", summary: "Request a finished run again (same params, new dry-run)", access: "runs.request", body: ZRequestAgainInput, status: 201, errors: [409], example: { params: { id: UUID }, body: { reason: "secret is set now" } } },
  { method: "POST", path: "/api/v1/runs/[id]/note", summary: "Say how a finished run went", description: "The recommender learns from it.", access: "runs.request", body: ZOutcomeNoteInput, errors: [409], example: { params: { id: UUID }, body: { note: "fixed it: error rate back under 0.1%" } } },
  { method: "GET", path: "/api/v1/runs/[id]/notifications", summary: "Who was asked to approve a run, and how each request went", access: "runs.read", example: { params: { id: UUID } } },

  // Schedules
  { method: "GET", path: "/api/v1/schedules", summary: "List on-call schedules", access: "oncall.read", example: {} },
  { method: "POST", path: "/api/v1/schedules", summary: "Create an on-call schedule", access: "oncall.manage", body: ZScheduleInput, status: 201, example: { body: { name: "payments primary", timeZone: "Europe/Berlin", layers: [{ rotation: "weekly", handoffWeekday: 1, handoffTime: "09:00", startsAt: "2026-12-07T08:00:00Z", participants: [UUID, UUID2] }] } } },
  { method: "GET", path: "/api/v1/schedules/[id]", summary: "Get a schedule", access: "oncall.read", example: { params: { id: UUID } } },
  { method: "PUT", path: "/api/v1/schedules/[id]", summary: "Replace a schedule and its layers (overrides stay)", access: "oncall.manage", body: ZScheduleInput, example: { params: { id: UUID }, body: { name: "payments primary", timeZone: "UTC", layers: [{ rotation: "daily", handoffTime: "08:00", startsAt: "2026-12-07T08:00:00Z", participants: [UUID] }] } } },
  { method: "DELETE", path: "/api/v1/schedules/[id]", summary: "Delete a schedule", access: "oncall.manage", response: { schema: ZDeleted }, errors: [409], example: { params: { id: UUID } } },
  { method: "GET", path: "/api/v1/schedules/[id]/oncall", summary: "Who is on call at a time, until when, and who is next", access: "oncall.read", query: ZOnCallQuery, example: { params: { id: UUID }, query: { at: "2026-12-24T20:00:00Z" } } },
  { method: "GET", path: "/api/v1/schedules/[id]/shifts", summary: "The final shift timeline of a window", access: "oncall.read", query: ZWindowQuery, example: { params: { id: UUID }, query: { from: "2026-12-07T00:00:00Z", to: "2026-12-21T00:00:00Z" } } },
  { method: "POST", path: "/api/v1/schedules/[id]/overrides", summary: "Add an override", access: "oncall.manage", body: ZOverrideInput, status: 201, example: { params: { id: UUID }, body: { userId: UUID2, startsAt: "2026-12-24T18:00:00Z", endsAt: "2026-12-25T09:00:00Z", reason: "swap with Kim" } } },
  { method: "DELETE", path: "/api/v1/schedules/[id]/overrides/[overrideId]", summary: "Delete an override", access: "oncall.manage", response: { schema: ZDeleted }, example: { params: { id: UUID, overrideId: UUID2 } } },
  { method: "GET", path: "/api/v1/schedules/[id]/ical", summary: "A schedule's shifts as iCalendar", description: "Calendar apps authenticate with the feed link's `?token=` instead of a header.", access: "oncall.read", query: ZFeedQuery, response: ICAL, example: { params: { id: UUID }, query: { weeks: "8" } } },
  { method: "POST", path: "/api/v1/schedules/[id]/ical/token", summary: "Create my secret calendar link for a schedule", description: "Replaces the caller's earlier link.", access: "oncall.read", status: 201, example: { params: { id: UUID } } },
  { method: "DELETE", path: "/api/v1/schedules/[id]/ical/token", summary: "Revoke my calendar link for a schedule", access: "oncall.read", example: { params: { id: UUID } } },
  { method: "GET", path: "/api/v1/users/[userId]/oncall.ical", summary: "One person's shifts across schedules as iCalendar", description: "Calendar apps authenticate with the feed link's `?token=`.", access: "oncall.read", query: ZFeedQuery, response: ICAL, example: { params: { userId: UUID }, query: { token: "nof_example", weeks: "4" } } },
  { method: "POST", path: "/api/v1/users/[userId]/oncall.ical/token", summary: "Create my secret link to a person's on-call calendar", access: "oncall.read", status: 201, example: { params: { userId: UUID } } },
  { method: "DELETE", path: "/api/v1/users/[userId]/oncall.ical/token", summary: "Revoke my link to a person's on-call calendar", access: "oncall.read", example: { params: { userId: UUID } } },

  // Settings
  { method: "GET", path: "/api/v1/settings/egress", summary: "Get the egress policy for playbook HTTP steps", access: "playbooks.read", example: {} },
  { method: "PUT", path: "/api/v1/settings/egress", summary: "Replace the egress policy", access: "settings.manage", body: ZEgressPolicyInput, example: { body: { allowHosts: ["*.example.com", "api.pagerduty.com"], allowCidrs: ["10.0.0.0/8"] } } },
  { method: "GET", path: "/api/v1/settings/orchestrator", summary: "Get run settings", access: "playbooks.read", example: {} },
  { method: "PATCH", path: "/api/v1/settings/orchestrator", summary: "Change run settings", access: "settings.manage", body: ZOrchestratorSettingsInput, example: { body: { approvalTtlMinutes: 60 } } },
  { method: "GET", path: "/api/v1/settings/redaction", summary: "Get export redaction settings", access: "exports.read", example: {} },
  { method: "PATCH", path: "/api/v1/settings/redaction", summary: "Change export redaction settings", access: "settings.manage", body: ZRedactionSettingsInput, example: { body: { maskPrivateAddresses: true } } },
  { method: "GET", path: "/api/v1/settings/secrets", summary: "Which secrets playbooks may use", access: "playbooks.read", example: {} },
  { method: "PUT", path: "/api/v1/settings/secrets", summary: "Replace the secrets playbooks may use", access: "settings.manage", body: ZSecretGrantsInput, example: { body: { grants: ["CACHE_ADMIN_TOKEN", "payments/*"] } } },

  // API tokens
  { method: "GET", path: "/api/v1/tokens", summary: "List API tokens", access: "tokens.manage", query: ZListTokensQuery, example: { query: { includeRevoked: "true" } } },
  { method: "POST", path: "/api/v1/tokens", summary: "Create an API token", description: "The token is in this answer only; it is stored as a SHA-256 hash.", access: "tokens.manage", body: ZCreateTokenInput, status: 201, example: { body: { name: "alertmanager", role: "operator", scopes: ["signals.ingest"], service: true, expiresInDays: 365 } } },
  { method: "DELETE", path: "/api/v1/tokens/[id]", summary: "Revoke an API token", access: "tokens.manage", response: { schema: z.object({ id: z.string().uuid(), revokedAt: z.string().describe("date-time") }) }, example: { params: { id: UUID } } },

  // This document
  { method: "GET", path: "/api/v1/openapi.json", summary: "This OpenAPI document", description: "Public: it describes the API's shape, which is in the open-source tree anyway, and holds no organization's data.", access: "public", response: { description: "OpenAPI 3.1" }, example: {} },
];

// ---------------------------------------------------------------------------------------------------------
// The document

type Json = Record<string, unknown>;

/** JSON Schema of what a client sends (zod's input side: defaults optional, coercions as written). */
export function jsonSchemaOf(schema: z.ZodType): Json {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Json;
  return rest;
}

const openApiPath = (p: string) => p.replace(/\[([^\]]+)\]/g, "{$1}");
const tagOf = (p: string) => p.split("/")[3] ?? "api";
const operationId = (op: ApiOperation) =>
  `${op.method.toLowerCase()}${op.path
    .replace(/^\/api\/v1/, "")
    .split(/[/._-]/)
    .filter(Boolean)
    .map((s) => (s.startsWith("[") ? `By${s[1]!.toUpperCase()}${s.slice(2, -1)}` : s[0]!.toUpperCase() + s.slice(1)))
    .join("")}`;

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: "Invalid input (validation_failed, invalid_json, bad_request); details[].path says where",
  401: "Not signed in and no valid Bearer token",
  403: "The caller may not do this (checked before the input is read), or a cookie write from another origin",
  404: "Not found (or not in the caller's organization)",
  409: "Conflicts with the current state",
  413: "Body larger than allowed (1 MiB for JSON)",
  415: "Wrong Content-Type",
  422: "Well-formed but unacceptable",
  429: "Rate limited; Retry-After says when to try again",
  503: "A dependency is unavailable",
};

function errorStatuses(op: ApiOperation): number[] {
  const s = new Set<number>(op.errors ?? []);
  if (op.access !== "public") s.add(401);
  if (op.access !== "public" && op.access !== "signed-in") s.add(403);
  if (op.body || op.query || paramsSchemaOf(op)) s.add(400);
  if (op.body) [413, 415].forEach((n) => s.add(n));
  if (paramsSchemaOf(op)) s.add(404);
  return [...s].sort((a, b) => a - b);
}

function parametersOf(op: ApiOperation): Json[] {
  const out: Json[] = [];
  for (const [where, schema] of [
    ["path", paramsSchemaOf(op)],
    ["query", op.query],
  ] as const) {
    if (!schema) continue;
    const js = jsonSchemaOf(schema);
    const props = (js.properties ?? {}) as Record<string, Json>;
    const required = new Set((js.required as string[] | undefined) ?? []);
    for (const [name, s] of Object.entries(props)) {
      out.push({ name, in: where, required: where === "path" || required.has(name), schema: s, example: op.example[where === "path" ? "params" : "query"]?.[name] });
    }
  }
  return out;
}

export function accessText(access: Access): string {
  return access === "public" ? "public (no credentials)" : access === "signed-in" ? "any signed-in caller" : `permission ${access}`;
}

function operationObject(op: ApiOperation): Json {
  const status = op.status ?? 200;
  const successContent = op.status === 204 ? undefined : { [op.response?.contentType ?? "application/json"]: { schema: op.response?.schema ? jsonSchemaOf(op.response.schema) : {} } };
  const responses: Json = { [String(status)]: { description: op.response?.description ?? "Success", ...(successContent ? { content: successContent } : {}) } };
  for (const code of errorStatuses(op)) responses[String(code)] = { $ref: `#/components/responses/E${code}` };
  const requestBody = op.body
    ? { required: true, content: { "application/json": { schema: jsonSchemaOf(op.body), ...(op.example.body !== undefined ? { example: op.example.body } : {}) } } }
    : op.rawBody
      ? { required: true, description: op.rawBody.description, content: { [op.rawBody.contentType]: { schema: { type: "string", contentMediaType: op.rawBody.contentType } } } }
      : undefined;
  const parameters = parametersOf(op);
  return {
    operationId: operationId(op),
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    tags: [tagOf(op.path)],
    "x-access": op.access,
    security: op.access === "public" ? [] : [{ bearerAuth: [] }, { sessionCookie: [] }],
    ...(parameters.length ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses,
  };
}

export function buildOpenApiDocument(operations: ApiOperation[] = API_OPERATIONS): Json {
  const paths: Record<string, Json> = {};
  for (const op of operations) (paths[openApiPath(op.path)] ??= {})[op.method.toLowerCase()] = operationObject(op);
  const used = new Set(operations.flatMap(errorStatuses));
  const errorSchema = jsonSchemaOf(ZErrorBody);
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: {
      title: "NeuralOps API",
      version: "v1",
      description:
        "Errors are JSON {error:{code,message,details?}}. A request is checked in this order: who you are (401), whether you may do this (403), then the input (400/413/415). " +
        "POST, PUT, PATCH and DELETE made with the session cookie must come from the app's own origin; Bearer tokens are not origin-checked.",
    },
    servers: [{ url: "/" }],
    tags: [...new Set(operations.map((o) => tagOf(o.path)))].sort().map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "An API token (Settings → Tokens, POST /api/v1/tokens or `npm run cli -- token create`)" },
        sessionCookie: { type: "apiKey", in: "cookie", name: "__Secure-next-auth.session-token", description: "The browser session (next-auth.session-token when NEXTAUTH_URL is http)" },
      },
      schemas: { Error: errorSchema },
      responses: Object.fromEntries(
        [...used].sort((a, b) => a - b).map((code) => [`E${code}`, { description: ERROR_DESCRIPTIONS[code] ?? "Error", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } }]),
      ),
    },
  };
}

let cached: Json | undefined;
/** The document for /api/v1/openapi.json and the reference page; built once per process. */
export function openApiDocument(): Json {
  return (cached ??= buildOpenApiDocument());
}
