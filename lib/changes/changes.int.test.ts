// POST/GET /api/v1/changes through the real route adapter and database, and changesNear over stored rows.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { POST, GET } from "@/app/api/v1/changes/route";
import { createCluster } from "@/lib/agents/clusters";
import { enrollAgent } from "@/lib/agents/enroll";
import { changesNear, changesNearIncident } from "@/lib/changes/changes-near";
import { fixture } from "@/test/fixtures";
import { makeActor, makeOrg } from "@/test/factories";
import { bearer, callRoute, tokenFor } from "@/test/call-route";
import { generateKeyPairSync, randomUUID } from "node:crypto";

const json = (f: string) => JSON.parse(fixture(f).toString("utf8"));
let org: { id: string };
let other: { id: string };
let ingest: string;
let viewer: string;
let otherIngest: string;

beforeAll(async () => {
  org = await makeOrg("chg");
  other = await makeOrg("chg-other");
  ingest = await tokenFor(org.id, "operator", ["signals.ingest"]);
  viewer = await tokenFor(org.id, "viewer");
  otherIngest = await tokenFor(other.id, "operator", ["signals.ingest"]);
});

const post = (body: unknown, token = ingest, path = "/api/v1/changes") => callRoute(POST, { headers: bearer(token), body, path });
const get = (query: string, token = viewer) => callRoute(GET, { method: "GET", headers: bearer(token), path: `/api/v1/changes?${query}` });

describe("POST /api/v1/changes", () => {
  it("a generic change: 201 with its id; the same id again: 200, deduplicated, same row", async () => {
    const id = randomUUID();
    const body = { kind: "deploy", title: "web 2.0.1", service: "web", namespace: "shop", revision: "2.0.1", id, at: "2026-12-06T10:00:00Z" };
    const first = await post(body);
    expect(first.status, first.text).toBe(201);
    expect(first.json).toEqual({ id: expect.any(String), deduplicated: false });
    const again = await post({ ...body, title: "a retry" });
    expect(again.status).toBe(200);
    expect(again.json).toEqual({ id: first.json.id, deduplicated: true });
    const row = await db.change.findUniqueOrThrow({ where: { id: first.json.id } });
    expect(row).toMatchObject({ orgId: org.id, source: "api", kind: "deploy", title: "web 2.0.1", service: "web", namespace: "shop", revision: "2.0.1", at: new Date("2026-12-06T10:00:00Z") });
    expect(await db.change.count({ where: { orgId: org.id, dedupKey: `api:id:${id}` } })).toBe(1);
  });

  it("an Argo CD notification and a LaunchDarkly webhook are recognised and stored once each", async () => {
    const argo = await post(json("argocd/on-deployed.json"));
    expect(argo.status, argo.text).toBe(201);
    expect((await post(json("argocd/on-deployed.json"))).json).toEqual({ id: argo.json.id, deduplicated: true });
    expect(await db.change.findUniqueOrThrow({ where: { id: argo.json.id } })).toMatchObject({ source: "argocd", kind: "deploy", service: "checkout", namespace: "shop", revision: "3f2a1b9c4d5e6f708192a3b4c5d6e7f8091a2b3c" });

    const ld = await post(json("launchdarkly/flag-turned-on.json"), ingest, "/api/v1/changes?service=checkout");
    expect(ld.status, ld.text).toBe(201);
    // The URL's ?service= names the subject the webhook body cannot.
    expect(await db.change.findUniqueOrThrow({ where: { id: ld.json.id } })).toMatchObject({ source: "launchdarkly", kind: "flag", service: "checkout", revision: "on", actor: "Ariel Flores" });
    const ignored = await post({ ...json("launchdarkly/flag-turned-on.json"), _id: randomUUID(), kind: "project" });
    expect(ignored.status).toBe(200);
    expect(ignored.json).toEqual({ id: null, deduplicated: false, ignored: expect.stringContaining("project") });
  });

  it("a generic flag event and a batch (duplicates within it collapse to one row)", async () => {
    const flag = await post({ flag: "dark-mode", enabled: true, environment: "production", id: randomUUID() });
    expect(flag.status, flag.text).toBe(201);
    const id = randomUUID();
    const batch = await post([
      { kind: "scale", title: "web 3 → 6 replicas", deployment: "web", namespace: "shop", id, source: "kubernetes" },
      { kind: "scale", title: "web 3 → 6 replicas", deployment: "web", namespace: "shop", id, source: "kubernetes" },
      { kind: "config", title: "web-config changed", namespace: "shop", id: randomUUID(), source: "kubernetes" },
    ]);
    expect(batch.status, batch.text).toBe(201);
    expect(batch.json.changes).toEqual([
      { id: expect.any(String), deduplicated: false },
      { id: batch.json.changes[0].id, deduplicated: true },
      { id: expect.any(String), deduplicated: false },
    ]);
  });

  it("bad input is a 400 with reasons, and stores nothing of the batch", async () => {
    const before = await db.change.count({ where: { orgId: org.id } });
    const res = await post([{ kind: "deploy", title: "fine" }, { kind: "explode", title: "" }]);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("validation_failed");
    expect(res.json.error.details.map((d: { path: unknown[] }) => d.path)).toEqual([[1, "kind"], [1, "title"]]);
    expect((await post({ kind: "deploy", title: "x", url: "javascript:alert(1)" })).status).toBe(400);
    expect((await callRoute(POST, { headers: { ...bearer(ingest), "content-type": "application/json" }, body: "{not json" })).status).toBe(400);
    expect((await post({ kind: "deploy", title: "x" }, ingest, "/api/v1/changes?team=a")).status).toBe(400);
    expect(await db.change.count({ where: { orgId: org.id } })).toBe(before);
  });

  // Anonymous callers (401) are covered by e2e/api/authz-matrix.spec.ts: without a request scope the
  // session lookup cannot run in-process.
  it("needs signals.ingest: a viewer gets 403", async () => {
    const res = await post({ kind: "deploy", title: "x" }, viewer);
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe("forbidden");
  });

  it("an agent's ingest token files its changes under its own cluster, whatever the body says", async () => {
    const admin = await makeActor(org.id, "admin");
    const { bootstrapToken, cluster } = await createCluster({ actor: admin, input: { name: `prod-${randomUUID().slice(0, 6)}` } });
    const publicKeyPem = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ type: "spki", format: "pem" }) as string;
    const { ingestToken } = await enrollAgent({ bootstrapToken, publicKeyPem, version: "test" });
    const res = await post({ kind: "deploy", title: "web rolled", deployment: "web", cluster: "someone-else", source: "kubernetes" }, ingestToken);
    expect(res.status, res.text).toBe(201);
    expect((await db.change.findUniqueOrThrow({ where: { id: res.json.id } })).cluster).toBe(cluster.name);
  });
});

