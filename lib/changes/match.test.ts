import { describe, expect, it } from "vitest";
import { describeOffset, matchChange, minutesBefore, resolveSubject, type ChangeSubject } from "@/lib/changes/match";

const change = (c: Partial<ChangeSubject>): ChangeSubject => ({ service: null, namespace: null, deployment: null, cluster: null, ...c });

describe("resolveSubject", () => {
  it("takes explicit fields first, then the labels alerts usually carry, lower-cased", () => {
    expect(resolveSubject({ service: "Checkout", labels: { namespace: "shop", cluster: "prod-eu", app: "ignored" } })).toEqual({ service: "checkout", deployment: null, namespace: "shop", cluster: "prod-eu" });
    expect(resolveSubject({ labels: { app: "web", kubernetes_namespace: "shop", deployment: "web-v2", k8s_cluster: "c1" } })).toEqual({ service: "web", deployment: "web-v2", namespace: "shop", cluster: "c1" });
    expect(resolveSubject({ labels: {} })).toEqual({ service: null, deployment: null, namespace: null, cluster: null });
  });
});

describe("matchChange", () => {
  const incident = resolveSubject({ service: "checkout", labels: { namespace: "shop", cluster: "prod" } });

  it("same service, or a deployment of that name, is the strongest match", () => {
    expect(matchChange(incident, change({ service: "checkout" }))).toBe("service");
    expect(matchChange(incident, change({ deployment: "checkout", namespace: "shop", cluster: "prod" }))).toBe("service");
    expect(matchChange(incident, change({ service: "CHECKOUT", namespace: "shop" }))).toBe("service");
  });

  it("another service in the same namespace is a namespace match", () => {
    expect(matchChange(incident, change({ service: "cart", namespace: "shop" }))).toBe("namespace");
    expect(matchChange(incident, change({ namespace: "shop" }))).toBe("namespace");
  });

  it("a change naming no subject is org-wide; one about something else is unrelated", () => {
    expect(matchChange(incident, change({}))).toBe("org");
    expect(matchChange(incident, change({ service: "search", namespace: "catalog" }))).toBeNull();
  });

  it("the same name in another namespace or cluster is not this service", () => {
    expect(matchChange(incident, change({ service: "checkout", namespace: "staging" }))).toBeNull();
    expect(matchChange(incident, change({ service: "checkout", cluster: "dev" }))).toBeNull();
    expect(matchChange(incident, change({ cluster: "dev" }))).toBeNull();
  });

  it("an incident that names nothing relates to every change, org-wide", () => {
    const vague = resolveSubject({ labels: { alertname: "HighLatency" } });
    expect(matchChange(vague, change({ service: "checkout", namespace: "shop" }))).toBe("org");
  });
});

describe("offsets", () => {
  it("counts minutes before the reference (negative after) and says it in words", () => {
    const ref = new Date("2026-12-07T10:00:00Z");
    expect(minutesBefore(new Date("2026-12-07T09:48:00Z"), ref)).toBe(12);
    expect(minutesBefore(new Date("2026-12-07T10:03:10Z"), ref)).toBe(-3);
    expect(describeOffset(12)).toBe("12 min before the first signal");
    expect(describeOffset(-3, "the incident opened")).toBe("3 min after the incident opened");
    expect(describeOffset(0)).toBe("at the first signal");
    expect(describeOffset(125)).toBe("2 h 5 min before the first signal");
  });
});
