// The incident page's Paging panel and timeline, rendered from what the real on-call engine writes:
// paging started, notified, a notification sent and one failed, escalated to a second person, stopped by
// the acknowledgement; and the incidents that page nobody (silenced, unrouted) say why.
import "@/test/own-redis-prefix";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { db } from "@/lib/db";
import { ingestAlertmanagerWebhook } from "@/lib/incidents/alertmanager";
import { acknowledgeIncident } from "@/lib/incidents/change-incident-status";
import { getIncidentOrThrow } from "@/lib/incidents/get-incident";
import { createChannel } from "@/lib/oncall/manage-channels";
import { createPolicy } from "@/lib/oncall/manage-policies";
import { createRoute } from "@/lib/oncall/manage-routes";
import { createSilence } from "@/lib/oncall/manage-silences";
import { startPaging } from "@/lib/oncall/start-paging";
import { escalate } from "@/lib/oncall/escalate";
import { deliverNotification } from "@/lib/oncall/deliver";
import { onIncidentStatus } from "@/lib/oncall/stop-escalation";
import { listIncidentNotifications } from "@/lib/oncall/list-notifications";
import { allowTestEgress, makeActor, makeOrg } from "@/test/factories";
import { alertDelivery } from "@/test/oncall";
import { startTarget, type Target } from "@/test/target-server";
import { IncidentTimeline } from "./incident-timeline";
import { PagingLive, type PagingData } from "./paging-live";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";

/** The panel as the page renders it: inside the app's react-query provider. */
const renderPanel = (props: { incidentId: string; initial: PagingData }) =>
  renderToStaticMarkup(createElement(QueryClientProvider, { client: new QueryClient() }, createElement(PagingLive, props)));

let target: Target;
beforeAll(async () => {
  target = await startTarget();
  target.on("/broken", { status: 400, body: "no such hook" });
});
afterAll(() => target.close());

const textOf = (html: string) => html.replace(/<[^>]+>/g, "").replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&").replace(/&#x27;/g, "'");

/** The text of each timeline item of `type`. */
function items(html: string, type: string): string[] {
  return [...html.matchAll(new RegExp(`data-event="${type}"[\\s\\S]*?</li>`, "g"))].map((m) => textOf(m[0]));
}

async function deliverQueued(incidentId: string) {
  for (const a of await db.notificationAttempt.findMany({ where: { incidentId, status: "queued" } })) await deliverNotification({ attemptId: a.id }, { attempt: 1, maxAttempts: 1 });
}

async function setup() {
  const org = await makeOrg("paging");
  await allowTestEgress(org.id);
  const admin = await makeActor(org.id, "admin");
  const operator = await makeActor(org.id, "operator");
  const lead = await makeActor(org.id, "approver");
  await db.user.update({ where: { id: lead.id }, data: { name: "Lee Lead" } });
  const hook = await createChannel({ actor: admin, input: { name: "team-hook", type: "webhook", url: `${target.url}/hook` } });
  const broken = await createChannel({ actor: admin, input: { name: "old-hook", type: "webhook", url: `${target.url}/broken` } });
  const policy = await createPolicy({
    actor: admin,
    input: { name: "payments", steps: [{ afterMinutes: 0, targets: [{ channel: hook.id }, { channel: broken.id }] }, { afterMinutes: 0.05, targets: [{ user: lead.id, via: [hook.id] }] }] },
  });
  await createRoute({ actor: admin, input: { name: "payments-route", matchers: [{ label: "team", op: "=", value: "payments" }], policy: policy.id } });
  const open = async (labels: Record<string, string>) => (await ingestAlertmanagerWebhook({ actor: operator, payload: alertDelivery(labels, { summary: `${labels.alertname} down` }) })).openedIncidents[0]!;
  return { org, admin, operator, lead, open };
}

