// Shared by the detector families (detect-*.ts): the PII types, what a detector gets (Ctx) and emits, and the
// small validators and text helpers several families use. Pure, no I/O.

export const PII_TYPES = [
  "email",
  "phone",
  "ipv4",
  "ipv6",
  "card",
  "iban",
  "ssn",
  "jwt",
  "bearer",
  "basic_auth",
  "api_key",
  "aws_access_key",
  "aws_secret_key",
  "github_token",
  "slack_token",
  "url_password",
  "private_key",
  "secret_pair",
  "person_name",
  "postal_address",
  "date_of_birth",
] as const;

export type PiiType = (typeof PII_TYPES)[number];

export interface Span {
  type: PiiType;
  start: number;
  end: number;
  /** The entity's normalized form (what the placeholder hash is computed over). */
  norm: string;
}

export type Emit = (type: PiiType, start: number, end: number, norm?: string) => void;

/** What every detector gets: the text, its ASCII-lowercased twin (same offsets) for case-insensitive lookups. */
export interface Ctx {
  s: string;
  lower: string;
  emit: Emit;
  opts: DetectOptions;
}

export interface DetectOptions {
  /** Mask private, loopback, link-local and CGNAT addresses and CIDR blocks too (default: kept). */
  maskPrivateAddresses?: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// helpers

export const isDigit = (c: number) => c >= 48 && c <= 57;
export const isUpper = (c: number) => c >= 65 && c <= 90;
export const isLower = (c: number) => c >= 97 && c <= 122;
export const isAlnum = (c: number) => isDigit(c) || isUpper(c) || isLower(c);

export function digitsOnly(s: string): string {
  return s.replace(/\D+/g, "");
}

export function lineStart(s: string, i: number): number {
  return s.lastIndexOf("\n", i - 1) + 1;
}

// Checks made for each of many matches on one line read at most this much of the line before the match, so
// their cost is bounded per match instead of growing with the line (quadratic on one long line).
const LINE_LOOKBACK = 1024;

/** The text from the start of i's line to i, cut to the last LINE_LOOKBACK chars. */
export function linePrefix(s: string, i: number): string {
  const w = s.slice(Math.max(0, i - LINE_LOOKBACK), i);
  return w.slice(w.lastIndexOf("\n") + 1);
}

/** True when the char before `i` would glue a match at `i` to a longer token (what a leading lookbehind would
 *  check; leading lookbehinds make V8 test every position of the text, so they are checked here instead). */
export function glued(s: string, i: number, chars: RegExp): boolean {
  return i > 0 && chars.test(s.charAt(i - 1));
}

export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function ibanValid(compact: string): boolean {
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let rem = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const c = rearranged.charCodeAt(i);
    if (isDigit(c)) rem = (rem * 10 + (c - 48)) % 97;
    else if (isUpper(c)) rem = (rem * 100 + (c - 55)) % 97;
    else return false;
  }
  return rem === 1;
}

export function b64urlJsonObject(seg: string): boolean {
  try {
    const v: unknown = JSON.parse(Buffer.from(seg, "base64url").toString("utf8"));
    return typeof v === "object" && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}

/** RFC 5952 text form, or null when `s` is not an IPv6 address. */
export function canonicalIpv6(s: string): string | null {
  let str = s;
  const words: number[] = [];
  let tail: number[] = [];
  const v4 = /(?:^|:)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(str);
  if (v4) {
    const o = v4.slice(1, 5).map(Number);
    if (o.some((x) => x > 255)) return null;
    tail = [((o[0] ?? 0) << 8) | (o[1] ?? 0), ((o[2] ?? 0) << 8) | (o[3] ?? 0)];
    str = str.slice(0, v4.index + (v4[0].startsWith(":") ? 1 : 0));
    if (!str.endsWith(":")) return null;
    str = str.endsWith("::") ? str : str.slice(0, -1);
  }
  const halves = str.split("::");
  if (halves.length > 2) return null;
  const parse = (part: string): number[] | null => {
    if (part === "") return [];
    const out: number[] = [];
    for (const g of part.split(":")) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = parse(halves[0] ?? "");
  const rest = halves.length === 2 ? parse(halves[1] ?? "") : [];
  if (!head || !rest) return null;
  if (halves.length === 2) {
    const fill = 8 - head.length - rest.length - tail.length;
    if (fill < 1) return null;
    words.push(...head, ...new Array<number>(fill).fill(0), ...rest, ...tail);
  } else {
    words.push(...head, ...tail);
    if (words.length !== 8) return null;
  }
  // longest run (≥ 2) of zero words becomes "::"
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (best < 0) return hex.join(":");
  return `${hex.slice(0, best).join(":")}::${hex.slice(best + bestLen).join(":")}`;
}

// Values that are not secrets even after a secret-looking key: masks, references, templates, prose words.
const STOP_VALUES = new Set(
  (
    "null nil none undefined true false yes no on off empty redacted hidden masked removed omitted filtered unset " +
    "required optional invalid expired missing revoked rotated present set ok n/a na tbd todo unknown default " +
    "incorrect wrong changed reset sensitive secret password token value string"
  ).split(" "),
);

export function notASecret(v: string): boolean {
  if (!v) return true;
  const lower = v.toLowerCase();
  if (STOP_VALUES.has(lower)) return true;
  if (/^[*•x]+$/i.test(v) && v.length >= 3) return true; // ***, xxxx
  if (v.includes("***") || v.includes("••")) return true;
  const c = v.charAt(0);
  if (c === "$" || c === "{" || c === "(" || c === "<" || c === "%") return true; // ${VAR}, $VAR, {{ tpl }}, (sensitive value), <redacted>
  if (c === "[" && v.endsWith("]")) return true; // [REDACTED]
  if (c === "@" && /^@[\w./-]*$/.test(v) && /[./]/.test(v)) return true; // vault kv put key=@file.json
  if (/^\/dev\/[a-z]/.test(v)) return true; // --from-file=SECRET_KEY=/dev/stdin: a device path, the secret is elsewhere
  if (/^[|>][-+]?\d?$/.test(v)) return true; // YAML block scalar: the value is on the next lines
  if (/^(?:hmac-)?sha(?:1|256|384|512):[0-9a-f]{16,}$/i.test(v)) return true; // a digest (Vault audit HMACs tokens)
  return false;
}

export const B64_40 = /^[A-Za-z0-9/+]{40}$/;

export function looksRandom(v: string): boolean {
  return v.length >= 16 && /\d/.test(v) && /[A-Za-z]/.test(v) && !v.includes(".");
}
