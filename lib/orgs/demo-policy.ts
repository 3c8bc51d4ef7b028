// What the demo organization's playbooks may reach and read, set when it is first seeded. New
// organizations get neither (deny-all egress, no secret grants); the demo allows loopback because its
// demo receivers (and the browser tests' targets) listen on 127.0.0.1.
import type { EgressPolicy } from "@/lib/egress/policy";

/** The secrets the catalog (playbooks/) names. */
export const DEMO_SECRET_GRANTS = ["ARGOCD_TOKEN", "CACHE_ADMIN_TOKEN", "FLAG_SERVICE_TOKEN", "PAGERDUTY_ROUTING_KEY", "SLACK_WEBHOOK_URL"];

export const DEMO_EGRESS: EgressPolicy = {
  allowHosts: ["events.eu.pagerduty.com", "events.pagerduty.com", "hooks.slack.com", "localhost"],
  allowCidrs: ["127.0.0.0/8", "::1/128"],
};