describe("paging on the incident page", () => {
  it("the timeline tells the escalation in words and the panel lists every notification", async () => {
    const t = await setup();
    const incidentId = await t.open({ alertname: "PayDown", team: "payments" });
    const started = await startPaging(incidentId);
    await escalate({ pageId: started.pageId!, seq: 0 });
    await deliverQueued(incidentId);

    // Between the steps: the panel says where paging is and when the next step is due.
    const mid = JSON.parse(JSON.stringify(await listIncidentNotifications({ actor: t.operator, id: incidentId }))) as PagingData;
    const midText = textOf(renderPanel({ incidentId, initial: mid }));
    expect(midText).toContain("Paging");
    expect(midText).toContain("Route payments-route → payments");
    expect(midText).toMatch(/1 of 2 steps notified · next: step 2 at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);

    await escalate({ pageId: started.pageId!, seq: 1 });
    await deliverQueued(incidentId);
    await acknowledgeIncident({ actor: t.operator, id: incidentId, note: "on it" });
    await onIncidentStatus({ incidentId, status: "acknowledged" });

    const incident = await getIncidentOrThrow({ actor: t.operator, id: incidentId });
    const html = renderToStaticMarkup(createElement(IncidentTimeline, { events: incident.events, signals: incident.signals }));
    expect(items(html, "paging_started")).toEqual([expect.stringContaining('Paging startedby system:oncallroute "payments-route" → escalation policy "payments"')]);
    expect(items(html, "notified")[0]).toMatch(/step 1 of 2: team-hook, old-hook · next step at .* UTC/);
    expect(items(html, "escalated")[0]).toContain(`step 2 of 2: ${t.lead.label} via team-hook · last step`);
    const sent = items(html, "notification_sent");
    expect(sent).toEqual(
      expect.arrayContaining([expect.stringMatching(/Page to the channel via team-hook \(webhook\) in \d+ ms/), expect.stringMatching(/Escalation to a person via team-hook \(webhook\) in \d+ ms/)]),
    );
    expect(items(html, "notification_failed")).toEqual([expect.stringMatching(/Page to the channel via old-hook \(webhook\) failed: .*400.* — given up\./)]);
    expect(items(html, "escalation_stopped")).toEqual([expect.stringContaining("escalation stopped: incident acknowledged")]);
    // No raw key: value dumps left for these events.
    expect(html).not.toMatch(/latencyMs:|routeId:|problems:/);

    const done = JSON.parse(JSON.stringify(await listIncidentNotifications({ actor: t.operator, id: incidentId }))) as PagingData;
    const panel = textOf(renderPanel({ incidentId, initial: done }));
    expect(panel).toContain("Stopped: acknowledged");
    expect(panel).toContain("2 of 2 steps notified");
    expect(panel).toContain("team-hook (webhook)the channel's destinationsentHTTP 200");
    expect(panel).toContain("old-hook (webhook)the channel's destinationfailedHTTP 400");
    expect(panel).toContain("Lee Lead");
    // The acknowledgement notice to the channel that was paged.
    expect(panel).toContain("acknowledged");
  });

  it("silenced and unrouted incidents say why nobody was paged", async () => {
    const t = await setup();
    await createSilence({ actor: t.operator, input: { matchers: [{ label: "team", op: "=", value: "payments" }], endsAt: new Date(Date.now() + 3600_000), comment: "payments DB migration" } });
    const silenced = await t.open({ alertname: "Quiet", team: "payments" });
    await startPaging(silenced);
    const unrouted = await t.open({ alertname: "Lost", team: "search" });
    await startPaging(unrouted);

    const render = async (id: string) => {
      const incident = await getIncidentOrThrow({ actor: t.operator, id });
      return renderToStaticMarkup(createElement(IncidentTimeline, { events: incident.events, signals: incident.signals }));
    };
    expect(items(await render(silenced), "silenced")[0]).toMatch(/Silencedby system:oncallsilenced by "payments DB migration" \(.+, until .+\)/);
    expect(items(await render(unrouted), "unrouted")[0]).toContain("Nobody pagedby system:oncallnobody paged: no route matches and there is no default route");

    const panel = async (id: string) => textOf(renderPanel({ incidentId: id, initial: JSON.parse(JSON.stringify(await listIncidentNotifications({ actor: t.operator, id }))) as PagingData }));
    expect(await panel(silenced)).toContain('Silencedsilenced by "payments DB migration"');
    expect(await panel(unrouted)).toContain("Unroutedno route matches and there is no default route");
  });
});
