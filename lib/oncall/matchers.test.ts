import { describe, expect, it } from "vitest";
import { ZMatcher, matches, matchesAll, matchesEmpty, type Matcher } from "@/lib/oncall/matchers";

const m = (label: string, op: Matcher["op"], value: string): Matcher => ({ label, op, value });

describe("matchers (Alertmanager semantics)", () => {
  it("= and != compare whole values; a missing label is the empty string", () => {
    expect(matches(m("team", "=", "payments"), { team: "payments" })).toBe(true);
    expect(matches(m("team", "=", "payments"), { team: "payments-eu" })).toBe(false);
    expect(matches(m("team", "=", ""), {})).toBe(true);
    expect(matches(m("team", "!=", ""), {})).toBe(false);
    expect(matches(m("team", "!=", "payments"), {})).toBe(true);
  });

  it("=~ and !~ are anchored at both ends", () => {
    expect(matches(m("node", "=~", "node-.*"), { node: "node-1" })).toBe(true);
    expect(matches(m("node", "=~", "node-.*"), { node: "xnode-1" })).toBe(false);
    expect(matches(m("node", "=~", "node"), { node: "node-1" })).toBe(false);
    expect(matches(m("env", "=~", "prod|staging"), { env: "staging" })).toBe(true);
    expect(matches(m("env", "=~", "prod|staging"), { env: "prod-eu" })).toBe(false);
    expect(matches(m("env", "!~", "prod|staging"), { env: "dev" })).toBe(true);
    expect(matches(m("env", "=~", ".*"), {})).toBe(true);
    expect(matches(m("env", "=~", ".+"), {})).toBe(false);
  });

  it("an empty list matches everything; a list matches when every matcher does", () => {
    expect(matchesAll([], { a: "1" })).toBe(true);
    expect(matchesAll([m("a", "=", "1"), m("b", "!=", "2")], { a: "1", b: "3" })).toBe(true);
    expect(matchesAll([m("a", "=", "1"), m("b", "!=", "2")], { a: "1", b: "2" })).toBe(false);
  });

  it("rejects invalid regular expressions and label names at the boundary", () => {
    expect(ZMatcher.safeParse(m("team", "=~", "(a")).success).toBe(false);
    expect(ZMatcher.safeParse(m("9team", "=", "x")).success).toBe(false);
    expect(ZMatcher.safeParse(m("team", "=~", "pay.*")).success).toBe(true);
  });

  it("runs in linear time: a pattern that backtracks catastrophically in JS returns at once", () => {
    const started = performance.now();
    expect(matches(m("x", "=~", "(a+)+b"), { x: `${"a".repeat(2000)}c` })).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("knows which matchers match the empty string", () => {
    expect(matchesEmpty(m("team", "=", ""))).toBe(true);
    expect(matchesEmpty(m("team", "=~", ".*"))).toBe(true);
    expect(matchesEmpty(m("team", "=", "payments"))).toBe(false);
  });
});
