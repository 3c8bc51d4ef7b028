// A stand-in for `helm template`, just large enough for deploy/helm/neuralops-agent, so the unit tests can
// check what the chart produces without a helm binary. It implements a small, strict subset of Go's
// text/template plus the Helm/Sprig functions the chart calls, and throws on anything else: a chart edit that
// steps outside the subset fails the tests instead of rendering something nobody checked.
//
// The reference is real Helm. With a helm binary, compare against:
//   helm template neuralops-agent deploy/helm/neuralops-agent -n neuralops \
//     --set controlPlaneUrl=https://neuralops.example.com --set bootstrapToken=REPLACE_WITH_BOOTSTRAP_TOKEN
//   helm lint --strict deploy/helm/neuralops-agent --set controlPlaneUrl=https://x.example --set bootstrapToken=0123456789
//
// Subset:
//   text, {{ pipeline }}, {{- / -}} trimming, {{/* comments */}}
//   {{ if p }} … {{ else if p }} … {{ else }} … {{ end }}
//   {{ range $x := p }} / {{ range p }} (lists; maps in key order) with optional {{ else }}
//   {{ define "name" }} … {{ end }} (top level only), {{ $x := p }}
//   operands: . .A.B $ $x $x.A "string" `raw` integers true false nil (pipeline)
//   functions: see FUNCS below.
// Deliberate differences from Helm, all in the strict direction:
//   - a missing map key in a field chain throws (like `helm lint --strict`), where Helm prints nothing;
//   - printing a bare number throws: Helm holds values.yaml numbers as float64 and prints 1048576 as
//     1.048576e+06, so the chart must convert with `int64` first;
//   - `int64` of a non-numeric string throws (Sprig quietly returns 0);
//   - `toYaml` output may differ from Helm's in quoting and layout, never in meaning (so a `sha256sum` of it
//     is stable here but is not byte-identical to Helm's).
import { createHash, randomInt } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";

type Value = unknown;
type Dict = Record<string, unknown>;

export class TemplateError extends Error {
  constructor(where: string, message: string) {
    super(`${where}: ${message}`);
    this.name = "TemplateError";
  }
}

// ---------------------------------------------------------------------------------------------------------
// Lexing and parsing

type Token =
  | { t: "field"; base: "dot" | "var"; name: string; fields: string[] } // `.`, `.A.B`, `$`, `$x.A`
  | { t: "string"; v: string }
  | { t: "number"; v: bigint }
  | { t: "bool"; v: boolean }
  | { t: "nil" }
  | { t: "ident"; v: string }
  | { t: "lparen" | "rparen" | "pipe" | "declare" };

type Operand =
  | { t: "field"; base: "dot" | "var"; name: string; fields: string[] }
  | { t: "literal"; v: Value }
  | { t: "func"; name: string }
  | { t: "sub"; pipe: Pipeline };
type Command = Operand[];
type Pipeline = { decl?: string; cmds: Command[]; where: string };

type Node =
  | { t: "text"; s: string }
  | { t: "action"; pipe: Pipeline }
  | { t: "if"; branches: { cond: Pipeline; body: Node[] }[]; otherwise?: Node[] }
  | { t: "range"; varName?: string; pipe: Pipeline; body: Node[]; otherwise?: Node[] };

type RawAction = { tokens: Token[]; where: string };
type Item = { t: "text"; s: string } | { t: "action"; a: RawAction };

const SPACE = new Set([" ", "\t", "\r", "\n"]);
const IDENT = /[A-Za-z0-9_]/;

function lineOf(src: string, pos: number) {
  return src.slice(0, pos).split("\n").length;
}

