// Label matchers with Alertmanager's semantics: `=` and `!=` compare the whole value, `=~` and `!~`
// are RE2 regular expressions anchored at both ends (`=~ "node-.*"` is `^(?:node-.*)$`), and a label
// the alert does not have counts as the empty string (`team=""` matches alerts without a team).
// RE2 (re2js, the same syntax Alertmanager's Go regexp uses) matches in linear time, so a matcher
// written by an operator cannot hang the worker on a long label value.
import { RE2JS } from "re2js";
import { z } from "zod";
import { LABEL_NAME_MAX, LABEL_VALUE_MAX } from "@/lib/incidents/schemas";

export const MATCH_OPS = ["=", "!=", "=~", "!~"] as const;
export type MatchOp = (typeof MATCH_OPS)[number];
export type Matcher = { label: string; op: MatchOp; value: string };
export type Labels = Record<string, string>;

const isRegexOp = (op: MatchOp) => op === "=~" || op === "!~";

/** The anchored pattern, or the RE2 syntax error. */
function compile(value: string): RE2JS {
  return RE2JS.compile(`^(?:${value})$`);
}

export const ZMatcher = z
  .object({
    label: z.string().trim().min(1).max(LABEL_NAME_MAX).regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, "a Prometheus label name"),
    op: z.enum(MATCH_OPS),
    value: z.string().max(LABEL_VALUE_MAX),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (!isRegexOp(m.op)) return;
    try {
      compile(m.value);
    } catch (e) {
      ctx.addIssue({ code: "custom", path: ["value"], message: `not a valid RE2 regular expression: ${(e as Error).message}` });
    }
  });

export const ZMatchers = z.array(ZMatcher).max(50);

// Compiled patterns are reused: the same few matchers are evaluated for every incident.
const cache = new Map<string, RE2JS>();
function pattern(value: string): RE2JS {
  let p = cache.get(value);
  if (!p) {
    if (cache.size > 1000) cache.clear();
    p = compile(value);
    cache.set(value, p);
  }
  return p;
}

export function matches(m: Matcher, labels: Labels): boolean {
  const v = Object.hasOwn(labels, m.label) ? (labels[m.label] ?? "") : "";
  const hit = isRegexOp(m.op) ? pattern(m.value).matches(v) : v === m.value;
  // "!=" and "!~" are the negations of "=" and "=~".
  return m.op.startsWith("!") ? !hit : hit;
}

/** All matchers hold (an empty list matches everything). */
export function matchesAll(matchers: readonly Matcher[], labels: Labels): boolean {
  return matchers.every((m) => matches(m, labels));
}

/** Alertmanager refuses a silence whose matchers all match the empty string: it would mute everything. */
export function matchesEmpty(m: Matcher): boolean {
  return matches(m, {});
}

export function formatMatchers(matchers: readonly Matcher[]): string {
  return `{${matchers.map((m) => `${m.label}${m.op}${JSON.stringify(m.value)}`).join(", ")}}`;
}

/** Stored JSON → matchers (rows are written through ZMatchers, so this only narrows the type). */
export function storedMatchers(json: unknown): Matcher[] {
  return Array.isArray(json) ? (json as Matcher[]) : [];
}
