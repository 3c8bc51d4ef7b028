// What differs between two plain JSON values, as lines a person reads in a dry run:
// "steps[1].afterMinutes: 5 → 10".
import { canonicalJson, toJson } from "@/lib/audit/canonical-json";

const MAX_LINES = 20;

const show = (v: unknown) => (v === undefined ? "(none)" : JSON.stringify(v));
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Equal as JSON, whatever the key order. */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(toJson(a ?? null)) === canonicalJson(toJson(b ?? null));
}

export function diffLines(before: unknown, after: unknown, path = ""): string[] {
  const out: string[] = [];
  const walk = (a: unknown, b: unknown, at: string) => {
    if (out.length > MAX_LINES || sameJson(a, b)) return;
    if (isObject(a) && isObject(b)) {
      for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) walk(a[k], b[k], at ? `${at}.${k}` : k);
    } else if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
      a.forEach((x, i) => walk(x, b[i], `${at}[${i}]`));
    } else {
      out.push(`${at || "(value)"}: ${show(a)} → ${show(b)}`);
    }
  };
  walk(before, after, path);
  return out.length > MAX_LINES ? [...out.slice(0, MAX_LINES), "…"] : out;
}