function lex(src: string, name: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  let trimNext = false;
  const pushText = (s: string, trimLeftOfAction: boolean) => {
    let text = s;
    if (trimNext) text = text.replace(/^[ \t\r\n]+/, "");
    if (trimLeftOfAction) text = text.replace(/[ \t\r\n]+$/, "");
    if (text) items.push({ t: "text", s: text });
  };
  for (;;) {
    const open = src.indexOf("{{", pos);
    if (open < 0) {
      pushText(src.slice(pos), false);
      return items;
    }
    const where = `${name}:${lineOf(src, open)}`;
    let p = open + 2;
    // Go only treats "{{-" as a trim marker when a space follows; "{{-3}}" is the number -3.
    const trimLeft = src[p] === "-" && SPACE.has(src[p + 1] ?? "");
    if (trimLeft) p += 2;
    pushText(src.slice(pos, open), trimLeft);
    trimNext = false;
    if (src.startsWith("/*", p)) {
      const close = src.indexOf("*/", p + 2);
      if (close < 0) throw new TemplateError(where, "unclosed comment");
      p = close + 2;
      if (src.startsWith(" -}}", p)) {
        trimNext = true;
        p += 4;
      } else if (src.startsWith("}}", p)) p += 2;
      else throw new TemplateError(where, "comment must end right before the closing delimiter");
      pos = p;
      continue;
    }
    const tokens: Token[] = [];
    for (;;) {
      if (p >= src.length) throw new TemplateError(where, "unclosed action");
      const c = src[p]!;
      if (c === "-" && src.startsWith("-}}", p) && SPACE.has(src[p - 1] ?? "")) {
        trimNext = true;
        p += 3;
        break;
      }
      if (src.startsWith("}}", p)) {
        p += 2;
        break;
      }
      if (SPACE.has(c)) {
        p++;
        continue;
      }
      if (c === '"') {
        const { v, end } = readQuoted(src, p, where);
        tokens.push({ t: "string", v });
        p = end;
        continue;
      }
      if (c === "`") {
        const end = src.indexOf("`", p + 1);
        if (end < 0) throw new TemplateError(where, "unterminated raw string");
        tokens.push({ t: "string", v: src.slice(p + 1, end) });
        p = end + 1;
        continue;
      }
      if (c === "(" || c === ")" || c === "|") {
        tokens.push({ t: c === "(" ? "lparen" : c === ")" ? "rparen" : "pipe" });
        p++;
        continue;
      }
      if (src.startsWith(":=", p)) {
        tokens.push({ t: "declare" });
        p += 2;
        continue;
      }
      if (c === "$" || c === ".") {
        let name = "";
        if (c === "$") {
          p++;
          while (p < src.length && IDENT.test(src[p]!)) name += src[p++];
        }
        const fields: string[] = [];
        while (src[p] === ".") {
          let f = "";
          p++;
          while (p < src.length && IDENT.test(src[p]!)) f += src[p++];
          if (!f) {
            // A lone "." is the dot itself; "$x." or ".A." is malformed.
            if (c === "." && fields.length === 0 && !name) break;
            throw new TemplateError(where, "malformed field chain");
          }
          fields.push(f);
        }
        tokens.push({ t: "field", base: c === "$" ? "var" : "dot", name, fields });
        continue;
      }
      if (/[0-9]/.test(c) || (c === "-" && /[0-9]/.test(src[p + 1] ?? ""))) {
        const m = /^-?[0-9]+/.exec(src.slice(p))!;
        if (/^[.xXeEoObB_]/.test(src.slice(p + m[0].length))) throw new TemplateError(where, "only decimal integer literals are supported");
        tokens.push({ t: "number", v: BigInt(m[0]) });
        p += m[0].length;
        continue;
      }
      if (/[A-Za-z_]/.test(c)) {
        let id = "";
        while (p < src.length && IDENT.test(src[p]!)) id += src[p++];
        if (id === "true" || id === "false") tokens.push({ t: "bool", v: id === "true" });
        else if (id === "nil") tokens.push({ t: "nil" });
        else tokens.push({ t: "ident", v: id });
        continue;
      }
      if (c === ",") throw new TemplateError(where, "range with an index variable ($i, $x) is not supported");
      throw new TemplateError(where, `unsupported character ${JSON.stringify(c)} in action`);
    }
    items.push({ t: "action", a: { tokens, where } });
    pos = p;
  }
}

function readQuoted(src: string, start: number, where: string): { v: string; end: number } {
  let out = "";
  let p = start + 1;
  for (;;) {
    const c = src[p];
    if (c === undefined || c === "\n") throw new TemplateError(where, "unterminated string");
    if (c === '"') return { v: out, end: p + 1 };
    if (c !== "\\") {
      out += c;
      p++;
      continue;
    }
    const e = src[p + 1];
    const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", '"': '"', "\\": "\\", a: "\x07", b: "\b", f: "\f", v: "\v" };
    if (e !== undefined && e in simple) {
      out += simple[e];
      p += 2;
      continue;
    }
    throw new TemplateError(where, `unsupported string escape \\${e}`);
  }
}

const KEYWORDS = new Set(["if", "else", "end", "range", "define"]);
const UNSUPPORTED_KEYWORDS = new Set(["with", "template", "block", "break", "continue"]);

