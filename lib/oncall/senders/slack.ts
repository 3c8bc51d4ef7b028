// Slack channel: chat.postMessage with the bot token, a Block Kit message with Acknowledge / Resolve /
// Silence 1 h buttons (value: the incident id), or, for a run waiting for approval, Approve / Reject
// (value: the run id). The interaction endpoint (Slack's request URL, lib/oncall/slack-interactions.ts)
// reads `action_id` (SLACK_ACTIONS), verifies the request with the channel's signing secret, and updates
// the message with chat.update.
import { env } from "@/lib/env";
import { send, targetUrl } from "@/lib/orchestrator/actions/send";
import { PermanentActionError } from "@/lib/orchestrator/actions/types";
import type { EgressGuard } from "@/lib/egress/fetch";
import type { OpenChannel, SlackConfig } from "@/lib/oncall/channel-config";
import { approvalHeadline, headline, isApproval, labelLines, type ApprovalNotification, type Notification } from "@/lib/oncall/messages";
import type { Sender } from "@/lib/oncall/senders/types";

export const SLACK_API_URL = "https://slack.com/api";

/** action_id of each button; incident buttons carry the incident id, run buttons the run id. */
export const SLACK_ACTIONS = {
  acknowledge: "neuralops_ack",
  resolve: "neuralops_resolve",
  silence1h: "neuralops_silence_1h",
  open: "neuralops_open",
  approve: "neuralops_run_approve",
  reject: "neuralops_run_reject",
} as const;
export const SLACK_BLOCK_ID = "neuralops_incident";
export const SLACK_RUN_BLOCK_ID = "neuralops_run";

// Slack's mrkdwn needs only these three escaped (https://api.slack.com/reference/surfaces/formatting#escaping).
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const plain = (text: string, max = 75) => ({ type: "plain_text", text: text.length > max ? `${text.slice(0, max - 1)}…` : text });
const context = (text: string) => ({ type: "context", elements: [{ type: "mrkdwn", text: esc(text).slice(0, 3000) }] });

export function slackMessage(n: Notification) {
  const i = n.incident;
  const fields = [
    `*Severity*\n${esc(i.severity)}`,
    `*Status*\n${esc(i.status)}`,
    ...(i.service ? [`*Service*\n${esc(i.service)}`] : []),
    ...(n.step !== null ? [`*Escalation step*\n${n.step + 1}`] : []),
  ];
  const labels = labelLines(i.labels);
  // What can still be done to the incident as it is now.
  const buttons = [
    ...(i.status === "open" ? [{ type: "button", action_id: SLACK_ACTIONS.acknowledge, text: plain("Acknowledge"), style: "primary", value: i.id }] : []),
    ...(i.status !== "resolved"
      ? [
          { type: "button", action_id: SLACK_ACTIONS.resolve, text: plain("Resolve"), value: i.id },
          { type: "button", action_id: SLACK_ACTIONS.silence1h, text: plain("Silence 1 h"), value: i.id },
        ]
      : []),
  ];
  const blocks: Record<string, unknown>[] = [
    { type: "section", text: { type: "mrkdwn", text: `*<${i.url}|${esc(i.title)}>*\n${esc(headline(n))}` }, fields: fields.map((text) => ({ type: "mrkdwn", text })) },
    ...(labels.length ? [context(labels.join("  ·  "))] : []),
    ...(n.note ? [context(n.note)] : []),
    {
      type: "actions",
      block_id: SLACK_BLOCK_ID,
      elements: [...buttons, { type: "button", action_id: SLACK_ACTIONS.open, text: plain("Open in NeuralOps"), url: i.url, value: i.id }],
    },
  ];
  return { text: headline(n), blocks };
}

