// Microsoft Teams channel: an Adaptive Card POSTed to the channel's webhook (a Workflows "When a Teams
// webhook request is received" flow, or a legacy incoming webhook); both take this message shape.
import { send, targetUrl } from "@/lib/orchestrator/actions/send";
import { PermanentActionError } from "@/lib/orchestrator/actions/types";
import { headline, labelLines, type Notification } from "@/lib/oncall/messages";
import type { Sender } from "@/lib/oncall/senders/types";

export function teamsMessage(n: Notification) {
  const i = n.incident;
  const color = i.severity === "critical" ? "Attention" : i.severity === "warning" ? "Warning" : "Default";
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          body: [
            { type: "TextBlock", text: i.title, weight: "Bolder", size: "Medium", wrap: true, color },
            { type: "TextBlock", text: headline(n), wrap: true, isSubtle: true, spacing: "None" },
            {
              type: "FactSet",
              facts: [
                { title: "Severity", value: i.severity },
                { title: "Status", value: i.status },
                ...(i.service ? [{ title: "Service", value: i.service }] : []),
                ...(n.step !== null ? [{ title: "Escalation step", value: String(n.step + 1) }] : []),
                ...(n.forUser ? [{ title: "For", value: n.forUser.name || n.forUser.email }] : []),
              ],
            },
            ...(Object.keys(i.labels).length ? [{ type: "TextBlock", text: labelLines(i.labels).join(" · "), wrap: true, size: "Small", isSubtle: true }] : []),
          ],
          actions: [{ type: "Action.OpenUrl", title: "Open in NeuralOps", url: i.url }],
        },
      },
    ],
  };
}

export const sendTeams: Sender = async ({ channel, notification, egress, signal }) => {
  const url = channel.secrets.webhookUrl;
  if (!url) throw new PermanentActionError("the channel has no webhook URL");
  const res = await send({
    method: "POST",
    // The URL carries the credential: errors name the channel, never the URL.
    url: targetUrl(url, "the Teams webhook URL"),
    headers: { "content-type": "application/json" },
    body: JSON.stringify(teamsMessage(notification)),
    signal,
    egress,
    label: `Teams webhook (${channel.name})`,
  });
  return { status: res.status };
};
