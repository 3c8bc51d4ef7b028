import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { fixture } from "@/test/fixtures";
import { detectShape, parseChanges } from "@/lib/changes/parse-changes";
import { RAW_MAX_BYTES } from "@/lib/changes/schemas";

const NOW = new Date("2026-12-07T00:00:00Z");
const json = (f: string) => JSON.parse(fixture(f).toString("utf8"));
const one = (body: unknown) => parseChanges(body, NOW).items[0]!;
function rejects(body: unknown): AppError {
  try {
    parseChanges(body, NOW);
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected a validation error");
}

describe("shape detection", () => {
  it("tells the four shapes apart by content", () => {
    expect(detectShape(json("argocd/on-deployed.json"))).toBe("argocd");
    expect(detectShape(json("launchdarkly/flag-turned-on.json"))).toBe("launchdarkly");
    expect(detectShape({ flag: "dark-mode", enabled: true })).toBe("flag");
    expect(detectShape({ kind: "flag", title: "x" })).toBe("generic");
  });
});

describe("generic changes", () => {
  it("takes every field, defaults `at` to now and `source` to api, keys on the sender's id", () => {
    const { change } = one({ kind: "deploy", title: "web 1.2.3", service: "web", namespace: "shop", labels: { team: "a" }, revision: "1.2.3", actor: "ci", url: "https://ci.example/1", id: "build-17" });
    expect(change).toMatchObject({ at: NOW, source: "api", kind: "deploy", title: "web 1.2.3", service: "web", namespace: "shop", deployment: null, labels: { team: "a" }, revision: "1.2.3", actor: "ci", url: "https://ci.example/1", dedupKey: "api:id:build-17" });
  });

  it("without an id, the same content gives the same key (a retry is a duplicate) and other content another", () => {
    const e = { kind: "config", title: "raised pool size", at: "2026-12-06T10:00:00Z" };
    expect(one(e).change!.dedupKey).toBe(one({ ...e }).change!.dedupKey);
    expect(one({ ...e, title: "lowered pool size" }).change!.dedupKey).not.toBe(one(e).change!.dedupKey);
  });

  it("a batch is parsed item by item, and one bad item fails it naming its index and field", () => {
    expect(parseChanges([{ kind: "deploy", title: "a" }, { kind: "scale", title: "b", source: "kubernetes" }], NOW).items.map((i) => i.change!.source)).toEqual(["api", "kubernetes"]);
    const err = rejects([{ kind: "deploy", title: "a" }, { kind: "deploy", title: "b", servce: "web" }]);
    expect(err.status).toBe(400);
    expect(err.details).toEqual([expect.objectContaining({ path: [1], code: "unrecognized_keys" })]);
    expect(err.message).toContain("servce");
  });

  it("refuses bad input with reasons: kind, empty title, javascript: links, times out of range, non-objects, empty and huge batches", () => {
    expect(rejects({ kind: "upgrade", title: "x" }).details).toEqual([expect.objectContaining({ path: ["kind"] })]);
    expect(rejects({ kind: "deploy", title: " " }).details).toEqual([expect.objectContaining({ path: ["title"] })]);
    expect(rejects({ kind: "deploy", title: "x", url: "javascript:alert(1)" }).details).toEqual([expect.objectContaining({ path: ["url"] })]);
    // The limit is the server's clock, not the `now` given to parseChanges: two days ahead of the real one.
    expect(rejects({ kind: "deploy", title: "x", at: new Date(Date.now() + 2 * 86_400_000).toISOString() }).message).toContain("a day ahead");
    expect(rejects({ kind: "deploy", title: "x", at: "yesterday" }).details).toEqual([expect.objectContaining({ path: ["at"] })]);
    expect(rejects("deploy").message).toContain("expected a JSON object");
    expect(rejects([]).message).toContain("empty batch");
    expect(rejects(Array.from({ length: 501 }, () => ({ kind: "other", title: "x" }))).message).toContain("at most 500");
    expect(rejects({ kind: "deploy", title: "x", labels: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`l${i}`, "v"])) }).details).toEqual([expect.objectContaining({ path: ["labels"] })]);
  });

  it("keeps a large payload as a cut excerpt that says so", () => {
    const { change } = one({ kind: "other", title: "x", labels: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`l${i}`, "v".repeat(2000)])) });
    expect(change!.raw).toMatchObject({ truncated: true, bytes: expect.any(Number) });
    expect(JSON.stringify(change!.raw).length).toBeLessThan(RAW_MAX_BYTES);
  });
});

