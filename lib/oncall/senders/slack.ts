// Slack channel: chat.postMessage with the bot token, a Block Kit message with Acknowledge / Resolve /
// Silence 1 h buttons. The buttons' `value` is the incident id; the interaction endpoint (Slack's
// request URL) reads `action_id` (SLACK_ACTIONS) and verifies the request with the channel's signing secret.
import { env } from "@/lib/env";
import { send, targetUrl } from "@/lib/orchestrator/actions/send";
import { PermanentActionError } from "@/lib/orchestrator/actions/types";
import type { SlackConfig } from "@/lib/oncall/channel-config";
import { headline, labelLines, type Notification } from "@/lib/oncall/messages";
import type { Sender } from "@/lib/oncall/senders/types";

export const SLACK_API_URL = "https://slack.com/api";

/** action_id of each button; every button's value is the incident id. */
export const SLACK_ACTIONS = {
  acknowledge: "neuralops_ack",
  resolve: "neuralops_resolve",
  silence1h: "neuralops_silence_1h",
  open: "neuralops_open",
} as const;
export const SLACK_BLOCK_ID = "neuralops_incident";

// Slack's mrkdwn needs only these three escaped (https://api.slack.com/reference/surfaces/formatting#escaping).
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const plain = (text: string, max = 75) => ({ type: "plain_text", text: text.length > max ? `${text.slice(0, max - 1)}…` : text });

export function slackMessage(n: Notification) {
  const i = n.incident;
  const open = n.event === "incident.triggered" || n.event === "incident.escalated";
  const fields = [
    `*Severity*\n${esc(i.severity)}`,
    `*Status*\n${esc(i.status)}`,
    ...(i.service ? [`*Service*\n${esc(i.service)}`] : []),
    ...(n.step !== null ? [`*Escalation step*\n${n.step + 1}`] : []),
  ];
  const labels = labelLines(i.labels);
  const blocks: Record<string, unknown>[] = [
    { type: "section", text: { type: "mrkdwn", text: `*<${i.url}|${esc(i.title)}>*\n${esc(headline(n))}` }, fields: fields.map((text) => ({ type: "mrkdwn", text })) },
    ...(labels.length ? [{ type: "context", elements: [{ type: "mrkdwn", text: esc(labels.join("  ·  ")).slice(0, 3000) }] }] : []),
    {
      type: "actions",
      block_id: SLACK_BLOCK_ID,
      elements: [
        ...(open
          ? [
              { type: "button", action_id: SLACK_ACTIONS.acknowledge, text: plain("Acknowledge"), style: "primary", value: i.id },
              { type: "button", action_id: SLACK_ACTIONS.resolve, text: plain("Resolve"), value: i.id },
              { type: "button", action_id: SLACK_ACTIONS.silence1h, text: plain("Silence 1 h"), value: i.id },
            ]
          : []),
        { type: "button", action_id: SLACK_ACTIONS.open, text: plain("Open in NeuralOps"), url: i.url, value: i.id },
      ],
    },
  ];
  return { text: headline(n), blocks };
}

// Answers that asking again will not fix (https://api.slack.com/methods/chat.postMessage#errors).
const PERMANENT = new Set(["invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "channel_not_found", "not_in_channel", "is_archived", "missing_scope", "invalid_blocks", "no_permission", "user_not_found"]);

export const sendSlack: Sender = async ({ channel, notification, address, egress, signal }) => {
  const config = channel.config as SlackConfig;
  const token = channel.secrets.botToken;
  if (!token) throw new PermanentActionError("the channel has no bot token");
  const base = (config.apiUrl ?? env().SLACK_API_URL ?? SLACK_API_URL).replace(/\/+$/, "");
  const target = address ?? config.channel;
  const res = await send({
    method: "POST",
    url: targetUrl(`${base}/chat.postMessage`),
    headers: { "content-type": "application/json; charset=utf-8", authorization: `Bearer ${token}` },
    body: JSON.stringify({ channel: target, unfurl_links: false, ...slackMessage(notification) }),
    signal,
    egress,
    label: `Slack chat.postMessage (${channel.name})`,
  });
  // Slack answers 200 for failures too, with {ok: false, error}.
  let answer: { ok?: boolean; error?: string; channel?: string; ts?: string };
  try {
    answer = JSON.parse(res.body) as typeof answer;
  } catch {
    throw new Error(`Slack answered HTTP ${res.status} with a body that is not JSON`);
  }
  if (!answer.ok) {
    const why = `Slack refused the message: ${answer.error ?? "unknown error"}`;
    throw PERMANENT.has(answer.error ?? "") ? new PermanentActionError(why) : new Error(why);
  }
  return { status: res.status, externalRef: answer.channel && answer.ts ? `${answer.channel}:${answer.ts}` : undefined };
};