export function slackApprovalMessage(n: ApprovalNotification) {
  const r = n.run;
  const approvals = r.approvals.map((a) => `${a.by} ${a.decision}`);
  const fields = [
    `*Playbook*\n${esc(r.playbook)}`,
    `*Risk*\n${esc(r.risk)}`,
    `*Requested by*\n${esc(r.requestedBy)}`,
    `*Approvals*\n${r.approvals.filter((a) => a.decision === "approved").length} of ${r.requiredApprovals}`,
  ];
  const waiting = r.status === "awaiting_approval";
  const blocks: Record<string, unknown>[] = [
    { type: "section", text: { type: "mrkdwn", text: `*<${r.url}|${esc(approvalHeadline(n))}>*${r.reason ? `\n${esc(r.reason)}` : ""}` }, fields: fields.map((text) => ({ type: "mrkdwn", text })) },
    ...(r.incident ? [context(`Incident: ${r.incident.title}`)] : []),
    ...(approvals.length ? [context(approvals.join("  ·  "))] : []),
    ...(n.note ? [context(n.note)] : []),
    {
      type: "actions",
      block_id: SLACK_RUN_BLOCK_ID,
      elements: [
        ...(waiting
          ? [
              {
                type: "button",
                action_id: SLACK_ACTIONS.approve,
                text: plain("Approve"),
                style: "primary",
                value: r.id,
                confirm: { title: plain("Approve this run?"), text: { type: "mrkdwn", text: `Run *${esc(r.playbook)}* (${esc(r.risk)} risk) as approved by you.` }, confirm: plain("Approve"), deny: plain("Cancel") },
              },
              { type: "button", action_id: SLACK_ACTIONS.reject, text: plain("Reject"), style: "danger", value: r.id },
            ]
          : []),
        { type: "button", action_id: SLACK_ACTIONS.open, text: plain("Open in NeuralOps"), url: r.url, value: r.id },
      ],
    },
  ];
  return { text: approvalHeadline(n), blocks };
}

// Answers that asking again will not fix (https://api.slack.com/methods/chat.postMessage#errors).
const PERMANENT = new Set(["invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "channel_not_found", "not_in_channel", "is_archived", "missing_scope", "invalid_blocks", "no_permission", "user_not_found", "message_not_found", "cant_update_message", "user_not_in_channel"]);

type SlackAnswer = { ok?: boolean; error?: string; channel?: string; ts?: string };

/** One Slack Web API call with the channel's bot token, under the org's egress policy. */
export async function slackApi(channel: OpenChannel, method: string, payload: Record<string, unknown>, { egress, signal }: { egress: EgressGuard; signal: AbortSignal }) {
  const config = channel.config as SlackConfig;
  const token = channel.secrets.botToken;
  if (!token) throw new PermanentActionError("the channel has no bot token");
  const base = (config.apiUrl ?? env().SLACK_API_URL ?? SLACK_API_URL).replace(/\/+$/, "");
  const res = await send({
    method: "POST",
    url: targetUrl(`${base}/${method}`),
    headers: { "content-type": "application/json; charset=utf-8", authorization: `Bearer ${token}` },
    body: JSON.stringify(payload),
    signal,
    egress,
    label: `Slack ${method} (${channel.name})`,
  });
  // Slack answers 200 for failures too, with {ok: false, error}.
  let answer: SlackAnswer;
  try {
    answer = JSON.parse(res.body) as SlackAnswer;
  } catch {
    throw new Error(`Slack answered HTTP ${res.status} with a body that is not JSON`);
  }
  if (!answer.ok) {
    const why = `Slack refused the ${method === "chat.postMessage" ? "message" : method}: ${answer.error ?? "unknown error"}`;
    throw PERMANENT.has(answer.error ?? "") ? new PermanentActionError(why) : new Error(why);
  }
  return { status: res.status, answer };
}

export const sendSlack: Sender = async ({ channel, notification, address, egress, signal }) => {
  const config = channel.config as SlackConfig;
  const message = isApproval(notification) ? slackApprovalMessage(notification) : slackMessage(notification);
  const { status, answer } = await slackApi(channel, "chat.postMessage", { channel: address ?? config.channel, unfurl_links: false, ...message }, { egress, signal });
  return { status, externalRef: answer.channel && answer.ts ? `${answer.channel}:${answer.ts}` : undefined };
};