function parsePipeline(tokens: Token[], where: string, allowDecl: boolean): Pipeline {
  let toks = tokens;
  let decl: string | undefined;
  if (toks.length >= 2 && toks[1]!.t === "declare") {
    const v = toks[0]!;
    if (!allowDecl || v.t !== "field" || v.base !== "var" || v.fields.length > 0 || !v.name) throw new TemplateError(where, "unsupported declaration");
    decl = v.name;
    toks = toks.slice(2);
  }
  if (toks.some((t) => t.t === "declare")) throw new TemplateError(where, "unsupported declaration");
  let i = 0;
  const parseCmds = (closing: boolean): Command[] => {
    const cmds: Command[] = [];
    let cmd: Command = [];
    for (;;) {
      const tok = toks[i];
      if (tok === undefined || tok.t === "rparen") {
        if (closing !== (tok?.t === "rparen")) throw new TemplateError(where, "unbalanced parentheses");
        i++;
        break;
      }
      i++;
      if (tok.t === "pipe") {
        if (cmd.length === 0) throw new TemplateError(where, "empty command in pipeline");
        cmds.push(cmd);
        cmd = [];
      } else if (tok.t === "lparen") {
        cmd.push({ t: "sub", pipe: { cmds: parseCmds(true), where } });
        if (toks[i]?.t === "field" && (toks[i] as { base: string }).base === "dot") throw new TemplateError(where, "field access on a parenthesized pipeline is not supported");
      } else if (tok.t === "ident") {
        if (KEYWORDS.has(tok.v) || UNSUPPORTED_KEYWORDS.has(tok.v)) throw new TemplateError(where, `"${tok.v}" cannot appear here`);
        if (!Object.hasOwn(FUNCS, tok.v)) throw new TemplateError(where, `function "${tok.v}" is not supported by this renderer`);
        if (cmd.length > 0) throw new TemplateError(where, `function "${tok.v}" as an argument: wrap it in parentheses`);
        cmd.push({ t: "func", name: tok.v });
      } else if (tok.t === "field") cmd.push(tok);
      else if (tok.t === "string" || tok.t === "number" || tok.t === "bool") cmd.push({ t: "literal", v: tok.v });
      else if (tok.t === "nil") cmd.push({ t: "literal", v: null });
      else throw new TemplateError(where, `unexpected ${tok.t}`);
    }
    if (cmd.length === 0) throw new TemplateError(where, "empty command in pipeline");
    cmds.push(cmd);
    return cmds;
  };
  if (toks.length === 0) throw new TemplateError(where, "missing value");
  const cmds = parseCmds(false);
  for (const [n, cmd] of cmds.entries()) {
    if (cmd[0]!.t !== "func" && (cmd.length > 1 || n > 0)) throw new TemplateError(where, "cannot give arguments to a non-function");
  }
  return { decl, cmds, where };
}

type Parsed = { root: Node[]; defines: Map<string, Node[]> };