describe("generic flag events", () => {
  it("a flag turned on or off is a flag change whose revision is its state", () => {
    const { change } = one({ flag: "dark-mode", enabled: false, environment: "production", service: "web", actor: "ariel" });
    expect(change).toMatchObject({ source: "flag", kind: "flag", title: "Flag dark-mode turned off in production", service: "web", revision: "off", actor: "ariel", labels: { flag: "dark-mode", environment: "production" } });
    expect(one({ flag: "f", enabled: true, variant: "blue" }).change!.revision).toBe("on:blue");
    expect(rejects({ flag: "f", enabled: "yes" }).details).toEqual([expect.objectContaining({ path: ["enabled"] })]);
  });
});

describe("Argo CD notifications", () => {
  it("the webhook template's body becomes a deploy of the application, at the operation's end", () => {
    const { shape, change } = one(json("argocd/on-deployed.json"));
    expect(shape).toBe("argocd");
    expect(change).toMatchObject({
      at: new Date("2026-12-06T21:41:37Z"),
      source: "argocd",
      kind: "deploy",
      title: "Argo CD sync of checkout to 3f2a1b9: Succeeded",
      service: "checkout",
      namespace: "shop",
      cluster: null,
      revision: "3f2a1b9c4d5e6f708192a3b4c5d6e7f8091a2b3c",
      version: "ghcr.io/acme/checkout:1.14.2",
      actor: "argocd (automated sync)",
      url: "https://argocd.acme.example/applications/checkout",
      labels: { team: "payments", argocd_app: "checkout", argocd_project: "shop", argocd_destination: "https://kubernetes.default.svc", "app.kubernetes.io/part-of": "shop" },
    });
    // The compared-to source (where Helm values could sit) is not kept.
    expect(JSON.stringify(change!.raw)).not.toContain("comparedTo");
  });

  it("the same operation delivered again, or first as running, has one key; another operation another", () => {
    const done = json("argocd/on-deployed.json");
    const running = structuredClone(done);
    running.app.status.operationState.phase = "Running";
    delete running.app.status.operationState.finishedAt;
    expect(one(running).change!.dedupKey).toBe(one(done).change!.dedupKey);
    const next = structuredClone(done);
    next.app.status.operationState.startedAt = "2026-12-06T22:00:00Z";
    expect(one(next).change!.dedupKey).not.toBe(one(done).change!.dedupKey);
  });

  it("a failed sync says why; an app that never synced is taken and ignored; a non-http argocdUrl gives no link", () => {
    const failed = json("argocd/on-deployed.json");
    Object.assign(failed.app.status.operationState, { phase: "Failed", message: "one or more objects failed to apply" });
    failed.context.argocdUrl = "javascript:alert(1)";
    expect(one(failed).change).toMatchObject({ title: "Argo CD sync of checkout to 3f2a1b9: Failed (one or more objects failed to apply)", url: null });
    const created = json("argocd/on-deployed.json");
    created.app.status.operationState = null;
    expect(one(created)).toMatchObject({ change: null, ignored: expect.stringContaining("no operationState") });
  });

  it("a notification without the application's name is a 400 naming the field", () => {
    const bad = json("argocd/on-deployed.json");
    delete bad.app.metadata.name;
    expect(rejects(bad).details).toEqual([expect.objectContaining({ path: ["app", "metadata", "name"] })]);
  });
});

describe("LaunchDarkly webhooks", () => {
  it("a flag toggle becomes a flag change with its key, environment, state, member and link", () => {
    const { shape, change } = one(json("launchdarkly/flag-turned-on.json"));
    expect(shape).toBe("launchdarkly");
    expect(change).toMatchObject({
      at: new Date(1796593260000),
      source: "launchdarkly",
      kind: "flag",
      title: "Flag New checkout flow (new-checkout-flow): turned on in production",
      service: null,
      revision: "on",
      actor: "Ariel Flores",
      url: "https://app.launchdarkly.com/default/production/features/new-checkout-flow",
      labels: { flag: "new-checkout-flow", environment: "production", project: "default", action: "updateOn" },
      dedupKey: "launchdarkly:6751f0c2a1b2c3d4e5f60718",
    });
  });

  it("other kinds of LaunchDarkly entries are taken and ignored", () => {
    const member = { ...json("launchdarkly/flag-turned-on.json"), kind: "member" };
    expect(one(member)).toMatchObject({ change: null, ignored: expect.stringContaining("member") });
  });
});
