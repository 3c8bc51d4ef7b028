// The incident page's "Changes near this incident" section, rendered to HTML from real rows: offsets in
// words, kind, title as a link (http(s) only), revision, actor, match; and the empty state's how-to.
import { describe, expect, it } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import { db } from "@/lib/db";
import { makeActor, makeOrg } from "@/test/factories";
import { ChangesNearPanel } from "./changes-near-panel";

async function incidentWith(changes: { at: string; title: string; service?: string; namespace?: string; url?: string; revision?: string; actor?: string; kind?: string }[]) {
  const org = await makeOrg("chg-panel");
  const actor = await makeActor(org.id, "viewer");
  const opened = new Date("2026-12-06T10:00:00Z");
  const incident = await db.incident.create({ data: { orgId: org.id, title: "checkout 5xx", service: "checkout", labels: { namespace: "shop" }, openedAt: opened, lastSignalAt: opened, status: "resolved", resolvedAt: new Date("2026-12-06T10:30:00Z") } });
  await db.signal.create({ data: { orgId: org.id, incidentId: incident.id, kind: "alert", fingerprint: "f", startsAt: opened, lastSeenAt: opened, title: "5xx", labels: {}, severity: "critical", source: "alertmanager" } });
  for (const [i, c] of changes.entries())
    await db.change.create({ data: { orgId: org.id, at: new Date(c.at), source: "api", kind: c.kind ?? "deploy", title: c.title, service: c.service ?? null, namespace: c.namespace ?? null, url: c.url ?? null, revision: c.revision ?? null, actor: c.actor ?? null, dedupKey: `k${i}` } });
  return renderToStaticMarkup(await ChangesNearPanel({ actor, incidentId: incident.id }));
}

describe("ChangesNearPanel", () => {
  it("lists each change with its offset from the first signal, kind, linked title, revision, actor and match", async () => {
    const html = await incidentWith([
      { at: "2026-12-06T09:48:00Z", title: "checkout 1.14.2", service: "checkout", url: "https://ci.example/run/7", revision: "3f2a1b9", actor: "ariel" },
      { at: "2026-12-06T09:30:00Z", title: "pool size", namespace: "shop", kind: "config", url: "javascript:alert(1)" },
      { at: "2026-12-06T10:05:00Z", title: "rolled back", service: "checkout", kind: "rollback" },
    ]);
    expect(html).toContain("Changes near this incident");
    expect(html).toContain("12 min before the first signal");
    expect(html).toContain("30 min before the first signal");
    expect(html).toContain("5 min after the first signal");
    expect(html).toContain('href="https://ci.example/run/7"');
    expect(html).toContain("3f2a1b9");
    expect(html).toContain("by ariel");
    expect(html).toContain("same service");
    expect(html).toContain("same namespace");
    expect(html).not.toContain("javascript:");
    // Oldest first.
    expect(html.indexOf("pool size")).toBeLessThan(html.indexOf("checkout 1.14.2"));
    expect(html.indexOf("checkout 1.14.2")).toBeLessThan(html.indexOf("rolled back"));
  });

  it("says none was recorded and how to send them", async () => {
    const html = await incidentWith([{ at: "2026-12-06T06:00:00Z", title: "too early", service: "checkout" }]);
    expect(html).toContain("No change was recorded in this window");
    expect(html).toContain("POST /api/v1/changes");
    expect(html).toContain("Change events");
    expect(html).not.toContain("too early");
  });
});
