// Reading an on-call configuration file: YAML → `${VAR}` references replaced from the environment →
// validated (zod). Every problem names its line, so a mistake in a long file is found at once.
import { LineCounter, parseDocument, isMap, isScalar, isSeq, visit, type Node, type Scalar } from "yaml";
import { AppError } from "@/lib/errors";
import { CREDENTIAL_FIELDS, KINDS, ZOncallFile, type OncallFile } from "@/lib/oncall/config/file-schema";

export type Issue = { path: (string | number)[]; line: number | null; message: string };

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** "policies[0].steps[1].afterMinutes" */
export function formatPath(path: readonly (string | number | symbol)[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i ? "." : ""}${String(p)}`)).join("");
}

export function formatIssues(issues: readonly Issue[], fileName = "file"): string {
  return issues.map((i) => `${fileName}${i.line ? `:${i.line}` : ""}: ${i.path.length ? `${formatPath(i.path)}: ` : ""}${i.message}`).join("\n");
}

/** The node at `path`, or the deepest existing node on the way there (a missing key points at its map). */
function nodeAt(root: Node | null, path: readonly PropertyKey[]): Node | null {
  let node: Node | undefined | null = root;
  let last: Node | null = root;
  for (const key of path) {
    if (isMap(node)) {
      const pair: { key: unknown; value: unknown } | undefined = node.items.find((it) => (it.key as { value?: unknown })?.value === key);
      node = (pair?.value as Node | undefined) ?? (pair?.key as Node | undefined);
    } else if (isSeq(node) && typeof key === "number") {
      node = node.items[key] as Node | undefined;
    } else break;
    if (!node) break;
    last = node;
  }
  return last;
}

export type LoadedFile = {
  file: OncallFile;
  /** Advice that does not stop the apply (a credential written inline). */
  warnings: Issue[];
  /** The line of a path in the file, for problems found later (a name that does not exist). */
  lineOf: (path: readonly (string | number)[]) => number | null;
};

/** Throws AppError(validation_failed) whose details are Issues. */
export function loadOncallFile(text: string, env: Record<string, string | undefined>): LoadedFile {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const lineAt = (offset: number | undefined) => (offset === undefined ? null : lc.linePos(offset).line);
  const lineOf = (path: readonly (string | number)[]) => lineAt(nodeAt(doc.contents as Node | null, path)?.range?.[0]);
  const fail = (unsorted: Issue[]): never => {
    const issues = [...unsorted].sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
    throw new AppError("validation_failed", `invalid on-call configuration:\n${formatIssues(issues)}`, issues);
  };
  if (doc.errors.length) fail(doc.errors.map((e) => ({ path: [], line: lineAt(e.pos?.[0]), message: e.message.split("\n")[0]! })));

  // Substitute on the parsed values, not the text: a value from the environment can never change the
  // file's structure, whatever characters it holds.
  const fromEnv = new WeakSet<Scalar>();
  const missing: Issue[] = [];
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value !== "string" || !node.value.includes("${")) return;
      fromEnv.add(node);
      node.value = node.value.replace(ENV_REF, (ref, name: string) => {
        const v = env[name];
        if (v === undefined) missing.push({ path: [], line: lineAt(node.range?.[0]), message: `environment variable ${name} is not set (referenced as ${ref})` });
        return v ?? "";
      });
    },
  });
  if (missing.length) fail(missing);

  const raw = doc.toJS({ maxAliasCount: 50 }) as unknown;
  const parsed = ZOncallFile.safeParse(raw ?? {});
  if (!parsed.success) fail(parsed.error.issues.map((i) => ({ path: i.path as (string | number)[], line: lineOf(i.path as (string | number)[]), message: i.message })));
  const file = parsed.data!;
  const duplicates = duplicateNames(file);
  if (duplicates.length) fail(duplicates.map((d) => ({ ...d, line: lineOf(d.path) })));

  const warnings: Issue[] = [];
  (file.channels ?? []).forEach((c, i) => {
    for (const field of CREDENTIAL_FIELDS) {
      const path = field === "password" ? ["channels", i, "smtp", field] : ["channels", i, field];
      // Only when the field itself is present (nodeAt falls back to the parent otherwise).
      if (!lastKeyIs(doc.contents as Node | null, path)) continue;
      const node = nodeAt(doc.contents as Node | null, path);
      if (isScalar(node) && !fromEnv.has(node)) {
        warnings.push({ path, line: lineAt(node.range?.[0]), message: `channel '${c.name}': the credential is written in the file; reference an environment variable instead, e.g. \${${envNameFor(c.name, field)}}` });
      }
    }
  });
  return { file, warnings, lineOf };
}

/** Whether the map at path[..-1] really has the key path[-1]. */
function lastKeyIs(root: Node | null, path: readonly (string | number)[]): boolean {
  const parent = nodeAt(root, path.slice(0, -1));
  return isMap(parent) && parent.items.some((it) => (it.key as { value?: unknown })?.value === path[path.length - 1]);
}

const envNameFor = (channel: string, field: string) =>
  `${channel}_${field}`
    .replace(/([a-z])([A-Z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .toUpperCase();

/** Objects are identified by name (silences by comment): each must be unique in its section. */
function duplicateNames(file: OncallFile): Omit<Issue, "line">[] {
  const out: Omit<Issue, "line">[] = [];
  for (const kind of KINDS) {
    const seen = new Map<string, number>();
    (file[kind] ?? []).forEach((o, i) => {
      const key = "comment" in o ? o.comment : o.name;
      const field = "comment" in o ? "comment" : "name";
      if (seen.has(key)) out.push({ path: [kind, i, field], message: `'${key}' is also ${kind}[${seen.get(key)}]: each ${field} must be unique in ${kind}` });
      else seen.set(key, i);
    });
  }
  const defaults = (file.routes ?? []).flatMap((r, i) => (r.isDefault ? [i] : []));
  for (const i of defaults.slice(1)) out.push({ path: ["routes", i, "isDefault"], message: `only one route may be the default (routes[${defaults[0]}] is)` });
  return out;
}
