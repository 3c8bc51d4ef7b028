// Microsoft Teams channel: an Adaptive Card POSTed to the channel's webhook (a Workflows "When a Teams
// webhook request is received" flow, or a legacy incoming webhook); both take this message shape.
import { send, targetUrl } from "@/lib/orchestrator/actions/send";
import { PermanentActionError } from "@/lib/orchestrator/actions/types";
import { approvalHeadline, headline, isApproval, labelLines, type AnyNotification, type ApprovalNotification } from "@/lib/oncall/messages";
import type { Sender } from "@/lib/oncall/senders/types";

const card = (body: unknown[], actions: unknown[]) => ({
  type: "message",
  attachments: [
    {
      contentType: "application/vnd.microsoft.card.adaptive",
      contentUrl: null,
      content: { $schema: "http://adaptivecards.io/schemas/adaptive-card.json", type: "AdaptiveCard", version: "1.4", body, actions },
    },
  ],
});

function approvalCard(n: ApprovalNotification) {
  const r = n.run;
  return card(
    [
      { type: "TextBlock", text: approvalHeadline(n), weight: "Bolder", size: "Medium", wrap: true, color: r.risk === "high" ? "Attention" : "Default" },
      ...(r.reason ? [{ type: "TextBlock", text: r.reason, wrap: true, isSubtle: true, spacing: "None" }] : []),
      {
        type: "FactSet",
        facts: [
          { title: "Playbook", value: r.playbook },
          { title: "Risk", value: r.risk },
          { title: "Requested by", value: r.requestedBy },
          ...(r.incident ? [{ title: "Incident", value: r.incident.title }] : []),
          ...(n.forUser ? [{ title: "For", value: n.forUser.name || n.forUser.email }] : []),
        ],
      },
    ],
    [{ type: "Action.OpenUrl", title: "Review and decide", url: r.url }],
  );
}

export function teamsMessage(n: AnyNotification) {
  if (isApproval(n)) return approvalCard(n);
  const i = n.incident;
  const color = i.severity === "critical" ? "Attention" : i.severity === "warning" ? "Warning" : "Default";
  return card(
    [
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
    [
      // Opens a page that asks before acknowledging (a link preview or scanner opening it does nothing).
      ...(n.actions ? [{ type: "Action.OpenUrl", title: `Acknowledge as ${n.forUser?.name || n.forUser?.email || "me"}`, url: n.actions.ack }] : []),
      { type: "Action.OpenUrl", title: "Open in NeuralOps", url: i.url },
    ],
  );
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