describe("org isolation", () => {
  it("the same dedup key in two orgs is two rows; each org lists only its own", async () => {
    const id = randomUUID();
    const mine = await post({ kind: "deploy", title: "mine", service: "iso", id, at: "2026-12-06T12:00:00Z" });
    const theirs = await post({ kind: "deploy", title: "theirs", service: "iso", id, at: "2026-12-06T12:00:00Z" }, otherIngest);
    expect(mine.status).toBe(201);
    expect(theirs.status).toBe(201);
    expect(theirs.json.id).not.toBe(mine.json.id);
    const list = await get("service=iso&from=2026-12-06T00:00:00Z&to=2026-12-07T00:00:00Z");
    expect(list.status, list.text).toBe(200);
    expect(list.json.changes.map((c: { title: string }) => c.title)).toEqual(["mine"]);
    expect(list.json.changes[0]).not.toHaveProperty("orgId");
  });
});

describe("GET /api/v1/changes", () => {
  it("filters by time, service, namespace and kind, newest first, and says when it cut the list", async () => {
    const o = await makeOrg("chg-list");
    const t = await tokenFor(o.id, "operator", ["signals.ingest"]);
    const v = await tokenFor(o.id, "viewer");
    for (const [at, service, kind] of [
      ["2026-12-05T10:00:00Z", "a", "deploy"],
      ["2026-12-05T11:00:00Z", "a", "config"],
      ["2026-12-05T12:00:00Z", "b", "deploy"],
      ["2026-12-04T12:00:00Z", "a", "deploy"],
    ] as const)
      expect((await post({ kind, title: `${service} ${kind} ${at}`, service, namespace: "ns", at }, t)).status).toBe(201);
    const day = "from=2026-12-05T00:00:00Z&to=2026-12-06T00:00:00Z";
    expect((await get(day, v)).json.changes.map((c: { service: string; kind: string }) => `${c.service}/${c.kind}`)).toEqual(["b/deploy", "a/config", "a/deploy"]);
    expect((await get(`${day}&service=a&kind=deploy`, v)).json.changes).toHaveLength(1);
    expect((await get(`${day}&namespace=other`, v)).json.changes).toHaveLength(0);
    expect((await get(`${day}&limit=2`, v)).json).toMatchObject({ truncated: true, changes: [{ service: "b" }, { service: "a" }] });
    expect((await get("from=2026-12-06T00:00:00Z&to=2026-12-05T00:00:00Z", v)).status).toBe(400);
    expect((await get("from=yesterday", v)).status).toBe(400);
  });

  it("needs incidents.read: an ingest-only token gets 403", async () => {
    expect((await get("", ingest)).status).toBe(403);
  });
});

