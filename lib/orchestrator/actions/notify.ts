// `notify`: tell people or systems about a run, through Slack, PagerDuty or a signed outbound webhook.
import { z } from "zod";
import { PermanentActionError, type Action, type ActionResult, type ExecuteContext, type Plan } from "./types";
import { describeBody, displayUrl, send, targetUrl } from "./send";
import { signStandardWebhook } from "@/lib/webhooks/standard-webhooks";

// URLs are plain strings here: in plan mode a secret URL is the placeholder «secret:NAME»; execute validates.
const ZSlack = z
  .object({
    channel: z.literal("slack"),
    webhookUrl: z.string().trim().min(1),
    text: z.string().min(1),
    blocks: z.array(z.record(z.string(), z.unknown())).optional(),
  })
  .strict();

const ZPagerDuty = z
  .object({
    channel: z.literal("pagerduty"),
    routingKey: z.string().min(1),
    summary: z.string().min(1).max(1024),
    severity: z.enum(["critical", "error", "warning", "info"]).default("error"),
    source: z.string().min(1),
    eventAction: z.enum(["trigger", "acknowledge", "resolve"]).default("trigger"),
    dedupKey: z.string().min(1).max(255).optional(),
    customDetails: z.record(z.string(), z.unknown()).optional(),
    // Events API host, e.g. https://events.eu.pagerduty.com for EU accounts.
    url: z.string().trim().min(1).optional(),
  })
  .strict()
  // The default key is this step's own, which matches no incident an earlier trigger opened.
  .refine((p) => p.eventAction === "trigger" || p.dedupKey !== undefined, { path: ["dedupKey"], message: "acknowledge and resolve need the dedupKey of the triggered incident" });

const ZWebhook = z
  .object({
    channel: z.literal("webhook"),
    url: z.string().trim().min(1),
    secret: z.string().min(1),
    payload: z.record(z.string(), z.unknown()),
    // With a type, the body is the spec's recommended envelope {type, timestamp, data}.
    type: z.string().min(1).max(200).optional(),
  })
  .strict();

export const ZNotifyInput = z.discriminatedUnion("channel", [ZSlack, ZPagerDuty, ZWebhook]);
export type NotifyInput = z.output<typeof ZNotifyInput>;
type SlackInput = z.output<typeof ZSlack>;
type PagerDutyInput = z.output<typeof ZPagerDuty>;
type WebhookInput = z.output<typeof ZWebhook>;

const JSON_HEADERS = { "content-type": "application/json" };
const PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com";
const IDEMPOTENCY_KEY_IN_PLAN = "(this step's idempotency key)";

// ---------------------------------------------------------------------------------------------------
// Slack incoming webhook. The URL itself is the credential, so only its host is ever repeated.

function slackHost(raw: string): string {
  try {
    return new URL(raw).host;
  } catch {
    return raw.startsWith("«secret:") ? raw : "invalid URL";
  }
}

function slackBody(input: SlackInput): string {
  return JSON.stringify({ text: input.text, ...(input.blocks ? { blocks: input.blocks } : {}) });
}

function planSlack(input: SlackInput): Plan {
  const body = slackBody(input);
  return {
    summary: `Slack message via ${slackHost(input.webhookUrl)}${describeBody(body, true)}: ${input.text.slice(0, 200)}`,
    details: { channel: "slack", webhook: slackHost(input.webhookUrl), text: input.text, ...(input.blocks ? { blocks: input.blocks } : {}) },
  };
}

async function sendSlack(input: SlackInput, ctx: ExecuteContext): Promise<ActionResult> {
  const label = `Slack (${slackHost(input.webhookUrl)})`;
  const res = await send({
    method: "POST",
    url: targetUrl(input.webhookUrl, "the Slack webhook URL"),
    headers: JSON_HEADERS,
    body: slackBody(input),
    signal: ctx.signal,
    egress: ctx.egress,
    label,
  });
  return { summary: `posted to ${label}`, output: { status: res.status, body: res.body } };
}

// ---------------------------------------------------------------------------------------------------
// PagerDuty Events API v2 (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/).

function pagerDutyEndpoint(input: PagerDutyInput): string {
  return `${(input.url ?? PAGERDUTY_EVENTS_URL).replace(/\/+$/, "")}/v2/enqueue`;
}

function pagerDutyEvent(input: PagerDutyInput, routingKey: string, dedupKey: string) {
  return {
    routing_key: routingKey,
    event_action: input.eventAction,
    dedup_key: dedupKey,
    payload: {
      summary: input.summary,
      source: input.source,
      severity: input.severity,
      ...(input.customDetails ? { custom_details: input.customDetails } : {}),
    },
  };
}