function parse(src: string, name: string): Parsed {
  const items = lex(src, name);
  const defines = new Map<string, Node[]>();
  let i = 0;
  // Returns the nodes up to (not including) a closing keyword, and which keyword closed them.
  const parseList = (depth: number): { nodes: Node[]; closer?: { kw: "end" | "else"; rest: Token[]; where: string } } => {
    const nodes: Node[] = [];
    while (i < items.length) {
      const item = items[i++]!;
      if (item.t === "text") {
        nodes.push(item);
        continue;
      }
      const { tokens, where } = item.a;
      const head = tokens[0];
      const kw = head?.t === "ident" ? head.v : undefined;
      if (kw && UNSUPPORTED_KEYWORDS.has(kw)) throw new TemplateError(where, `"${kw}" is not supported by this renderer`);
      if (kw === "end" || kw === "else") {
        if (depth === 0) throw new TemplateError(where, `unexpected {{${kw}}}`);
        if (kw === "end" && tokens.length > 1) throw new TemplateError(where, "unexpected tokens after end");
        return { nodes, closer: { kw, rest: tokens.slice(1), where } };
      }
      if (kw === "if") {
        const branches: { cond: Pipeline; body: Node[] }[] = [];
        let cond = parsePipeline(tokens.slice(1), where, false);
        let otherwise: Node[] | undefined;
        for (;;) {
          const { nodes: body, closer } = parseList(depth + 1);
          if (!closer) throw new TemplateError(where, "unclosed if");
          branches.push({ cond, body });
          if (closer.kw === "end") break;
          if (closer.rest.length === 0) {
            const tail = parseList(depth + 1);
            if (tail.closer?.kw !== "end") throw new TemplateError(closer.where, "expected end after else");
            otherwise = tail.nodes;
            break;
          }
          const r = closer.rest[0]!;
          if (r.t !== "ident" || r.v !== "if") throw new TemplateError(closer.where, "only {{else}} and {{else if …}} are supported");
          cond = parsePipeline(closer.rest.slice(1), closer.where, false);
        }
        nodes.push({ t: "if", branches, otherwise });
        continue;
      }
      if (kw === "range") {
        const rest = tokens.slice(1);
        let varName: string | undefined;
        let pipeToks = rest;
        if (rest[1]?.t === "declare") {
          const v = rest[0]!;
          if (v.t !== "field" || v.base !== "var" || !v.name || v.fields.length) throw new TemplateError(where, "unsupported range variable");
          varName = v.name;
          pipeToks = rest.slice(2);
        } else if (rest.some((t) => t.t === "declare")) throw new TemplateError(where, "only `range $x := …` is supported (no index variable)");
        const pipe = parsePipeline(pipeToks, where, false);
        const { nodes: body, closer } = parseList(depth + 1);
        if (!closer) throw new TemplateError(where, "unclosed range");
        let otherwise: Node[] | undefined;
        if (closer.kw === "else") {
          if (closer.rest.length) throw new TemplateError(closer.where, "{{else …}} in range is not supported");
          const tail = parseList(depth + 1);
          if (tail.closer?.kw !== "end") throw new TemplateError(closer.where, "expected end after else");
          otherwise = tail.nodes;
        }
        nodes.push({ t: "range", varName, pipe, body, otherwise });
        continue;
      }
      if (kw === "define") {
        if (depth !== 0) throw new TemplateError(where, "define must be at the top level");
        const n = tokens[1];
        if (n?.t !== "string" || tokens.length !== 2) throw new TemplateError(where, 'expected {{define "name"}}');
        const { nodes: body, closer } = parseList(depth + 1);
        if (closer?.kw !== "end") throw new TemplateError(where, "unclosed define");
        if (defines.has(n.v)) throw new TemplateError(where, `template "${n.v}" defined twice`);
        defines.set(n.v, body);
        continue;
      }
      nodes.push({ t: "action", pipe: parsePipeline(tokens, where, true) });
    }
    if (depth > 0) throw new TemplateError(name, "unexpected end of template (missing {{end}})");
    return { nodes };
  };
  return { root: parseList(0).nodes, defines };
}

// ---------------------------------------------------------------------------------------------------------
// Evaluation

type Ctx = {
  defines: Map<string, Node[]>;
  lookup: (apiVersion: string, kind: string, namespace: string, name: string) => Dict | undefined;
  depth: number;
};
type Scope = { vars: Map<string, Value>; parent?: Scope };

const isDict = (v: Value): v is Dict => typeof v === "object" && v !== null && !Array.isArray(v);

function getVar(scope: Scope, name: string, where: string): Value {
  for (let s: Scope | undefined = scope; s; s = s.parent) if (s.vars.has(name)) return s.vars.get(name);
  throw new TemplateError(where, `undefined variable $${name}`);
}

function describe(v: Value): string {
  if (v === null || v === undefined) return "nil";
  if (Array.isArray(v)) return "list";
  if (typeof v === "bigint") return "int64";
  if (typeof v === "number") return "float64";
  return typeof v === "object" ? "map" : typeof v;
}

/** Go's notion of truth for if/and/or/not. */
function truthy(v: Value): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === "boolean") return v;
  if (typeof v === "string") return v.length > 0;
  if (typeof v === "number") return v !== 0;
  if (typeof v === "bigint") return v !== 0n;
  if (Array.isArray(v)) return v.length > 0;
  if (isDict(v)) return Object.keys(v).length > 0;
  return true;
}

/** What `{{ x }}` prints (fmt.Print, then Helm's "<no value>" → ""). */
function printed(v: Value, where: string): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (typeof v === "boolean" || typeof v === "bigint") return String(v);
  if (typeof v === "number")
    throw new TemplateError(where, `printing the number ${v}: Helm holds it as float64 (1048576 prints as 1.048576e+06); pipe it through int64`);
  throw new TemplateError(where, `printing a ${describe(v)} gives Go's %v form; use toYaml or toJson`);
}

