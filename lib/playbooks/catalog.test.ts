// The shipped catalog (playbooks/*.yaml) is valid and internally consistent, and parsePlaybook's errors
// point at the right lines.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { AppError } from "@/lib/errors";
import { verifyPlaybookSignature } from "@/lib/playbooks/signature";
import { ACTIONS } from "@/lib/orchestrator/actions";
import { resolveParams, type ParamValue } from "@/lib/orchestrator/params";
import { evaluateWhen, render, secretPlaceholder, type Scope } from "@/lib/orchestrator/template";
import { parseDuration, parsePlaybook, type ParamSpec, type PlaybookIssue, type PlaybookSpec } from "@/lib/playbooks/schema";

const DIR = path.join(import.meta.dirname, "../../playbooks");
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith(".yaml"))
  .sort();

const MUTATING: ReadonlySet<string> = new Set(["k8s.rollout_restart", "k8s.scale", "k8s.delete_pod", "k8s.cordon"]);
// Params named after Kubernetes objects must be constrained to valid names (they end up in API paths
// and PromQL label matchers).
const K8S_NAME_PARAMS = ["namespace", "deployment", "service", "pod", "node", "container"];

// What the run scope offers (lib/orchestrator/run-context.ts, plus `steps` during execution).
const TAG = /\{\{\s*(.*?)\s*\}\}/g;
const REF = String.raw`params\.[a-zA-Z_]\w*|incident\.(?:id|title|severity|status|service|labels\.[a-zA-Z_]\w*)|run\.(?:id|requestedBy|playbook)|steps\.[a-zA-Z_]\w*\.status`;
const TEMPLATE_EXPR = new RegExp(`^(?:secret "[A-Z][A-Z0-9_]*"|${REF})$`);
const WHEN_OPERAND = new RegExp(`^(?:${REF}|true|false|null|-?\\d+(?:\\.\\d+)?|"[^"\\\\]*")$`);
const WHEN = /^(!?)\s*(\S+?)\s*(?:(==|!=|<=|>=|<|>)\s*(\S+))?$/;

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
  else if (value && typeof value === "object") Object.values(value).forEach((v) => strings(v, out));
  return out;
}

function templateExprs(value: unknown): string[] {
  return strings(value).flatMap((s) => [...s.matchAll(TAG)].map((m) => m[1]!));
}

function whenOperands(when: string): string[] {
  const m = WHEN.exec(when.trim());
  expect(m, `when '${when}' is '<operand> [op <operand>]'`).not.toBeNull();
  return [m![2]!, ...(m![4] ? [m![4]] : [])];
}

/** Whether a run may give the param this value: the orchestrator's own check (lib/orchestrator/params.ts). */
function accepts(spec: ParamSpec, value: ParamValue): boolean {
  try {
    resolveParams({ p: spec }, { p: value });
    return typeof value === spec.type;
  } catch {
    return false;
  }
}

const SAMPLE_STRINGS = ["checkout", "https://ops.example.com", "new-checkout-flow"];

/** The params of a run that gives each required param an example value and takes every default. */
function sampleParams(spec: PlaybookSpec): Record<string, ParamValue> {
  const given: Record<string, ParamValue> = {};
  for (const [name, p] of Object.entries(spec.params)) {
    if (!p.required || p.default !== undefined) continue;
    const candidates: ParamValue[] = p.type === "number" ? [p.min ?? p.max ?? 1] : p.type === "boolean" ? [true] : [...(p.enum ?? []), ...SAMPLE_STRINGS];
    const value = candidates.find((c) => accepts(p, c));
    expect(value, `an example value for params.${name}`).toBeDefined();
    given[name] = value!;
  }
  return resolveParams(spec.params, given);
}

/** The scope a dry run renders with: params, the run and an incident, but no `steps` yet. */
function dryRunScope(spec: PlaybookSpec): Scope {
  return {
    params: sampleParams(spec),
    run: { id: "0b5f7d0e-8c55-4b8e-9a57-3f1f7f0e2a11", requestedBy: "alice@example.com", playbook: spec.name },
    incident: {
      id: "6c1d2f3e-1b2a-4c5d-8e9f-0a1b2c3d4e5f",
      title: "High 5xx ratio on checkout",
      severity: "critical",
      status: "open",
      service: "checkout",
      labels: { service: "checkout", namespace: "shop", alertname: "HighErrorRate" },
    },
  };
}

const loaded = FILES.map((file) => {
  const bytes = readFileSync(path.join(DIR, file));
  return { file, bytes, spec: parsePlaybook(bytes), raw: parseDocument(bytes.toString("utf8")).toJS() as Record<string, unknown> };
});

