// The incident's timeline and its API show when a signal happened and when it arrived: history loaded
// by a new monitor's first scan arrives hours after it happened and must read as such.
import { describe, expect, it } from "vitest";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { ingestSignals } from "@/lib/incidents/ingest-signals";
import { getIncidentOrThrow } from "@/lib/incidents/get-incident";
import { GET } from "@/app/api/v1/incidents/[id]/route";
import { formatTime } from "@/components/format-time";
import { bearer, callRoute, tokenFor } from "@/test/call-route";
import { makeActor, makeOrg } from "@/test/factories";
import { IncidentTimeline } from "./incident-timeline";

const HOUR = 3_600_000;

async function backfilledIncident() {
  const org = await makeOrg("tl");
  const actor = await makeActor(org.id, "operator");
  const startsAt = new Date(Math.floor((Date.now() - 6 * HOUR) / 60_000) * 60_000);
  const endsAt = new Date(startsAt.getTime() + 15 * 60_000);
  const base = { kind: "anomaly" as const, fingerprint: "spike", startsAt, title: "checkout errors: anomalous checkout_error_ratio", labels: { service: "checkout" }, severity: "critical" as const, source: "monitor:x" };
  const r = await ingestSignals({ actor, signals: [{ ...base, status: "firing" }, { ...base, status: "resolved", endsAt }] });
  return { org, actor, id: r.openedIncidents[0]!, startsAt, endsAt };
}

describe("incident timeline: signal time and arrival time", () => {
  it("GET /api/v1/incidents/:id carries each signal's startsAt and createdAt, and the signal's time on its events", async () => {
    const { org, id, startsAt } = await backfilledIncident();
    const res = await callRoute(GET, { method: "GET", headers: bearer(await tokenFor(org.id, "viewer")), path: `/api/v1/incidents/${id}`, params: { id } });
    expect(res.status).toBe(200);
    const [signal] = res.json.signals;
    expect(signal.startsAt).toBe(startsAt.toISOString());
    expect(Date.parse(signal.createdAt) - startsAt.getTime()).toBeGreaterThan(5 * HOUR);
    const added = res.json.events.find((e: { type: string }) => e.type === "signal_added");
    expect(added.data).toMatchObject({ signalId: signal.id, startsAt: startsAt.toISOString() });
    expect(Date.parse(added.at) - startsAt.getTime()).toBeGreaterThan(5 * HOUR);
  });

  it("the timeline shows when the signal happened and when it arrived, and marks the late arrival", async () => {
    const { actor, id, startsAt, endsAt } = await backfilledIncident();
    const incident = await getIncidentOrThrow({ actor, id });
    const html = renderToStaticMarkup(createElement(IncidentTimeline, { events: incident.events, signals: incident.signals }));
    const item = (type: string) => html.slice(html.indexOf(`data-event="${type}"`), html.indexOf("</li>", html.indexOf(`data-event="${type}"`)));
    const added = item("signal_added");
    expect(added).toContain("Signal time");
    expect(added).toContain(formatTime(startsAt));
    expect(added).toContain("arrived");
    expect(added).toContain(formatTime(incident.signals[0]!.createdAt));
    expect(added).toContain("arrived later");
    // The incident opened when the signal started and resolved when it ended, both hours ago.
    expect(item("opened")).toContain(formatTime(startsAt));
    expect(item("resolved")).toContain(formatTime(endsAt));
  });

  it("a live signal shows one time, without the late mark", async () => {
    const org = await makeOrg("tl");
    const actor = await makeActor(org.id, "operator");
    const r = await ingestSignals({
      actor,
      signals: [{ kind: "alert", fingerprint: "live", startsAt: new Date(Date.now() - 30_000), status: "firing", title: "live", labels: { alertname: "Live" }, severity: "warning", source: "test" }],
    });
    const incident = await getIncidentOrThrow({ actor, id: r.openedIncidents[0]! });
    const html = renderToStaticMarkup(createElement(IncidentTimeline, { events: incident.events, signals: incident.signals }));
    expect(html).not.toContain("arrived later");
    expect(html).toContain("Signal added");
  });
});
