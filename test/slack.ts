// Slack as the interaction tests see it: block_actions payloads shaped like the ones Slack posts to an
// app's interactivity Request URL, form-encoded in a `payload` field and signed the way Slack documents
// it ("Verifying requests from Slack": v0= + hex HMAC-SHA256 of "v0:<timestamp>:<raw body>" keyed with
// the app's signing secret). Written from the documentation, not from the product's verifier.
import { createHmac, randomInt } from "node:crypto";
import { POST as interactionsRoute } from "@/app/api/v1/integrations/slack/interactions/route";
import { callRoute } from "@/test/call-route";

export type SlackPress = {
  teamId: string;
  userId: string;
  userName?: string;
  /** The message the button is on: what chat.postMessage answered (NotificationAttempt.externalRef). */
  channelId: string;
  ts: string;
  actionId: string;
  value: string;
};

export function blockActions(p: SlackPress) {
  // Every press is a new request: its own trigger_id and action_ts (microseconds), as Slack sends them.
  const pressedAt = `${Math.floor(Date.now() / 1000)}.${String(randomInt(1_000_000)).padStart(6, "0")}`;
  return {
    type: "block_actions",
    user: { id: p.userId, username: p.userName ?? p.userId.toLowerCase(), name: p.userName ?? p.userId.toLowerCase(), team_id: p.teamId },
    api_app_id: "A0NEURALOPS",
    token: "deprecated-verification-token",
    container: { type: "message", message_ts: p.ts, channel_id: p.channelId, is_ephemeral: false },
    trigger_id: `${randomInt(1e9)}.${randomInt(1e9)}.${randomInt(1e9).toString(16)}`,
    team: { id: p.teamId, domain: "example" },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: p.channelId, name: "ops" },
    message: { type: "message", ts: p.ts, text: "…", blocks: [] },
    response_url: "https://hooks.slack.com/actions/T000/000/xxxx",
    actions: [{ type: "button", action_id: p.actionId, block_id: "neuralops", value: p.value, action_ts: pressedAt }],
  };
}

export const formBody = (payload: unknown) => `payload=${encodeURIComponent(JSON.stringify(payload))}`;

export function slackHeaders(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)) {
  const ts = String(timestamp);
  const signature = `v0=${createHmac("sha256", secret).update(`v0:${ts}:${body}`).digest("hex")}`;
  return { "content-type": "application/x-www-form-urlencoded", "x-slack-request-timestamp": ts, "x-slack-signature": signature };
}

/** POSTs a signed button press to the interactions route handler, as Slack would. */
export async function press(secret: string, p: SlackPress, opts: { timestamp?: number } = {}) {
  const body = formBody(blockActions(p));
  return callRoute(interactionsRoute, { path: "/api/v1/integrations/slack/interactions", headers: slackHeaders(secret, body, opts.timestamp), body });
}