describe("playbook catalog", () => {
  it("ships at least 10 playbooks", () => {
    expect(FILES.length).toBeGreaterThanOrEqual(10);
  });

  it("has unique names", () => {
    expect(new Set(loaded.map((p) => p.spec.name)).size).toBe(loaded.length);
  });

  describe.each(loaded)("$file", ({ file, spec, raw }) => {
    it("is named after its file, at version 2, with a description, matches and the hypotheses it addresses", () => {
      expect(`${spec.name}.yaml`).toBe(file);
      expect(spec.version).toBe(2);
      expect(spec.addresses.length).toBeGreaterThan(0);
      expect(spec.description.length).toBeGreaterThan(80);
      expect(spec.matches.labels !== undefined || (spec.matches.signalKinds?.length ?? 0) > 0).toBe(true);
    });

    it("gives every step an explicit timeout, and verify steps more time than their deadline", () => {
      const rawSteps = raw.steps as Record<string, unknown>[];
      rawSteps.forEach((s, i) => expect(s.timeout, `step ${i} of ${file}`).toBeDefined());
      for (const step of spec.steps) {
        for (const key of step.action === "wait" ? ["duration"] : step.action === "verify" ? ["deadline", "interval"] : []) {
          const v = step.with[key];
          const templated = typeof v === "string" && /^\{\{.*\}\}$/.test(v);
          if (!templated) expect(parseDuration(String(v)), `${step.id}.with.${key}`).not.toBeNull();
        }
        if (step.action === "wait" && typeof step.with.duration === "string" && parseDuration(step.with.duration) !== null) {
          expect(step.timeout, step.id).toBeGreaterThan(parseDuration(step.with.duration)!);
        }
        if (step.action === "verify") {
          const deadline = step.with.deadline;
          // verify's default deadline is 5m; a templated one (verify-recovery) is bounded at 30m by its param's pattern.
          const ms = deadline === undefined ? 5 * 60_000 : typeof deadline === "number" ? deadline * 1000 : (parseDuration(String(deadline)) ?? 30 * 60_000);
          expect(step.timeout, step.id).toBeGreaterThan(ms);
        }
      }
    });

    it("renders every step into valid input for its action, as the dry run does (even steps a `when` skips)", () => {
      const scope = dryRunScope(spec);
      const steps: Record<string, { status: string }> = {};
      for (const step of spec.steps) {
        const parsed = ACTIONS[step.action].schema.safeParse(render(step.with, scope, secretPlaceholder));
        expect(parsed.success, `${step.id}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
        if (step.when) expect(typeof evaluateWhen(step.when, { ...scope, steps }), step.id).toBe("boolean");
        steps[step.id] = { status: "succeeded" };
      }
    });

    it("declares every param it references, uses every param it declares, and refers only to earlier steps", () => {
      const used = new Set<string>();
      const earlier = new Set<string>();
      for (const step of spec.steps) {
        const exprs = templateExprs(step.with);
        for (const e of exprs) expect(e, `${step.id}: unsupported template`).toMatch(TEMPLATE_EXPR);
        const operands = step.when ? whenOperands(step.when) : [];
        for (const o of operands) expect(o, `${step.id}: unsupported when operand`).toMatch(WHEN_OPERAND);
        for (const ref of [...exprs, ...operands]) {
          const param = /^params\.(\w+)$/.exec(ref)?.[1];
          if (param) {
            expect(spec.params, `${step.id} refers to undeclared params.${param}`).toHaveProperty(param);
            used.add(param);
          }
          const stepRef = /^steps\.(\w+)\./.exec(ref)?.[1];
          if (stepRef) expect([...earlier], `${step.id} refers to steps.${stepRef}, which is not an earlier step`).toContain(stepRef);
        }
        earlier.add(step.id);
      }
      expect(Object.keys(spec.params).sort(), "declared params are all used").toEqual([...used].sort());
    });

    it("constrains its params: a value for each one used, patterns on names, defaults that pass", () => {
      for (const [name, p] of Object.entries(spec.params)) {
        // Templates fail on a missing value, so a param is required or has a default.
        expect(p.required || p.default !== undefined, `${name} is required or has a default`).toBe(true);
        // An empty value counts as not given (lib/orchestrator/params.ts), so "" is no default.
        expect(p.default, `${name}: default ""`).not.toBe("");
        if (p.default !== undefined) expect(accepts(p, p.default), `default of ${name}`).toBe(true);
        if (p.type === "string") expect(p.pattern !== undefined || p.enum !== undefined, `${name} has a pattern or enum`).toBe(true);
        if (p.type === "number") expect(p.min !== undefined || p.max !== undefined, `${name} is bounded`).toBe(true);
        if (p.description !== undefined) expect(p.description.length).toBeGreaterThan(0);
        if (K8S_NAME_PARAMS.includes(name)) {
          expect(p.type).toBe("string");
          for (const ok of ["checkout", "api-v2", "a"]) expect(accepts(p, ok), `${name} accepts ${ok}`).toBe(true);
          for (const bad of ["Checkout", "-api", "api-", 'x"}', "a b", "../etc", "a/b", "x".repeat(254)]) expect(accepts(p, bad), `${name} rejects ${bad}`).toBe(false);
        }
      }
    });

    it("names secrets like environment variables", () => {
      for (const step of spec.steps) {
        for (const expr of templateExprs(step.with).filter((e) => e.startsWith("secret"))) expect(expr).toMatch(/^secret "[A-Z][A-Z0-9_]*"$/);
      }
    });

    it("has a risk that fits what its steps do", () => {
      const mutates = spec.steps.some((s) => MUTATING.has(s.action) || (s.action === "http" && !["GET", "HEAD"].includes(String(s.with.method))));
      if (mutates) expect(spec.risk).not.toBe("low");
      else expect(spec.risk).toBe("low");
    });
  });
});

// --- parsePlaybook's line numbers ---------------------------------------------------------------

const BASE = [
  "name: demo", //                                          1
  "version: 1", //                                          2
  "description: A demo playbook.", //                       3
  "risk: low", //                                           4
  "params:", //                                             5
  "  namespace:", //                                        6
  "    type: string", //                                    7
  "    required: true", //                                  8
  "steps:", //                                              9
  "  - id: first", //                                       10
  "    action: wait", //                                    11
  "    with:", //                                           12
  "      duration: 5s", //                                  13
  "  - id: second", //                                      14
  "    action: k8s.events", //                              15
  "    with:", //                                           16
  '      namespace: "{{ params.namespace }}"', //           17
];

function withLines(edits: Record<number, string>, extra: string[] = []): string {
  return [...BASE.map((l, i) => edits[i + 1] ?? l), ...extra].join("\n") + "\n";
}

function issuesOf(text: string): { error: AppError; issues: PlaybookIssue[] } {
  try {
    parsePlaybook(text);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    const error = e as AppError;
    expect(error.code).toBe("unprocessable");
    return { error, issues: error.details as PlaybookIssue[] };
  }
  throw new Error("expected parsePlaybook to throw");
}

describe("parsePlaybook errors point at the line", () => {
  it("accepts the base document", () => {
    const spec: PlaybookSpec = parsePlaybook(withLines({}));
    expect(spec.steps.map((s) => s.id)).toEqual(["first", "second"]);
  });

  it("a wrong risk", () => {
    const { error, issues } = issuesOf(withLines({ 4: "risk: extreme" }));
    expect(issues).toEqual([expect.objectContaining({ path: "risk", line: 4 })]);
    expect(error.message).toContain("line 4: risk:");
  });

  it("an unknown action", () => {
    const { issues } = issuesOf(withLines({ 15: "    action: k8s.reboot" }));
    expect(issues).toEqual([expect.objectContaining({ path: "steps.1.action", line: 15 })]);
  });

  it("a duplicate step id", () => {
    const { issues } = issuesOf(withLines({ 14: "  - id: first" }));
    expect(issues).toEqual([expect.objectContaining({ path: "steps.1.id", line: 14, message: "duplicate step id 'first'" })]);
  });

  it("several problems at once, each on its own line", () => {
    const { issues } = issuesOf(withLines({ 2: "version: 0", 7: "    type: list", 13: "      duration: soon" }, ["    timeout: forever"]));
    expect(issues.map((i) => [i.path, i.line])).toEqual(
      expect.arrayContaining([
        ["version", 2],
        ["params.namespace.type", 7],
        ["steps.1.timeout", 18],
      ]),
    );
    // A bad `with` value is not the schema's business (actions validate `with` after rendering).
    expect(issues.some((i) => i.line === 13)).toBe(false);
  });

  it("an unknown field", () => {
    const { issues } = issuesOf(withLines({}, ["    retry: 3"]));
    expect(issues).toEqual([expect.objectContaining({ path: "steps.1", line: 14 })]);
    expect(issues[0]!.message).toMatch(/retry/);
  });

  it("bad YAML: an unterminated quote", () => {
    const { error, issues } = issuesOf(withLines({ 3: 'description: "A demo playbook.' }));
    expect(error.message).toMatch(/^invalid YAML/);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]!.line).toBe(3);
  });

  it("bad YAML: a duplicate key", () => {
    const { issues } = issuesOf(withLines({}, ["    action: wait"]));
    expect(issues).toEqual([expect.objectContaining({ line: 18 })]);
    expect(issues[0]!.message).toMatch(/unique/i);
  });

  it("bad YAML: a tab in the indentation", () => {
    const { issues } = issuesOf(withLines({ 13: "\tduration: 5s" }));
    expect(issues[0]).toEqual(expect.objectContaining({ line: 13, message: expect.stringMatching(/tab/i) }));
    // yaml goes on to report what follows from it, never above it.
    for (const i of issues) expect(i.line).toBeGreaterThanOrEqual(13);
  });

  it("bad YAML: an over-indented key is reported at the line of the mapping it breaks", () => {
    // `     action: wait` continues the plain scalar `first` of line 10, which yaml rejects there.
    const { issues } = issuesOf(withLines({ 11: "     action: wait" }));
    expect(new Set(issues.map((i) => i.line))).toEqual(new Set([10]));
  });
});

describe("catalog signatures", () => {
  const pub = readFileSync(path.join(DIR, "catalog.pub.pem"), "utf8");
  it.each(FILES)("%s carries a valid signature by the catalog key (re-sign after every edit)", (file) => {
    const sig = readFileSync(path.join(DIR, `${file}.sig`), "utf8");
    expect(verifyPlaybookSignature(readFileSync(path.join(DIR, file)), sig, pub)).toBe(true);
  });
});