describe("changesNear", () => {
  it("returns the changes of the window in time order, each with its match strength and minutes before", async () => {
    const o = await makeOrg("chg-near");
    const t = await tokenFor(o.id, "operator", ["signals.ingest"]);
    const rows: [string, Record<string, string>][] = [
      ["2026-12-06T07:30:00Z", { service: "checkout", namespace: "shop" }], // before the window
      ["2026-12-06T08:10:00Z", { service: "cart", namespace: "shop" }],
      ["2026-12-06T09:48:00Z", { deployment: "checkout", namespace: "shop" }],
      ["2026-12-06T09:50:00Z", {}],
      ["2026-12-06T09:55:00Z", { service: "search", namespace: "catalog" }], // unrelated
      ["2026-12-06T10:05:00Z", { service: "checkout" }], // during
      ["2026-12-06T11:00:00Z", { service: "checkout" }], // after the end
    ];
    for (const [at, subject] of rows) expect((await post({ kind: "deploy", title: `${JSON.stringify(subject)}@${at}`, at, ...subject }, t)).status).toBe(201);
    expect((await post({ kind: "deploy", title: "other org", service: "checkout", at: "2026-12-06T09:49:00Z" })).status).toBe(201);

    const near = await changesNear({ orgId: o.id, subject: { service: "checkout", labels: { namespace: "shop" } }, before: new Date("2026-12-06T10:00:00Z"), after: new Date("2026-12-06T10:30:00Z") });
    expect(near.map((c) => [c.at.toISOString().slice(11, 16), c.match, c.minutesBefore])).toEqual([
      ["08:10", "namespace", 110],
      ["09:48", "service", 12],
      ["09:50", "org", 10],
      ["10:05", "service", -5],
    ]);
    const short = await changesNear({ orgId: o.id, subject: { service: "checkout", labels: {} }, before: new Date("2026-12-06T10:00:00Z"), windowMinutes: 11 });
    expect(short.map((c) => c.match)).toEqual(["org"]);
  });

  it("for an incident: the window ends at its first signal and runs on while it is open", async () => {
    const o = await makeOrg("chg-inc");
    const viewerActor = await makeActor(o.id, "viewer");
    const incident = await db.incident.create({ data: { orgId: o.id, title: "checkout errors", service: "checkout", labels: { namespace: "shop" }, openedAt: new Date("2026-12-06T10:02:00Z"), lastSignalAt: new Date("2026-12-06T10:02:00Z") } });
    await db.signal.create({ data: { orgId: o.id, incidentId: incident.id, kind: "alert", fingerprint: "f", startsAt: new Date("2026-12-06T10:00:00Z"), lastSeenAt: new Date(), title: "5xx", labels: {}, severity: "critical", source: "alertmanager" } });
    await db.change.create({ data: { orgId: o.id, at: new Date("2026-12-06T09:48:00Z"), source: "api", kind: "deploy", title: "checkout 1.2", service: "checkout", dedupKey: "k1" } });
    const r = await changesNearIncident({ actor: viewerActor, incidentId: incident.id, now: new Date("2026-12-06T10:30:00Z") });
    expect(r.reference).toEqual(new Date("2026-12-06T10:00:00Z"));
    expect(r.referenceIsFirstSignal).toBe(true);
    expect(r.changes).toMatchObject([{ title: "checkout 1.2", match: "service", minutesBefore: 12 }]);
    // Another org's actor does not see this incident at all.
    await expect(changesNearIncident({ actor: await makeActor(other.id, "admin"), incidentId: incident.id })).rejects.toMatchObject({ code: "not_found" });
  });
});