function planPagerDuty(input: PagerDutyInput): Plan {
  const endpoint = pagerDutyEndpoint(input);
  return {
    summary: `PagerDuty ${input.eventAction} (${input.severity}): ${input.summary.slice(0, 200)}`,
    // The routing key lets anyone open incidents on the service: never shown, placeholder or not.
    details: { channel: "pagerduty", url: endpoint, body: pagerDutyEvent(input, "«hidden»", input.dedupKey ?? IDEMPOTENCY_KEY_IN_PLAN) },
  };
}

async function sendPagerDuty(input: PagerDutyInput, ctx: ExecuteContext): Promise<ActionResult> {
  const endpoint = pagerDutyEndpoint(input);
  const dedupKey = input.dedupKey ?? ctx.idempotencyKey;
  const res = await send({
    method: "POST",
    url: targetUrl(endpoint, `PagerDuty URL '${displayUrl(endpoint)}'`),
    headers: JSON_HEADERS,
    body: JSON.stringify(pagerDutyEvent(input, input.routingKey, dedupKey)),
    signal: ctx.signal,
    egress: ctx.egress,
    label: `PagerDuty (${displayUrl(endpoint)})`,
  });
  return {
    summary: `PagerDuty ${input.eventAction} accepted (dedup key ${dedupKey})`,
    output: { status: res.status, dedupKey: answeredDedupKey(res.body) ?? dedupKey, body: res.body },
  };
}

/** PagerDuty echoes the key it filed the event under; prefer it to ours if the two ever differ. */
function answeredDedupKey(body: string): string | undefined {
  try {
    const key = (JSON.parse(body) as { dedup_key?: unknown }).dedup_key;
    return typeof key === "string" ? key : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------
// Standard Webhooks (https://www.standardwebhooks.com): signed, and deduplicated by webhook-id.

function webhookBody(input: WebhookInput, at: Date): string {
  return JSON.stringify(input.type === undefined ? input.payload : { type: input.type, timestamp: at.toISOString(), data: input.payload });
}

function planWebhook(input: WebhookInput): Plan {
  const body = webhookBody(input, new Date());
  return {
    summary: `POST ${displayUrl(input.url)} (Standard Webhooks signed${input.type ? `, type ${input.type}` : ""})${describeBody(body, true)}`,
    details: {
      channel: "webhook",
      url: displayUrl(input.url),
      headers: { "webhook-id": IDEMPOTENCY_KEY_IN_PLAN, "webhook-timestamp": "(send time)", "webhook-signature": "v1,(HMAC-SHA256 with the secret)" },
      secret: "«hidden»",
      body: input.type === undefined ? input.payload : { type: input.type, timestamp: "(send time)", data: input.payload },
    },
  };
}

async function sendWebhook(input: WebhookInput, ctx: ExecuteContext): Promise<ActionResult> {
  const url = targetUrl(input.url);
  const at = new Date();
  const timestamp = Math.floor(at.getTime() / 1000);
  const body = webhookBody(input, at);
  let signature: string;
  try {
    signature = signStandardWebhook({ id: ctx.idempotencyKey, timestamp, body, secret: input.secret });
  } catch (e) {
    throw new PermanentActionError((e as Error).message);
  }
  const label = `POST ${displayUrl(input.url)}`;
  const res = await send({
    method: "POST",
    url,
    headers: { ...JSON_HEADERS, "webhook-id": ctx.idempotencyKey, "webhook-timestamp": String(timestamp), "webhook-signature": signature },
    body,
    signal: ctx.signal,
    egress: ctx.egress,
    label,
  });
  return { summary: `webhook ${label} → ${res.status}`, output: { status: res.status, body: res.body } };
}

// ---------------------------------------------------------------------------------------------------

export const notifyAction: Action<NotifyInput> = {
  name: "notify",
  schema: ZNotifyInput,
  // Slack posts every message it receives; PagerDuty dedupes by dedup_key, webhook receivers by webhook-id.
  idempotent: (input) => input.channel !== "slack",
  destinations: (input) => [input.channel === "slack" ? input.webhookUrl : input.channel === "pagerduty" ? pagerDutyEndpoint(input) : input.url],

  async plan(input) {
    switch (input.channel) {
      case "slack":
        return planSlack(input);
      case "pagerduty":
        return planPagerDuty(input);
      case "webhook":
        return planWebhook(input);
    }
  },

  async execute(input, ctx) {
    switch (input.channel) {
      case "slack":
        return sendSlack(input, ctx);
      case "pagerduty":
        return sendPagerDuty(input, ctx);
      case "webhook":
        return sendWebhook(input, ctx);
    }
  },
};
