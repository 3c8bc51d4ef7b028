// Where an audit event's target lives in the app. Only ids shaped like ours become path segments (the
// target id is whatever the writer stored); a target with no page of its own links to its list.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const DETAIL: Record<string, string> = {
  run: "/runs",
  incident: "/incidents",
  monitor: "/monitors",
  schedule: "/oncall/schedules",
  notification_channel: "/oncall/channels",
  alert_route: "/oncall/routes",
  inhibition_rule: "/oncall/inhibitions",
  escalation_policy: "/oncall/policies",
};

const LIST: Record<string, string> = {
  agent_cluster: "/agents",
  agent_trigger: "/agents",
  export: "/exports",
  user: "/settings/users",
  invitation: "/settings/users",
  api_token: "/settings#tokens",
  signing_key: "/settings/keys",
  silence: "/oncall/silences",
  prometheus_source: "/integrations#prometheus",
  calendar_feed: "/oncall/schedules",
};

export function auditTargetHref(targetType: string, targetId: string, data?: unknown): string | null {
  const detail = DETAIL[targetType];
  if (detail) return UUID.test(targetId) ? `${detail}/${targetId}` : detail;
  if (targetType === "playbook_version") {
    const name = (data as { name?: unknown } | null)?.name;
    return typeof name === "string" && name ? `/playbooks/${encodeURIComponent(name)}` : "/playbooks";
  }
  return LIST[targetType] ?? null;
}