/** Sprig's strval, for quote. */
function strval(v: Value, where: string): string {
  if (typeof v === "string") return v;
  return printed(v, where);
}

function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    const esc: Record<string, string> = { '"': '\\"', "\\": "\\\\", "\x07": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v" };
    if (ch in esc) out += esc[ch];
    else if (ch === " " || /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(ch)) out += ch;
    else if (cp < 0x80) out += `\\x${cp.toString(16).padStart(2, "0")}`;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, "0")}`;
    else out += `\\U${cp.toString(16).padStart(8, "0")}`;
  }
  return `${out}"`;
}

function toYaml(v: Value): string {
  // YAML 1.1 quoting so that strings like "yes"/"on" stay strings for Kubernetes' 1.1 parser, as Helm's
  // go-yaml output does; keys sorted and sequences unindented, like Helm.
  return stringifyYaml(v, { version: "1.1", sortMapEntries: true, indentSeq: false, lineWidth: 0 }).replace(/\n$/, "");
}

function toJson(v: Value, where: string): string {
  const norm = (x: Value): Value => {
    if (typeof x === "bigint") return Number(x);
    if (Array.isArray(x)) return x.map(norm);
    if (isDict(x)) return Object.fromEntries(Object.keys(x).sort().map((k) => [k, norm(x[k])]));
    if (x === undefined) return null;
    if (typeof x === "number" && !Number.isFinite(x)) throw new TemplateError(where, "toJson of a non-finite number");
    return x;
  };
  // Go's encoding/json escapes HTML-significant characters and the JS line separators.
  return JSON.stringify(norm(v)).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function indent(n: Value, s: Value, where: string, fn: string): string {
  if (typeof n !== "bigint") throw new TemplateError(where, `${fn}: the width must be an integer literal`);
  if (typeof s !== "string") throw new TemplateError(where, `${fn}: expected a string, got ${describe(s)}`);
  const pad = " ".repeat(Number(n));
  return pad + s.replaceAll("\n", `\n${pad}`);
}

function empty(v: Value): boolean {
  return !truthy(v);
}

function wantString(v: Value, where: string, fn: string): string {
  if (typeof v !== "string") throw new TemplateError(where, `${fn}: expected a string, got ${describe(v)}`);
  return v;
}

type Func = (args: Value[], where: string, ctx: Ctx) => Value;
const arity = (fn: string, args: Value[], n: number, where: string) => {
  if (args.length !== n) throw new TemplateError(where, `${fn} takes ${n} argument(s), got ${args.length}`);
};

// The Helm and Sprig functions the chart may use. Adding one here is adding it to what the tests cover.
const FUNCS: Record<string, Func> = {
  include: (args, where, ctx) => {
    arity("include", args, 2, where);
    const name = wantString(args[0], where, "include");
    const body = ctx.defines.get(name);
    if (!body) throw new TemplateError(where, `include: no template "${name}"`);
    if (ctx.depth > 100) throw new TemplateError(where, "include nested too deeply");
    return execute(body, args[1], { ...ctx, depth: ctx.depth + 1 }, { vars: new Map([["", args[1]]]) });
  },
  toYaml: (args, where) => (arity("toYaml", args, 1, where), toYaml(args[0] ?? null)),
  toJson: (args, where) => (arity("toJson", args, 1, where), toJson(args[0], where)),
  fromYaml: (args, where) => {
    arity("fromYaml", args, 1, where);
    const parsed: unknown = parseYaml(wantString(args[0], where, "fromYaml"), { version: "1.1" });
    if (!isDict(parsed)) throw new TemplateError(where, "fromYaml: the document is not a map");
    return parsed;
  },
  nindent: (args, where) => (arity("nindent", args, 2, where), `\n${indent(args[0], args[1], where, "nindent")}`),
  indent: (args, where) => (arity("indent", args, 2, where), indent(args[0], args[1], where, "indent")),
  quote: (args, where) =>
    args
      .filter((a) => a !== null && a !== undefined)
      .map((a) => goQuote(strval(a, where)))
      .join(" "),
  sha256sum: (args, where) => (arity("sha256sum", args, 1, where), createHash("sha256").update(wantString(args[0], where, "sha256sum")).digest("hex")),
  required: (args, where) => {
    arity("required", args, 2, where);
    if (args[1] === null || args[1] === undefined || args[1] === "") throw new TemplateError(where, wantString(args[0], where, "required"));
    return args[1];
  },
  fail: (args, where) => {
    arity("fail", args, 1, where);
    throw new TemplateError(where, wantString(args[0], where, "fail"));
  },
  default: (args, where) => {
    if (args.length !== 1 && args.length !== 2) throw new TemplateError(where, "default takes 1 or 2 arguments");
    return args.length === 1 || empty(args[1]) ? args[0] : args[1];
  },
  int64: (args, where) => {
    arity("int64", args, 1, where);
    const v = args[0];
    if (typeof v === "bigint") return v;
    if (typeof v === "number" && Number.isFinite(v)) return BigInt(Math.trunc(v));
    if (typeof v === "string" && /^-?[0-9]+$/.test(v)) return BigInt(v);
    throw new TemplateError(where, `int64: cannot convert ${describe(v)} ${JSON.stringify(v)} (Sprig would silently give 0)`);
  },
  index: (args, where) => {
    if (args.length < 2) throw new TemplateError(where, "index takes a collection and at least one key");
    let v = args[0];
    for (const k of args.slice(1)) {
      if (isDict(v) && typeof k === "string") v = Object.hasOwn(v, k) ? v[k] : null;
      else if (Array.isArray(v) && typeof k === "bigint") {
        if (k < 0n || k >= BigInt(v.length)) throw new TemplateError(where, `index ${k} out of range`);
        v = v[Number(k)];
      } else throw new TemplateError(where, `cannot index ${describe(v)} with ${describe(k)}`);
    }
    return v ?? null;
  },
  not: (args, where) => (arity("not", args, 1, where), !truthy(args[0])),
  eq: (args, where) => {
    if (args.length < 2) throw new TemplateError(where, "eq takes at least 2 arguments");
    const [a, ...rest] = args;
    return rest.some((b) => {
      if (typeof a !== typeof b || !["string", "boolean", "bigint"].includes(typeof a))
        throw new TemplateError(where, `eq: incompatible or unsupported types ${describe(a)} and ${describe(b)}`);
      return a === b;
    });
  },
  printf: (args, where) => {
    const [f, ...rest] = args;
    let n = 0;
    const out = wantString(f, where, "printf").replace(/%(.)/g, (_, verb: string) => {
      if (verb === "%") return "%";
      if (n >= rest.length) throw new TemplateError(where, "printf: missing argument");
      const a = rest[n++];
      if (verb === "s") return wantString(a, where, "printf %s");
      if (verb === "q") return goQuote(wantString(a, where, "printf %q"));
      throw new TemplateError(where, `printf: only %s, %q and %% are supported, not %${verb}`);
    });
    if (n !== rest.length) throw new TemplateError(where, "printf: too many arguments");
    return out;
  },
  // Sprig draws these from crypto/rand; so does this.
  randAlphaNum: (args, where) => {
    arity("randAlphaNum", args, 1, where);
    if (typeof args[0] !== "bigint" || args[0] < 1n) throw new TemplateError(where, "randAlphaNum: the length must be a positive integer literal");
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    return Array.from({ length: Number(args[0]) }, () => alphabet[randomInt(alphabet.length)]).join("");
  },
  dict: (args, where) => {
    if (args.length % 2 !== 0) throw new TemplateError(where, "dict takes key/value pairs");
    const out: Dict = {};
    for (let i = 0; i < args.length; i += 2) out[wantString(args[i], where, "dict key")] = args[i + 1];
    return out;
  },
  b64enc: (args, where) => (arity("b64enc", args, 1, where), Buffer.from(wantString(args[0], where, "b64enc"), "utf8").toString("base64")),
  // dig "k1" "k2" … default map: the value at that path, or default when a key is missing.
  dig: (args, where) => {
    if (args.length < 3) throw new TemplateError(where, "dig takes at least one key, a default and a map");
    const map = args.at(-1);
    const fallback = args.at(-2);
    if (!isDict(map)) throw new TemplateError(where, `dig: the last argument must be a map, got ${describe(map)}`);
    let v: Value = map;
    for (const k of args.slice(0, -2)) {
      const key = wantString(k, where, "dig");
      if (!isDict(v)) throw new TemplateError(where, `dig: ${key} is looked up in ${describe(v)}, not a map`);
      if (!Object.hasOwn(v, key)) return fallback;
      v = v[key];
    }
    return v;
  },
  lookup: (args, where, ctx) => {
    arity("lookup", args, 4, where);
    const [a, k, ns, n] = args.map((x) => wantString(x, where, "lookup"));
    // `helm template` and client-side dry runs have no cluster: lookup answers an empty map there.
    return ctx.lookup(a!, k!, ns!, n!) ?? {};
  },
};
// and/or evaluate lazily (Go 1.18+), so they are handled in evalCommand; listed here so the parser knows them.
FUNCS.and = () => {
  throw new Error("unreachable");
};
FUNCS.or = FUNCS.and;

function evalOperand(op: Operand, dot: Value, scope: Scope, ctx: Ctx, where: string): Value {
  switch (op.t) {
    case "literal":
      return op.v;
    case "sub":
      return evalPipeline(op.pipe, dot, scope, ctx);
    case "func":
      return callFunc(op.name, [], undefined, dot, scope, ctx, where);
    case "field": {
      let v = op.base === "dot" ? dot : getVar(scope, op.name, where);
      let chain = op.base === "dot" ? "" : `$${op.name}`;
      for (const f of op.fields) {
        chain += `.${f}`;
        if (v === null || v === undefined) throw new TemplateError(where, `nil pointer evaluating ${chain}`);
        if (!isDict(v)) throw new TemplateError(where, `can't evaluate field ${f} in ${describe(v)} (${chain})`);
        if (!Object.hasOwn(v, f)) throw new TemplateError(where, `map has no entry for key "${f}" (${chain})`);
        v = v[f];
      }
      return v;
    }
  }
}

function callFunc(name: string, argOps: Operand[], piped: { v: Value } | undefined, dot: Value, scope: Scope, ctx: Ctx, where: string): Value {
  if (name === "and" || name === "or") {
    const thunks: (() => Value)[] = argOps.map((op) => () => evalOperand(op, dot, scope, ctx, where));
    if (piped) thunks.push(() => piped.v);
    if (thunks.length < 1) throw new TemplateError(where, `${name} takes at least 1 argument`);
    let last: Value;
    for (const th of thunks) {
      last = th();
      if (name === "and" ? !truthy(last) : truthy(last)) return last;
    }
    return last;
  }
  const args = argOps.map((op) => evalOperand(op, dot, scope, ctx, where));
  if (piped) args.push(piped.v);
  return FUNCS[name]!(args, where, ctx);
}

function evalPipeline(pipe: Pipeline, dot: Value, scope: Scope, ctx: Ctx): Value {
  let piped: { v: Value } | undefined;
  for (const cmd of pipe.cmds) {
    const [head, ...rest] = cmd;
    const v = head!.t === "func" ? callFunc(head!.name, rest, piped, dot, scope, ctx, pipe.where) : evalOperand(head!, dot, scope, ctx, pipe.where);
    piped = { v };
  }
  return piped!.v;
}

function execute(nodes: Node[], dot: Value, ctx: Ctx, scope: Scope): string {
  let out = "";
  for (const node of nodes) {
    switch (node.t) {
      case "text":
        out += node.s;
        break;
      case "action": {
        const v = evalPipeline(node.pipe, dot, scope, ctx);
        if (node.pipe.decl !== undefined) scope.vars.set(node.pipe.decl, v);
        else out += printed(v, node.pipe.where);
        break;
      }
      case "if": {
        const branch = node.branches.find((b) => truthy(evalPipeline(b.cond, dot, scope, ctx)));
        const body = branch ? branch.body : node.otherwise;
        if (body) out += execute(body, dot, ctx, { vars: new Map(), parent: scope });
        break;
      }
      case "range": {
        const coll = evalPipeline(node.pipe, dot, scope, ctx);
        let elems: Value[];
        if (coll === null || coll === undefined) elems = [];
        else if (Array.isArray(coll)) elems = coll;
        else if (isDict(coll)) elems = Object.keys(coll).sort().map((k) => coll[k]);
        else throw new TemplateError(node.pipe.where, `range can't iterate over ${describe(coll)}`);
        for (const el of elems) {
          const vars = new Map<string, Value>();
          if (node.varName !== undefined) vars.set(node.varName, el);
          out += execute(node.body, el, ctx, { vars, parent: scope });
        }
        if (elems.length === 0 && node.otherwise) out += execute(node.otherwise, dot, ctx, { vars: new Map(), parent: scope });
        break;
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Helm on top: values, built-in objects, the chart's files

/** Helm's coalescing: maps merge key by key, anything else (lists included) replaces, null deletes. */
export function mergeValues(base: Value, override: Value): Value {
  if (!isDict(base) || !isDict(override)) return override;
  const out: Dict = { ...base };
  for (const [k, v] of Object.entries(override)) {
    if (v === null) delete out[k];
    else out[k] = Object.hasOwn(base, k) ? mergeValues(base[k], v) : v;
  }
  return out;
}

/** Renders a single template source (no chart around it); for tests of the renderer itself. */
export function renderString(src: string, data: Value, opts: { defines?: string; lookup?: Ctx["lookup"] } = {}): string {
  const defines = new Map<string, Node[]>();
  if (opts.defines) for (const [k, v] of parse(opts.defines, "defines").defines) defines.set(k, v);
  const parsed = parse(src, "inline");
  for (const [k, v] of parsed.defines) defines.set(k, v);
  return execute(parsed.root, data, { defines, lookup: opts.lookup ?? (() => undefined), depth: 0 }, { vars: new Map([["", data]]) });
}

export type RenderOptions = {
  releaseName?: string;
  namespace?: string;
  /** Like `-f my-values.yaml`: merged over the chart's values.yaml. */
  values?: Dict;
  isUpgrade?: boolean;
  /** What `lookup` finds in the (imaginary) cluster; nothing by default, as with `helm template`. */
  lookup?: Ctx["lookup"];
};

export type RenderedChart = {
  /** Each rendered manifest template, by path under templates/, in file-name order. */
  files: { name: string; content: string }[];
  /** All manifests joined the way `helm template` prints them. */
  manifest: string;
  notes: string;
  values: Dict;
};

function listFiles(dir: string, prefix = ""): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => (statSync(path.join(dir, f)).isDirectory() ? listFiles(path.join(dir, f), `${prefix}${f}/`) : [`${prefix}${f}`]));
}

export function renderChart(chartDir: string, opts: RenderOptions = {}): RenderedChart {
  const chart = parseYaml(readFileSync(path.join(chartDir, "Chart.yaml"), "utf8"), { version: "1.1" }) as Dict;
  if (chart.apiVersion !== "v2") throw new Error("Chart.yaml: only apiVersion v2 charts are supported");
  if (chart.dependencies) throw new Error("Chart.yaml: subcharts are not supported");
  const chartName = String(chart.name);
  const defaults = (parseYaml(readFileSync(path.join(chartDir, "values.yaml"), "utf8"), { version: "1.1" }) ?? {}) as Dict;
  const values = mergeValues(defaults, opts.values ?? {}) as Dict;
  const namespace = opts.namespace ?? "default";
  const templatesDir = path.join(chartDir, "templates");
  const names = listFiles(templatesDir);
  const defines = new Map<string, Node[]>();
  const parsed = names.map((name) => {
    if (!/\.(ya?ml|tpl)$/.test(name) && name !== "NOTES.txt") throw new Error(`templates/${name}: unsupported file type`);
    const p = parse(readFileSync(path.join(templatesDir, name), "utf8"), `${chartName}/templates/${name}`);
    // Helm shares every define across the chart's files.
    for (const [k, v] of p.defines) {
      if (defines.has(k)) throw new TemplateError(name, `template "${k}" defined twice`);
      defines.set(k, v);
    }
    return { name, p };
  });
  const ctx: Ctx = { defines, lookup: opts.lookup ?? (() => undefined), depth: 0 };
  const top = (name: string): Dict => ({
    Values: values,
    Release: {
      Name: opts.releaseName ?? chartName,
      Namespace: namespace,
      Service: "Helm",
      IsInstall: !opts.isUpgrade,
      IsUpgrade: !!opts.isUpgrade,
      Revision: opts.isUpgrade ? 2n : 1n,
    },
    Chart: { Name: chartName, Version: String(chart.version), AppVersion: String(chart.appVersion ?? "") },
    Template: { Name: `${chartName}/templates/${name}`, BasePath: `${chartName}/templates` },
  });
  const files: RenderedChart["files"] = [];
  let notes = "";
  for (const { name, p } of parsed) {
    const data = top(name);
    const content = execute(p.root, data, ctx, { vars: new Map([["", data]]) });
    if (name === "NOTES.txt") notes = content;
    else if (!path.basename(name).startsWith("_")) files.push({ name, content });
  }
  const manifest = files
    .flatMap(({ name, content }) =>
      content
        .split(/^---[ \t]*$/m)
        .filter((doc) => doc.trim() !== "")
        .map((doc) => `---\n# Source: ${chartName}/templates/${name}\n${doc.replace(/^\n+/, "").replace(/\s*$/, "")}\n`),
    )
    .join("");
  return { files, manifest, notes, values };
}
