// PagerDuty channel: Events API v2. One PagerDuty incident per NeuralOps incident (dedup_key
// neuralops-<incident id>): triggers and escalations repeat the key, acknowledge and resolve follow ours.
import { send, targetUrl } from "@/lib/orchestrator/actions/send";
import { PermanentActionError } from "@/lib/orchestrator/actions/types";
import type { PagerDutyConfig } from "@/lib/oncall/channel-config";
import { headline, isApproval, type Notification } from "@/lib/oncall/messages";
import type { Sender } from "@/lib/oncall/senders/types";

export const PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com";
export const pagerDutyDedupKey = (incidentId: string) => `neuralops-${incidentId}`;

const SEVERITY: Record<string, string> = { critical: "critical", warning: "warning", info: "info" };

export function pagerDutyEvent(n: Notification, routingKey: string) {
  const i = n.incident;
  const action = n.event === "incident.resolved" ? "resolve" : n.event === "incident.acknowledged" ? "acknowledge" : "trigger";
  return {
    routing_key: routingKey,
    event_action: action,
    dedup_key: pagerDutyDedupKey(i.id),
    ...(action === "trigger"
      ? {
          payload: {
            summary: headline(n).slice(0, 1024),
            source: i.service ?? i.labels.instance ?? "neuralops",
            severity: SEVERITY[i.severity] ?? "error",
            timestamp: i.openedAt,
            custom_details: { labels: i.labels, status: i.status, step: n.step },
          },
          links: [{ href: i.url, text: "Open in NeuralOps" }],
          client: "NeuralOps",
          client_url: i.url,
        }
      : {}),
  };
}

export const sendPagerDuty: Sender = async ({ channel, notification, egress, signal }) => {
  // A PagerDuty incident would outlive the decision: approval requests never target PagerDuty (page-approvers.ts).
  if (isApproval(notification)) throw new PermanentActionError("PagerDuty channels do not take approval requests");
  const routingKey = channel.secrets.routingKey;
  if (!routingKey) throw new PermanentActionError("the channel has no routing key");
  const base = ((channel.config as PagerDutyConfig).url ?? PAGERDUTY_EVENTS_URL).replace(/\/+$/, "");
  const res = await send({
    method: "POST",
    url: targetUrl(`${base}/v2/enqueue`),
    headers: { "content-type": "application/json" },
    body: JSON.stringify(pagerDutyEvent(notification, routingKey)),
    signal,
    egress,
    label: `PagerDuty (${channel.name})`,
  });
  return { status: res.status, externalRef: pagerDutyDedupKey(notification.incident.id) };
};
