// Webhook channel: a JSON POST signed the Standard Webhooks way (webhook-id = the delivery's id, the same
// on every retry, so receivers can drop repeats).
import { send, targetUrl } from "@/lib/orchestrator/actions/send";
import { PermanentActionError } from "@/lib/orchestrator/actions/types";
import { standardWebhookHeaders } from "@/lib/webhooks/standard-webhooks";
import type { WebhookConfig } from "@/lib/oncall/channel-config";
import { isApproval, type AnyNotification } from "@/lib/oncall/messages";
import type { Sender } from "@/lib/oncall/senders/types";

/**
 * The documented body: {type, timestamp, incident: {id, title, url, severity, status, labels, …}, step,
 * attempt, user?, by?, actions?: {ack}}; for an approval request {type: "run.approval_requested",
 * timestamp, run: {id, url, playbook, risk, status, approvals, …}, attempt, user?}.
 */
export function webhookBody(n: AnyNotification, at: Date) {
  if (isApproval(n)) return { type: n.event, timestamp: at.toISOString(), run: n.run, attempt: n.attempt, ...(n.forUser ? { user: n.forUser } : {}) };
  return {
    type: n.event,
    timestamp: at.toISOString(),
    incident: n.incident,
    step: n.step,
    attempt: n.attempt,
    ...(n.forUser ? { user: n.forUser } : {}),
    ...(n.by ? { by: n.by } : {}),
    ...(n.actions ? { actions: n.actions } : {}),
  };
}

export const sendWebhook: Sender = async ({ channel, notification, deliveryId, egress, signal }) => {
  const { url } = channel.config as WebhookConfig;
  const secret = channel.secrets.signingSecret;
  if (!secret) throw new PermanentActionError("the channel has no signing secret");
  const at = new Date();
  const body = JSON.stringify(webhookBody(notification, at));
  const res = await send({
    method: "POST",
    url: targetUrl(url),
    headers: { "content-type": "application/json", ...standardWebhookHeaders({ id: deliveryId, body, secret, at }) },
    body,
    signal,
    egress,
    label: `webhook ${channel.name}`,
  });
  return { status: res.status };
};
