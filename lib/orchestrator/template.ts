// Playbook templating. Deliberately tiny: `{{ a.b.c }}` looks a value up in the run's scope and
// `{{ secret "name" }}` inserts a secret; there are no functions, loops or code, so a playbook can only
// read what the scope offers. A string that is exactly one `{{ … }}` keeps the value's type.
import { AppError } from "@/lib/errors";

export type Scope = Record<string, unknown>;

/** How `{{ secret "x" }}` renders: a placeholder in dry-runs, the real value only at execution. */
export type SecretRenderer = (name: string) => string;

export const secretPlaceholder: SecretRenderer = (name) => `«secret:${name}»`;

const TAG = /\{\{\s*(.*?)\s*\}\}/g;
const WHOLE = /^\{\{\s*(.*?)\s*\}\}$/;
const SECRET = /^secret\s+"([^"]+)"$/;
const PATH = /^[a-zA-Z_][a-zA-Z0-9_]*(\.[a-zA-Z0-9_-]+)*$/;

export function lookup(scope: Scope, path: string): unknown {
  let v: unknown = scope;
  for (const key of path.split(".")) {
    if (v === null || typeof v !== "object" || !Object.hasOwn(v, key)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

function evalTag(expr: string, scope: Scope, secret: SecretRenderer): unknown {
  const s = SECRET.exec(expr);
  if (s) return secret(s[1]!);
  if (!PATH.test(expr)) throw new AppError("unprocessable", `unsupported template expression '{{ ${expr} }}'`);
  const v = lookup(scope, expr);
  if (v === undefined) throw new AppError("unprocessable", `template refers to '${expr}', which has no value in this run`);
  return v;
}

function renderString(text: string, scope: Scope, secret: SecretRenderer): unknown {
  const whole = WHOLE.exec(text);
  if (whole && !whole[1]!.includes("}}")) return evalTag(whole[1]!, scope, secret);
  return text.replace(TAG, (_, expr: string) => {
    const v = evalTag(expr, scope, secret);
    return typeof v === "object" ? JSON.stringify(v) : String(v);
  });
}

/** Renders every string inside `value` (objects and arrays deeply). */
export function render(value: unknown, scope: Scope, secret: SecretRenderer): unknown {
  if (typeof value === "string") return renderString(value, scope, secret);
  if (Array.isArray(value)) return value.map((v) => render(v, scope, secret));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, render(v, scope, secret)]));
  }
  return value;
}

/** Names of the secrets a value refers to, so they can be fetched (asynchronously) before rendering. */
export function secretNames(value: unknown, into = new Set<string>()): Set<string> {
  if (typeof value === "string") {
    for (const m of value.matchAll(TAG)) {
      const s = SECRET.exec(m[1]!);
      if (s) into.add(s[1]!);
    }
  } else if (Array.isArray(value)) value.forEach((v) => secretNames(v, into));
  else if (value && typeof value === "object") Object.values(value).forEach((v) => secretNames(v, into));
  return into;
}

// `when:` conditions: `<operand> [<op> <operand>]`, operands are scope paths or JSON literals
// (strings in double quotes, numbers, true/false/null). A bare operand is tested for truthiness.
const COND = /^(!?)\s*(.+?)\s*(?:(==|!=|<=|>=|<|>)\s*(.+?))?\s*$/;

function operand(text: string, scope: Scope): unknown {
  if (/^(true|false|null|-?\d+(\.\d+)?|"([^"\\]|\\.)*")$/.test(text)) return JSON.parse(text);
  if (!PATH.test(text)) throw new AppError("unprocessable", `cannot read '${text}' in a when condition`);
  return lookup(scope, text);
}

export function evaluateWhen(expr: string, scope: Scope): boolean {
  const m = COND.exec(expr.trim());
  if (!m) throw new AppError("unprocessable", `invalid when condition '${expr}'`);
  const [, not, leftText, op, rightText] = m;
  const left = operand(leftText!, scope);
  let result: boolean;
  if (!op) result = Boolean(left);
  else {
    if (not) throw new AppError("unprocessable", `'!' applies only to a bare operand in '${expr}'`);
    const right = operand(rightText!, scope);
    switch (op) {
      case "==":
        result = left === right;
        break;
      case "!=":
        result = left !== right;
        break;
      default: {
        if (typeof left !== "number" || typeof right !== "number") return false;
        result = op === "<" ? left < right : op === ">" ? left > right : op === "<=" ? left <= right : left >= right;
      }
    }
  }
  return not ? !result : result;
}
