// The playbook file format: YAML kept in git, validated with zod, errors pointing at the line.
// The digest is sha256 of the exact file bytes, the same bytes the signature covers.
import { HYPOTHESES } from "@/lib/recommend/hypotheses";
import { createHash } from "node:crypto";
import { z } from "zod";
import { LineCounter, parseDocument, isMap, isSeq, type Node } from "yaml";
import { parseSelector } from "@/lib/monitors/selector";
import { AppError } from "@/lib/errors";
import { ACTION_NAMES } from "@/lib/playbooks/action-names";

export const RISKS = ["low", "medium", "high"] as const;
export type Risk = (typeof RISKS)[number];

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** "250ms", "30s", "5m", "1h" → milliseconds. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  return m ? Math.round(Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS]) : null;
}

export const ZDuration = z
  .union([z.string(), z.number().int().nonnegative()])
  .transform((v, ctx) => {
    const ms = typeof v === "number" ? v * 1000 : parseDuration(v);
    if (ms === null) {
      ctx.addIssue({ code: "custom", message: `invalid duration '${v}' (use e.g. 500ms, 30s, 5m, 1h)` });
      return z.NEVER;
    }
    return ms;
  });

export const PLAYBOOK_NAME_RE = /^[a-z0-9][a-z0-9-]{0,62}$/;
const NAME = PLAYBOOK_NAME_RE;
const IDENT = /^[a-zA-Z_][a-zA-Z0-9_]{0,62}$/;

const ZParam = z
  .object({
    type: z.enum(["string", "number", "boolean"]),
    description: z.string().max(500).optional(),
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
    required: z.boolean().default(false),
    enum: z.array(z.union([z.string(), z.number()])).min(1).optional(),
    // For strings: a regex the value must match in full (guards what reaches a URL or a k8s name).
    pattern: z.string().optional(),
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.default !== undefined && typeof p.default !== p.type) ctx.addIssue({ code: "custom", path: ["default"], message: `default must be a ${p.type}` });
    if (p.pattern !== undefined) {
      try {
        new RegExp(p.pattern);
      } catch {
        ctx.addIssue({ code: "custom", path: ["pattern"], message: "invalid regular expression" });
      }
    }
  });
export type ParamSpec = z.output<typeof ZParam>;

const ZStep = z
  .object({
    id: z.string().regex(IDENT, "step ids are identifiers (letters, digits, _)"),
    name: z.string().max(200).optional(),
    action: z.enum(ACTION_NAMES),
    with: z.record(z.string(), z.unknown()).default({}),
    timeout: ZDuration.default(30_000),
    retries: z.number().int().min(0).max(10).default(0),
    // Condition over params and earlier steps, e.g. `params.notify == true` or `steps.check.status == "failed"`.
    when: z.string().max(500).optional(),
  })
  .strict();
export type StepSpec = z.output<typeof ZStep>;

export const ZPlaybookSpec = z
  .object({
    name: z.string().regex(NAME, "lowercase letters, digits and dashes"),
    version: z.number().int().positive(),
    description: z.string().min(1).max(4000),
    risk: z.enum(RISKS),
    // Which incidents it applies to (the recommender and the run form use this).
    matches: z
      .object({
        // A PromQL-style selector over incident labels, e.g. `{service=~".+", namespace="prod"}`.
        labels: z.string().refine((s) => parseSelector(s) !== null, "not a label selector like {service=\"checkout\"}").optional(),
        signalKinds: z.array(z.enum(["anomaly", "alert"])).optional(),
        severities: z.array(z.enum(["info", "warning", "critical"])).optional(),
      })
      .strict()
      .default({}),
    // What it is a remedy for: the failure hypotheses it addresses (lib/recommend/hypotheses.ts). The
    // recommender diagnoses the incident first, then ranks playbooks by the hypotheses they address.
    addresses: z.array(z.enum(HYPOTHESES)).max(HYPOTHESES.length).default([]),
    // The most this playbook can affect (blast radius, for the recommender), e.g. one deployment.
    blastRadius: z.enum(["pod", "deployment", "service", "node", "cluster", "external"]).optional(),
    params: z.record(z.string().regex(IDENT, "param names are identifiers"), ZParam).default({}),
    steps: z.array(ZStep).min(1).max(50),
  })
  .strict()
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.steps.forEach((s, i) => {
      if (seen.has(s.id)) ctx.addIssue({ code: "custom", path: ["steps", i, "id"], message: `duplicate step id '${s.id}'` });
      seen.add(s.id);
      // A verify step polls until its deadline; a shorter step timeout would cut it off first.
      const deadline = s.action === "verify" && typeof s.with.deadline === "string" ? parseDuration(s.with.deadline) : null;
      if (deadline !== null && deadline >= s.timeout) ctx.addIssue({ code: "custom", path: ["steps", i, "timeout"], message: `timeout must be longer than the verify deadline (${s.with.deadline})` });
    });
  });
export type PlaybookSpec = z.output<typeof ZPlaybookSpec>;

export type PlaybookIssue = { path: string; line: number | null; message: string };

export function playbookDigest(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function nodeAt(root: Node | null | undefined, path: readonly PropertyKey[]): Node | null {
  let node: Node | null | undefined = root;
  let last: Node | null = root ?? null;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((it) => (it.key as { value?: unknown })?.value === key);
      node = (pair?.value as Node | undefined) ?? (pair?.key as Node | undefined);
    } else if (isSeq(node) && typeof key === "number") {
      node = node.items[key] as Node | undefined;
    } else break;
    if (node) last = node;
    else break;
  }
  return last;
}

/**
 * Parse and validate playbook bytes. Throws AppError(unprocessable) with one issue per problem, each with
 * the 1-based line it points at.
 */
export function parsePlaybook(bytes: Uint8Array | string): PlaybookSpec {
  const text = typeof bytes === "string" ? bytes : new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const lineOf = (offset: number | undefined) => (offset === undefined ? null : lc.linePos(offset).line);
  if (doc.errors.length) {
    const issues: PlaybookIssue[] = doc.errors.map((e) => ({ path: "", line: lineOf(e.pos?.[0]), message: e.message.split("\n")[0]! }));
    throw new AppError("unprocessable", `invalid YAML: ${formatIssues(issues)}`, issues);
  }
  const parsed = ZPlaybookSpec.safeParse(doc.toJS({ maxAliasCount: 50 }));
  if (parsed.success) return parsed.data;
  const issues: PlaybookIssue[] = parsed.error.issues.map((i) => {
    const node = nodeAt(doc.contents as Node, i.path);
    return { path: i.path.join("."), line: lineOf(node?.range?.[0]), message: i.message };
  });
  throw new AppError("unprocessable", `invalid playbook: ${formatIssues(issues)}`, issues);
}

function formatIssues(issues: PlaybookIssue[]): string {
  return issues.map((i) => `${i.line ? `line ${i.line}: ` : ""}${i.path ? `${i.path}: ` : ""}${i.message}`).join("; ");
}
