import { describe, expect, it } from "vitest";
import { evaluateWhen, render, secretNames, secretPlaceholder } from "@/lib/orchestrator/template";
import { scrub, scrubText } from "@/lib/orchestrator/scrub";
import { canTransition, TERMINAL, TRANSITIONS, RUN_STATUSES } from "@/lib/orchestrator/policy";

const scope = { params: { service: "checkout", replicas: 3, notify: true }, incident: { labels: { namespace: "shop" }, severity: "critical" }, steps: { restart: { status: "failed" } } };

describe("render", () => {
  it("substitutes paths inside strings and keeps the type of a whole-string tag", () => {
    expect(render({ url: "https://x/{{ params.service }}/{{incident.labels.namespace}}", n: "{{ params.replicas }}", b: "{{ params.notify }}", list: ["{{ params.service }}"] }, scope, secretPlaceholder)).toEqual({
      url: "https://x/checkout/shop",
      n: 3,
      b: true,
      list: ["checkout"],
    });
  });

  it("renders secrets through the given renderer only", () => {
    const w = { h: 'Bearer {{ secret "API_TOKEN" }}', u: '{{ secret "vault/path#key" }}' };
    expect(render(w, scope, secretPlaceholder)).toEqual({ h: "Bearer «secret:API_TOKEN»", u: "«secret:vault/path#key»" });
    expect(render(w, scope, (n) => `v(${n})`)).toEqual({ h: "Bearer v(API_TOKEN)", u: "v(vault/path#key)" });
    expect([...secretNames(w)]).toEqual(["API_TOKEN", "vault/path#key"]);
  });

  it("refuses unknown references and anything that is not a path", () => {
    expect(() => render("{{ params.nope }}", scope, secretPlaceholder)).toThrow(/params.nope/);
    expect(() => render("{{ process.env.DATABASE_URL }}", scope, secretPlaceholder)).toThrow(/no value/);
    expect(() => render("{{ params.service.constructor }}", scope, secretPlaceholder)).toThrow(/no value/);
    expect(() => render("{{ params['x'] }}", scope, secretPlaceholder)).toThrow(/unsupported/);
    expect(() => render('{{ secret params.service }}', scope, secretPlaceholder)).toThrow(/unsupported/);
  });
});

describe("when", () => {
  it.each([
    ["params.notify", true],
    ["!params.notify", false],
    ['steps.restart.status == "failed"', true],
    ['steps.restart.status != "failed"', false],
    ['incident.severity == "critical"', true],
    ["params.replicas >= 3", true],
    ["params.replicas < 3", false],
    ["params.missing", false],
    ['params.service > 2', false],
  ])("%s → %s", (expr, expected) => {
    expect(evaluateWhen(expr, scope)).toBe(expected);
  });

  it("rejects what it cannot read", () => {
    expect(() => evaluateWhen("params.x == foo()", scope)).toThrow(/cannot read/);
  });
});

describe("scrub", () => {
  it("removes secret values (and their URL-encoded form) from nested output, longest first", () => {
    const secrets = new Map([["A", "tok/en+1"], ["B", "tok"]]);
    expect(scrub({ body: "x tok/en+1 y", url: `https://h/?t=${encodeURIComponent("tok/en+1")}`, nested: [{ tok: 1 }] }, secrets)).toEqual({
      body: "x «secret:A» y",
      url: "https://h/?t=«secret:A»",
      nested: [{ "«secret:B»": 1 }],
    });
    expect(scrubText("nothing here", secrets)).toBe("nothing here");
  });
});

describe("run state machine", () => {
  it("has terminal states with no way out and no path back to suggested", () => {
    expect([...TERMINAL].sort()).toEqual(["cancelled", "expired", "failed", "rejected", "succeeded"]);
    for (const s of RUN_STATUSES) expect(canTransition(s, "suggested")).toBe(false);
    expect(canTransition("awaiting_approval", "executing")).toBe(false);
    expect(canTransition("suggested", "approved")).toBe(false);
    expect(TRANSITIONS.approved).toContain("executing");
  });
});
