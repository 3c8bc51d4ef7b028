// PII and secret detection for exports and embeddings. Pure, synchronous, no I/O.
//
// Every detector is a bounded regular expression or an indexOf scan, so matching stays linear in the input
// (linear-time.test.ts holds every detector to 200 ms of CPU per 64 KiB of adversarial text). Rules that keep it
// so: no unbounded quantifier nested in another one; never two quantifiers over the same characters next to each
// other, even with an optional token between (`[ \t]*:?[ \t]+` on "is" + 64 KiB of spaces tries every split:
// quadratic; write `(?:[ \t]*:)?[ \t]+`); checks repeated for each match on a line look back a bounded window
// (linePrefix), never to the line start. Validation (Luhn, mod-97, JWT decoding, IPv6 parsing, …) runs in
// code on the few candidates. Candidates from all detectors are then resolved by priority: the more specific
// detector wins an overlap (a GitHub token after `token=` is a github_token, not a secret_pair; a JWT after
// `Bearer ` is a jwt). Speed: no leading lookbehinds (V8 would test them at every position; the boundary is
// checked in code instead), literal triggers that start on rare characters, and whole detector families skipped
// behind one cheap test (most lines hold no secret word and no token shape).
//
// Decisions (see README.md for the full list):
// - Hostnames are not PII (db-1.internal, ip-10-0-1-23.eu-west-1.compute.internal, pod and node names are kept).
// - Public IPv4/IPv6 addresses are PII. Private, loopback, link-local and CGNAT addresses, IPv6 ULAs and CIDR
//   blocks are infrastructure and kept, unless the org sets maskPrivateAddresses. 0.0.0.0 / :: and 255.x masks
//   are always kept. A dotted quad after a version keyword ("version 10.2.1.5", "(was 3.2.1.8)"), glued to a
//   letter ("v1.2.3.4"), a product ("Chrome/124.0.0.0") or an image name ("acme/api:4.0.8.30") is a version.
// - `user@host` right after `://` is URL userinfo, not an e-mail; `name@2x.png` image names and `git@github.com`
//   remotes are not e-mails.
// - Phones need a `+country` prefix, a NANP shape ((415) 555-0134, 415-555-0134, 415.555.0134) or a
//   0-trunk national shape (020 7946 0958); bare digit runs are never phones.
// - For key/value secrets, URL passwords, Basic credentials and Bearer tokens only the value is replaced.

import { detectPersonal } from "@/lib/redact/personal";

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

// Lower index wins an overlap.
const PRIORITY: readonly PiiType[] = [
  "private_key",
  "jwt",
  "aws_access_key",
  "github_token",
  "slack_token",
  "api_key",
  "aws_secret_key",
  "url_password",
  "basic_auth",
  "bearer",
  "secret_pair",
  "email",
  "iban",
  "card",
  "ssn",
  "postal_address",
  "date_of_birth",
  "ipv6",
  "ipv4",
  "phone",
  "person_name",
];
const RANK = new Map(PRIORITY.map((t, i) => [t, i]));
const TYPE_SET = new Set<string>(PII_TYPES);
const PLACEHOLDER = /<([a-z0-9_]{3,16}):[0-9a-f]{8}>/g;

interface Candidate extends Span {
  rank: number;
}

type Emit = (type: PiiType, start: number, end: number, norm?: string) => void;

/** What every detector gets: the text, its ASCII-lowercased twin (same offsets) for case-insensitive lookups. */
interface Ctx {
  s: string;
  lower: string;
  emit: Emit;
  opts: DetectOptions;
}

// ---------------------------------------------------------------------------------------------------------------
// helpers

const isDigit = (c: number) => c >= 48 && c <= 57;
const isUpper = (c: number) => c >= 65 && c <= 90;
const isLower = (c: number) => c >= 97 && c <= 122;
const isAlnum = (c: number) => isDigit(c) || isUpper(c) || isLower(c);

function digitsOnly(s: string): string {
  return s.replace(/\D+/g, "");
}

function lineStart(s: string, i: number): number {
  return s.lastIndexOf("\n", i - 1) + 1;
}

// Checks made for each of many matches on one line read at most this much of the line before the match, so
// their cost is bounded per match instead of growing with the line (quadratic on one long line).
const LINE_LOOKBACK = 1024;

/** The text from the start of i's line to i, cut to the last LINE_LOOKBACK chars. */
function linePrefix(s: string, i: number): string {
  const w = s.slice(Math.max(0, i - LINE_LOOKBACK), i);
  return w.slice(w.lastIndexOf("\n") + 1);
}

/** True when the char before `i` would glue a match at `i` to a longer token (what a leading lookbehind would
 *  check; leading lookbehinds make V8 test every position of the text, so they are checked here instead). */
function glued(s: string, i: number, chars: RegExp): boolean {
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

function b64urlJsonObject(seg: string): boolean {
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

function notASecret(v: string): boolean {
  if (!v) return true;
  const lower = v.toLowerCase();
  if (STOP_VALUES.has(lower)) return true;
  if (/^[*•x]+$/i.test(v) && v.length >= 3) return true; // ***, xxxx
  if (v.includes("***") || v.includes("••")) return true;
  const c = v.charAt(0);
  if (c === "$" || c === "{" || c === "(" || c === "<" || c === "%") return true; // ${VAR}, $VAR, {{ tpl }}, (sensitive value), <redacted>
  if (c === "[" && v.endsWith("]")) return true; // [REDACTED]
  if (c === "@" && /^@[\w./-]*$/.test(v) && /[./]/.test(v)) return true; // vault kv put key=@file.json
  if (/^[|>][-+]?\d?$/.test(v)) return true; // YAML block scalar: the value is on the next lines
  if (/^(?:hmac-)?sha(?:1|256|384|512):[0-9a-f]{16,}$/i.test(v)) return true; // a digest (Vault audit HMACs tokens)
  return false;
}

const B64_40 = /^[A-Za-z0-9/+]{40}$/;

function looksRandom(v: string): boolean {
  return v.length >= 16 && /\d/.test(v) && /[A-Za-z]/.test(v) && !v.includes(".");
}

// ---------------------------------------------------------------------------------------------------------------
// private keys

const PK_BEGIN = /-----BEGIN ((?:[A-Z0-9]+ ){0,4})PRIVATE KEY( BLOCK)?-----/y;
const PK_BODY = /(?:[A-Za-z0-9+/=:,\- \t\r\n]|\\[nr])*/y;
const PK_B64 = /LS0tLS1CRUdJTi[A-Za-z0-9+/]{20,65536}={0,2}/y;

/** A PEM private key block starting at `p` ("-----BEGIN "); returns where scanning may resume. */
function privateKeyAt(s: string, p: number, emit: Emit, missing: Set<string>): number {
  PK_BEGIN.lastIndex = p;
  const m = PK_BEGIN.exec(s);
  if (!m) return p + 1;
  const endMarker = `-----END ${m[1] ?? ""}PRIVATE KEY${m[2] ?? ""}-----`;
  const from = p + m[0].length;
  const at = missing.has(endMarker) ? -1 : s.indexOf(endMarker, from);
  if (at >= 0) {
    emit("private_key", p, at + endMarker.length);
    return at + endMarker.length;
  }
  missing.add(endMarker); // never search again for an END marker that is absent
  // Truncated block (a log line cut short): the header plus the key material that follows it.
  PK_BODY.lastIndex = from;
  PK_BODY.exec(s);
  let end = PK_BODY.lastIndex;
  for (;;) {
    if (/\s/.test(s.charAt(end - 1))) end--;
    else if (s.slice(end - 2, end) === "\\n" || s.slice(end - 2, end) === "\\r") end -= 2;
    else break;
  }
  end = Math.max(end, from);
  emit("private_key", p, end);
  return end;
}

/** base64 of a PEM block, as in Kubernetes Secret manifests (tls.key: LS0tLS1CRUdJTi…). */
function privateKeyB64At(s: string, p: number, emit: Emit): number {
  if (glued(s, p, /[A-Za-z0-9+/]/)) return p + 1;
  PK_B64.lastIndex = p;
  const m = PK_B64.exec(s);
  if (!m) return p + 1;
  const head = Buffer.from(m[0].slice(0, 64), "base64").toString("latin1");
  if (/^-----BEGIN [A-Z0-9 ]*PRIVATE KEY/.test(head)) emit("private_key", p, p + m[0].length);
  return p + m[0].length;
}

// ---------------------------------------------------------------------------------------------------------------
// tokens with a recognisable shape

const JWT = /eyJ[A-Za-z0-9_-]{2,8192}\.ey[A-Za-z0-9_-]{2,65536}\.[A-Za-z0-9_-]{0,8192}/y;

function jwtAt(s: string, i: number, emit: Emit): number {
  if (glued(s, i, /[A-Za-z0-9_-]/)) return i + 1;
  JWT.lastIndex = i;
  const m = JWT.exec(s);
  if (!m) return i + 1;
  const [h = "", p = ""] = m[0].split(".");
  if (!b64urlJsonObject(h) || !b64urlJsonObject(p)) return i + 1;
  emit("jwt", i, i + m[0].length);
  return i + m[0].length;
}

const AWS_ACCESS = /(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/y;
// After its key name, also space-separated (`aws configure set aws_secret_access_key …`).
const AWS_SECRET_KEYED = /secret_?access_?key["']?[ \t]*(?:(?:=>|[:=])[ \t]*)?["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/iy;

function mixed40(v: string): boolean {
  return /[A-Z]/.test(v) && /[a-z]/.test(v) && /\d/.test(v);
}

const isB64 = (c: number) => isAlnum(c) || c === 47 || c === 43; // [A-Za-z0-9/+]
const isB64Eq = (c: number) => isB64(c) || c === 61; // and "="

/** 40-char AWS-shaped secrets (exactly 40 of [A-Za-z0-9/+], no such char or "=" either side) starting in
 *  s[from, to). Only run starts are checked, each for at most 41 chars: the cost is bounded by the window even
 *  when windows after many nearby trigger words overlap. */
function aws40In(s: string, from: number, to: number, emit: Emit) {
  for (let q = from; q < to && q + 40 <= s.length; q++) {
    if (!isB64(s.charCodeAt(q)) || (q > 0 && isB64Eq(s.charCodeAt(q - 1)))) continue;
    let end = q + 1;
    while (end < q + 40 && isB64(s.charCodeAt(end))) end++;
    if (end < q + 40 || isB64Eq(s.charCodeAt(q + 40))) continue; // NaN past the end is neither
    const v = s.slice(q, q + 40);
    if (mixed40(v)) emit("aws_secret_key", q, q + 40);
  }
}

function detectAwsSecret({ s, lower, emit }: Ctx) {
  for (let p = lower.indexOf("secret"); p >= 0; p = lower.indexOf("secret", p + 6)) {
    if (keyBoundaryOk(s, p)) {
      AWS_SECRET_KEYED.lastIndex = p;
      const m = AWS_SECRET_KEYED.exec(s);
      if (m) emit("aws_secret_key", p + m[0].length - 40, p + m[0].length);
    }
    // "secret was wJalrXUtnFEMI/K7MDENG/…": a bare AWS-shaped secret shortly after the word.
    aws40In(s, p + 6, p + 6 + 32, emit);
  }
  for (let p = lower.indexOf("aws"); p >= 0; p = lower.indexOf("aws", p + 3)) aws40In(s, p + 3, p + 3 + 32, emit);
}

function awsAccessAt(s: string, p: number, emit: Emit): number {
  AWS_ACCESS.lastIndex = p;
  if (glued(s, p, /[A-Za-z0-9]/) || !AWS_ACCESS.test(s)) return p + 1;
  emit("aws_access_key", p, p + 20);
  aws40In(s, p + 20, p + 220, emit); // tab / CSV output: key id, then its secret
  return p + 20;
}

const GITHUB = /(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{70,251})(?![A-Za-z0-9_])/y;

const SLACK = /(?:(?:xoxe\.)?xox[abposre]-[A-Za-z0-9-]{10,512}|xapp-\d-[A-Za-z0-9-]{10,512})(?![A-Za-z0-9-])/y;
const SLACK_HOOK = /hooks\.slack\.com\/(?:services|workflows|triggers)\/([A-Za-z0-9_/-]{20,256})/y;
const DISCORD_HOOK = /discord(?:app)?\.com\/api\/webhooks\/\d{17,20}\/([A-Za-z0-9_-]{30,100})(?![A-Za-z0-9_-])/y;

// Vendor keys with a fixed, documented prefix (each needs a trigger in TRIGGER_UPPER / TRIGGER_LOWER below).
const API_KEYS: readonly string[] = [
  "(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,247}", // Stripe secret / restricted
  "whsec_[A-Za-z0-9]{16,128}", // Stripe webhook signing secret
  "sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,256}", // OpenAI project / service account
  "sk-ant-(?:api|admin)\\d\\d-[A-Za-z0-9_-]{20,256}", // Anthropic
  "sk-[A-Za-z0-9]{32,64}", // OpenAI, legacy format
  "AIza[0-9A-Za-z_-]{35}", // Google API key
  "ya29\\.[0-9A-Za-z_-]{20,2048}", // Google OAuth access token
  "glpat-[0-9A-Za-z_-]{20,64}", // GitLab
  "glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}", // Grafana service account
  "glc_[A-Za-z0-9+/]{32,256}={0,2}", // Grafana Cloud
  "npm_[A-Za-z0-9]{36}", // npm
  "SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}", // SendGrid
  "hf_[A-Za-z0-9]{30,64}", // Hugging Face
  "do[opr]_v1_[a-f0-9]{64}", // DigitalOcean
  "pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,256}", // PyPI
  "hv[sbr]\\.[A-Za-z0-9_-]{24,512}", // HashiCorp Vault service / batch / recovery tokens
  "shp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}", // Shopify
];
const API_KEY = new RegExp(`(?:${API_KEYS.join("|")})(?![A-Za-z0-9_-])`, "y");

/** Sticky `re` at `start` (a token must not be glued to what precedes it); emits and returns the resume index. */
function tokenAt(s: string, start: number, re: RegExp, glue: RegExp, type: PiiType, emit: Emit): number {
  if (start < 0 || glued(s, start, glue)) return -1;
  re.lastIndex = start;
  const m = re.exec(s);
  if (!m) return -1;
  emit(type, start, start + m[0].length);
  return start + m[0].length;
}

// Token-shaped secrets are found from a few literal triggers (one scan each); the trigger says which detector
// to run and where the token starts.
// Triggers start on a rare char (uppercase, "x", a separator) and look behind only after it: a frequent first
// char such as "e" or "s", or a leading lookbehind, makes V8 attempt a match at most positions of the text.
const TRIGGER_UPPER = /AKIA|ASIA|AIza|SG\.|LS0tLS1CRUdJTi|xox[abposre]-|xapp-|yJ|BEGIN /g;
const TRIGGER_LOWER =
  /_(?:(?:live|test|v1|pat)_|(?<=(?:gh[pousr]|whsec|glsa|glc|npm|hf|shp(?:at|ss|ca|pa))_))|-(?<=(?:sk|glpat|pypi)-)|\.(?<=(?:ya29|hv[sbr]|hooks|discord|discordapp)\.)/g;
const API_GLUE = /[A-Za-z0-9_-]/;

function detectTokens({ s, emit }: Ctx) {
  const missing = new Set<string>();
  TRIGGER_UPPER.lastIndex = 0;
  for (let m; (m = TRIGGER_UPPER.exec(s)); ) {
    const p = m.index;
    const t = m[0];
    let next = -1;
    if (t === "BEGIN ") next = s.startsWith("-----", p - 5) ? privateKeyAt(s, p - 5, emit, missing) : -1;
    else if (t === "yJ") next = s.charAt(p - 1) === "e" ? jwtAt(s, p - 1, emit) : -1;
    else if (t === "LS0tLS1CRUdJTi") next = privateKeyB64At(s, p, emit);
    else if (t === "AKIA" || t === "ASIA") next = awsAccessAt(s, p, emit);
    else if (t.startsWith("x")) {
      const start = t.startsWith("xox") && s.slice(p - 5, p) === "xoxe." ? p - 5 : p;
      SLACK.lastIndex = start;
      const sm = glued(s, start, /[A-Za-z0-9.-]/) ? null : SLACK.exec(s);
      if (sm && /\d/.test(sm[0])) {
        emit("slack_token", start, start + sm[0].length);
        next = start + sm[0].length;
      }
    } else next = tokenAt(s, p, API_KEY, API_GLUE, "api_key", emit); // AIza…, SG.…
    if (next > p) TRIGGER_UPPER.lastIndex = next;
  }
  TRIGGER_LOWER.lastIndex = 0;
  for (let m; (m = TRIGGER_LOWER.exec(s)); ) {
    const p = m.index; // at the separator
    const t = m[0];
    let start = p;
    while (start > 0 && p - start < 8 && /[a-z0-9]/.test(s.charAt(start - 1))) start--; // the prefix before it
    let next = -1;
    if (t === "_pat_") next = tokenAt(s, p - 6, GITHUB, /[A-Za-z0-9_]/, "github_token", emit);
    else if (t === "_live_" || t === "_test_") next = tokenAt(s, p - 2, API_KEY, API_GLUE, "api_key", emit);
    else if (t === "_v1_") next = tokenAt(s, p - 3, API_KEY, API_GLUE, "api_key", emit);
    else if (s.startsWith("gh", start)) next = tokenAt(s, start, GITHUB, /[A-Za-z0-9_]/, "github_token", emit);
    else if (s.startsWith("hooks.", start)) {
      SLACK_HOOK.lastIndex = start;
      const hm = SLACK_HOOK.exec(s);
      if (hm) {
        const path = hm[1] ?? "";
        emit("slack_token", start + hm[0].length - path.length, start + hm[0].length);
        next = start + hm[0].length;
      }
    } else if (s.startsWith("discord", start)) {
      DISCORD_HOOK.lastIndex = start; // the webhook token; the id before it is public
      const dm = DISCORD_HOOK.exec(s);
      if (dm) {
        const token = dm[1] ?? "";
        emit("api_key", start + dm[0].length - token.length, start + dm[0].length);
        next = start + dm[0].length;
      }
    } else next = tokenAt(s, start, API_KEY, API_GLUE, "api_key", emit);
    if (next > p) TRIGGER_LOWER.lastIndex = next;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// credentials identified by their context: URL userinfo, Basic / Bearer, key = value

// `scheme://user:password@host`. The password may itself hold `#`, `?`, `/` or `@` (connection strings are
// rarely percent-encoded), so the userinfo ends at the LAST `@` before the URL ends (whitespace, quote, bracket);
// the user part must be free of `/?#@` so that "https://host/p?next=a:b@c" stays a path.
const URL_END = /[\s"'<>`]/;
const URL_USER = /^[^\s:/?#@"'<>]{0,128}$/;

function detectUrlPasswords({ s, emit }: Ctx) {
  if (!s.includes("://")) return;
  let segEnd = -1; // the URL end and last "@" found for the previous "://", reused while inside that segment
  let lastAt = -1;
  for (let p = s.indexOf("://"); p >= 0; p = s.indexOf("://", p + 3)) {
    if (!/[A-Za-z][A-Za-z0-9+.-]{0,20}$/.test(s.slice(Math.max(0, p - 21), p))) continue; // scheme
    const from = p + 3;
    if (from >= segEnd) {
      let e = from;
      while (e < s.length && e - from < 640 && !URL_END.test(s.charAt(e))) e++;
      segEnd = e;
      lastAt = -1;
      for (let i = e - 1; i >= from; i--) {
        if (s.charCodeAt(i) === 64 && /[A-Za-z0-9[]/.test(s.charAt(i + 1))) {
          lastAt = i;
          break;
        }
      }
    }
    if (lastAt < from || lastAt - from > 400) continue;
    const colon = s.indexOf(":", from);
    if (colon < 0 || colon >= lastAt || !URL_USER.test(s.slice(from, colon))) continue;
    const pw = s.slice(colon + 1, lastAt);
    if (pw.length === 0 || pw.length > 256 || notASecret(pw)) continue;
    if (/^\d{1,5}(?:[/?#]|$)/.test(pw) && /[/?#]/.test(pw)) continue; // host:port/path@…, not a password
    emit("url_password", colon + 1, lastAt);
  }
}

const BASIC = /\b(?:Basic|basic|BASIC)[ \t]+([A-Za-z0-9+/]{6,4096}={0,2})(?![A-Za-z0-9+/=])/g;
const DOCKER_AUTH = /"auth"\s*:\s*"([A-Za-z0-9+/]{6,4096}={0,2})"/g;
const CURL_USER = /[ \t](?:-u|--user)(?:[ \t]+|=)(["']?)[^\s:"']{1,128}:([^\s"']{1,256})\1/g;
// "credentials admin:S3cret! rejected", "the grafana login is ops / Gr4f-0ps-2024!"
const CRED_PAIR =
  /\b(?:credentials?|creds|login)(?:[ \t]+(?:is|are))?(?:[ \t]*[:=])?[ \t]+([A-Za-z0-9._-]{1,64})(:|[ \t]+\/[ \t]+)([^\s:@/]{4,128})(?=[\s,;)]|$)/gi;

function decodesToUserPass(b64: string): boolean {
  const t = Buffer.from(b64, "base64").toString("utf8");
  const i = t.indexOf(":");
  return i > 0 && i < t.length - 1 && /^[\x20-\x7e]+$/.test(t);
}

function detectBasic({ s, lower, emit }: Ctx) {
  if (lower.includes("basic")) {
    BASIC.lastIndex = 0;
    for (let m; (m = BASIC.exec(s)); ) {
      const v = m[1] ?? "";
      if (decodesToUserPass(v)) emit("basic_auth", m.index + m[0].length - v.length, m.index + m[0].length);
    }
  }
  if (s.includes('"auth"')) {
    DOCKER_AUTH.lastIndex = 0; // ~/.docker/config.json
    for (let m; (m = DOCKER_AUTH.exec(s)); ) {
      const v = m[1] ?? "";
      if (!decodesToUserPass(v)) continue;
      const start = m.index + m[0].length - 1 - v.length;
      emit("basic_auth", start, start + v.length);
    }
  }
  if (lower.includes("cred") || lower.includes("login")) {
    CRED_PAIR.lastIndex = 0;
    for (let m; (m = CRED_PAIR.exec(s)); ) {
      const pw = m[3] ?? "";
      if (!/[A-Za-z]/.test(m[1] ?? "") || notASecret(pw) || /^\d+$/.test(pw)) continue;
      const slash = m[2] !== ":";
      if (slash && !/[^A-Za-z]/.test(pw)) continue; // "login is admin / root": no evidence of a password
      emit(slash ? "secret_pair" : "basic_auth", m.index + m[0].length - pw.length, m.index + m[0].length);
    }
  }
}

// Session cookies: `sessionid=`, `JSESSIONID=`, `PHPSESSID=`, `sid=`, `connect.sid=`, `laravel_session=`,
// `_app_session=`, `ASP.NET_SessionId=`, `remember_web_…=`, in Cookie / Set-Cookie headers, URLs and logs.
const SESSION_WORDS = ["sess", "sid", "remember_"] as const;
const COOKIE_NAME =
  /^(?:[a-z0-9_.-]*(?:sess|sessid|session)(?:[_-]?(?:id|token|key))?|aspsessionid[a-z]{0,12}|[a-z0-9_.-]*[._-]sid|sid|remember_[a-z0-9_]+)$/;

/** Session ids: 8+ chars with digits and letters ("262-8837914-2213457" too), or 20+ of anything. */
function sessionValue(v: string): boolean {
  if (v.length >= 20) return /[A-Za-z0-9]{8}/.test(v);
  return v.length >= 8 && /\d/.test(v) && (/[A-Za-z]/.test(v) || (v.replace(/\D/g, "").length >= 10 && /[-.]/.test(v)));
}

// Servlet containers log the id in prose: "Requested cookie session id is 6AA5…", "new session id: …".
const SESSION_PROSE = /\bsession[ _-]?id[ \t]{1,4}(?:is|was|[:=])[ \t]{1,4}([A-Za-z0-9._-]{16,128})(?![A-Za-z0-9._-])/gi;

function detectSessions({ s, lower, emit }: Ctx) {
  if (lower.includes("session id") || lower.includes("session_id") || lower.includes("sessionid")) {
    SESSION_PROSE.lastIndex = 0;
    for (let m; (m = SESSION_PROSE.exec(s)); ) {
      const v = m[1] ?? "";
      if (sessionValue(v) && !notASecret(v)) emit("secret_pair", m.index + m[0].length - v.length, m.index + m[0].length);
    }
  }
  for (const w of SESSION_WORDS) {
    let resume = 0;
    for (let p = lower.indexOf(w); p >= 0; p = lower.indexOf(w, p + w.length)) {
      if (p < resume) continue;
      let ke = p + w.length;
      while (ke < s.length && ke - p < 64 && /[a-z0-9_.-]/.test(lower.charAt(ke))) ke++;
      let ks = p;
      while (ks > 0 && p - ks < 48 && /[a-z0-9_.-]/.test(lower.charAt(ks - 1))) ks--;
      // `name=value`, or a JSON cookie jar: `"sessionid": "value"`
      let at = -1;
      if (s.charAt(ke) === "=") at = ke + 1;
      else if (/["']/.test(s.charAt(ke)) && s.charAt(ks - 1) === s.charAt(ke)) {
        const colon = /^["'][ \t]{0,4}:[ \t]{0,4}/.exec(s.slice(ke, ke + 10));
        if (colon) at = ke + colon[0].length;
      }
      if (at < 0 || !COOKIE_NAME.test(lower.slice(ks, ke))) continue;
      const r = readValue(s, at);
      if (!r) continue;
      resume = r[1]; // a cookie name inside this value would only re-read (part of) it
      const v = s.slice(r[0], r[1]);
      if (!sessionValue(v) || notASecret(v)) continue;
      emit("secret_pair", r[0], r[1]);
    }
  }
}

// Passwords handed to programs: `--password X` / `--db-pass X` flags, `echo X | docker login --password-stdin`,
// `chpasswd <<< user:X`, PowerShell `ConvertTo-SecureString "X" -AsPlainText`, Kubernetes env lists
// (`- name: DB_PASSWORD` then `value: X`).
const FLAG_PW = /[ \t]--(?:[a-z0-9]{1,20}[-.]){0,3}(?:password|passwd|pass|pwd|secret|token|api-key|apikey)[ \t]+(["']?)([^\s"'-][^\s"']{0,255})\1/dg;
const ECHO_PIPE =
  /\becho[ \t]+(?:-[ne][ \t]+)?(?:"([^"\n]{1,256})"|'([^'\n]{1,256})'|([^\s|'"]{1,256}))[ \t]{0,4}\|[^\n|]{0,200}?(?:--password-stdin|passwd[ \t]+--stdin|sudo[ \t]+-S)/dg;
// htpasswd -b FILE USER PASSWORD, openssl -passin/-passout/-pass pass:X, smbclient -U user%X, net user NAME X /add
const HTPASSWD = /\bhtpasswd[ \t]+(?:-[a-zA-Z]+[ \t]+)*-b[a-zA-Z]*[ \t]+\S{1,256}[ \t]+\S{1,128}[ \t]+(["']?)([^\s"']{1,256})\1/dg;
const OPENSSL_PASS = /[ \t]-(?:passin|passout|pass|password)[ \t]+pass:([^\s"']{1,256})/dg;
const SMB_USER = /\b(?:smbclient|rpcclient|smbmap|net)\b[^\n]{0,256}?[ \t]-U[ \t]+["']?[^\s%"']{1,128}%([^\s"']{1,256})/dg;
const NET_USER = /\bnet[ \t]+user[ \t]+\S{1,64}[ \t]+([^\s/*"']{1,128})[ \t]+\/add\b/dgi;
const CHPASSWD = /\bchpasswd\b[^\n]{0,40}?<<<[ \t]*["']?[^\s:"']{1,64}:([^\s"']{1,256})/dg;
const SECURE_STRING = /ConvertTo-SecureString[ \t]+(?:-String[ \t]+)?(?:"([^"\n]{1,256})"|'([^'\n]{1,256})')/dgi;
const ENV_LIST =
  /name:[ \t]{0,4}["']?[A-Za-z0-9_]{0,64}(?:PASSWORD|PASSWD|PWD|SECRET|TOKEN|API_KEY|APIKEY|_PASS)["']?[ \t]*\r?\n[ \t]{0,64}(?:-[ \t]{0,4})?value:[ \t]{0,4}(?:"([^"\n]{1,256})"|'([^'\n]{1,256})'|([^\s"'#]{1,256}))/dgi;
// Other languages: "mot de passe : X", "Kennwort: X", "contraseña: X", "senha: X", "wachtwoord is X".
// Up to three words may sit between the word and the verb: "mot de passe temporaire : X", "senha provisória é X",
// "neue Passwort lautet X", "la password del database è X".
const FOREIGN_PW =
  /(?:mot de passe|contrase[ñn]a|senha|kennwort|passwort|wachtwoord|l[öo]senord|has[łl]o|пароль|password|パスワード)(?:[ \t]{1,4}[^\s:=：]{1,20}){0,3}?(?:[ \t]{0,4}[:=：][ \t]{0,4}|[ \t]{1,4}(?:est|es|é|è|ist|is|lautet|era|était|war|är|jest|sono)[ \t]{1,4})(["'`]?)([^\s"'`]{4,128})\1/dgiu;

const FOREIGN_GATE = /passe|wort|contrase|senha|senord|has[łl]o|пароль|パスワード|password[^\n]{0,60}(?:è|é|lautet)/;

function detectShellSecrets({ s, lower, emit }: Ctx) {
  // The patterns carry the `d` flag: the value is whichever of `groups` matched, at its own indices.
  const run = (re: RegExp, groups: number[], accept: (v: string) => boolean = (v) => !notASecret(v)) => {
    re.lastIndex = 0;
    for (let m; (m = re.exec(s)); ) {
      const g = groups.find((i) => m[i] !== undefined);
      const at = g === undefined ? undefined : m.indices?.[g];
      if (at && accept(m[g!]!)) emit("secret_pair", at[0], at[1]);
    }
  };
  if (s.includes("--")) run(FLAG_PW, [2], (v) => !notASecret(v) && !/^[a-z]+$/.test(v)); // "--password via the CLI"
  if (lower.includes("echo")) run(ECHO_PIPE, [1, 2, 3]);
  if (lower.includes("htpasswd")) run(HTPASSWD, [2]);
  if (lower.includes("pass:")) run(OPENSSL_PASS, [1]);
  if (s.includes("%")) run(SMB_USER, [1]);
  if (lower.includes("/add")) run(NET_USER, [1]);
  if (s.includes("chpasswd")) run(CHPASSWD, [1]);
  if (/securestring/i.test(s)) run(SECURE_STRING, [1, 2]);
  if (/value:/i.test(s)) run(ENV_LIST, [1, 2, 3]);
  if (FOREIGN_GATE.test(lower)) {
    FOREIGN_PW.lastIndex = 0;
    for (let m; (m = FOREIGN_PW.exec(s)); ) {
      const at = m.indices?.[2];
      if (!at) continue;
      // Sentence punctuation after the value ("lautet X, bitte …") is not part of it; "!" and "?" often are.
      let end = at[1];
      while (end > at[0] && /[,;.)]/.test(s.charAt(end - 1))) end--;
      const v = s.slice(at[0], end);
      if (v.length >= 4 && !notASecret(v) && /[^\p{L}]/u.test(v) && /\p{L}/u.test(v)) emit("secret_pair", at[0], end);
    }
  }
}

// `Authorization: <scheme> <credentials>` for schemes other than Bearer and Basic (Token, ApiKey, SSWS, Bot,
// Splunk, GenieKey, Negotiate, …): the credentials are an API key. Values holding `=` pairs (Digest, AWS4-HMAC,
// `Token token=…`) are left to the key = value rules.
const AUTH_SCHEME =
  /\b(?:proxy-)?authorization["']?[ \t]{0,4}[:=][ \t]{0,4}["']?\[?[ \t]{0,4}([A-Za-z][A-Za-z0-9_.-]{1,30})[ \t]{1,4}([A-Za-z0-9._~+/-]{8,4096}={0,2})(?![A-Za-z0-9._~+/=-])/gi;

// Challenge-response schemes carry no reusable secret in the clear, but their proof is replayable until the nonce
// or the date expires: `Digest … response="<md5>"`, `AWS4-HMAC-SHA256 … Signature=<hex>` (also `X-Amz-Signature=`
// in presigned URLs). Only the proof is masked; username, realm, nonce and the credential scope stay readable.
const DIGEST_RESPONSE = /\bresponse=\\?"?([0-9a-f]{32,128})(?![0-9a-f])/gi;
const SIGV4 = /\b(?:x-amz-)?signature=([0-9a-f]{64})(?![0-9a-f])/gi;

function detectSignedProofs({ s, lower, emit }: Ctx) {
  const run = (re: RegExp) => {
    re.lastIndex = 0;
    for (let m; (m = re.exec(s)); ) emit("secret_pair", m.index + m[0].length - (m[1] ?? "").length, m.index + m[0].length);
  };
  if (lower.includes("digest") && lower.includes("response=")) run(DIGEST_RESPONSE);
  if (lower.includes("signature=")) run(SIGV4);
}

function detectAuthSchemes(ctx: Ctx) {
  const { s, lower, emit } = ctx;
  detectSignedProofs(ctx);
  if (!lower.includes("authorization")) return;
  AUTH_SCHEME.lastIndex = 0;
  for (let m; (m = AUTH_SCHEME.exec(s)); ) {
    const scheme = (m[1] ?? "").toLowerCase();
    const v = m[2] ?? "";
    if (scheme === "bearer" || scheme === "basic") continue;
    if (!/\d/.test(v) && !(/[A-Z]/.test(v) && /[a-z]/.test(v))) continue; // prose
    if (notASecret(v)) continue;
    const end = m.index + m[0].length;
    emit("api_key", end - v.length, end);
  }
}

const BEARER = /\b(?:Bearer|bearer|BEARER)[ \t]+([A-Za-z0-9._~+/=-]{16,8192})/g;

function detectBearer({ s, lower, emit }: Ctx) {
  if (!lower.includes("bearer")) return;
  BEARER.lastIndex = 0;
  for (let m; (m = BEARER.exec(s)); ) {
    let v = m[1] ?? "";
    while (v.endsWith(".")) v = v.slice(0, -1);
    if (v.length < 16) continue;
    if (/=[^=]/.test(v)) continue; // "token_type=Bearer tokens_used=88213": the next field, not a token
    if (!/\d/.test(v) && !(/[A-Z]/.test(v) && /[a-z]/.test(v))) continue; // prose: "Bearer token_validation_failed"
    const start = m.index + m[0].length - (m[1] ?? "").length;
    emit("bearer", start, start + v.length);
  }
}

// key = value. The key's last component must be a secret word: `db_password`, `dbPassword`, `X-Api-Key`,
// `client_secret`, `_authToken`, `SecretAccessKey`; `max_tokens`, `token_type`, `secretName`, `password_policy`,
// `accessKeyId` are not.
const SECRET_KEY_RE =
  /(?:password|passwd|passwort|passphrase|pwd|secret|token|(?:api|private|secret|access|signing|encryption|master|routing|integration)[_-]?key|apikey)$/i;
const KEY_PREFIX = /(?<=(?:api|private|secret|access|signing|encryption|master|routing|integration)[_-]?)key/y;
const KEY_PREFIX_LEN = /(?:api|private|secret|access|signing|encryption|master|routing|integration)[_-]?$/;
const KV_WORDS = ["passw", "pwd", "secret", "token", "key", "pass", "pw", "auth"] as const;
// Short or common words that name a secret only as a key (`DB_PASS=…`, `pw: …`, `REDISCLI_AUTH=…`), never in prose.
const KV_ONLY = new Set(["pass", "pw", "auth"]);
// A digest of a secret is not the secret: Helm's `checksum/secret: <sha256>`, `secret_hash`, `token_sha256` keys.
const DIGEST_OF = /(?:checksum|hash|digest|fingerprint|sha1|sha256|sha512|md5|etag)[/._-]?$/i;
const KV_SEP = /(\\?["']?)[ \t]*(=>|:|=)[ \t]*/y;
// `Key    Value` tables (vault kv get): key at line start, two or more spaces, a single value to the end of line.
const KV_COLUMN = /[ \t]{2,}(\S{1,512})[ \t]*(?=\r?\n|$)/y;
// Prose: "our webhook secret is whk_7f3c…", "the password was Tr0ub4dor&3", "new password for role x is …",
// "reset the password for admin to …" (up to 6 words between; random-looking values only, see proseSecret).
const KV_PROSE =
  /(?:[ \t]{1,4}(?!(?:is|was|are|were|to)\b)[^\s=:"'`]{1,40}){0,6}?[ \t]{1,4}(?:is|was|are|were|to)(?:[ \t]{1,4}(?:now|set|changed|reset|updated|rotated))?(?:[ \t]{1,4}to)?(?:[ \t]{0,4}:)?[ \t]{1,4}(["'`]?)([^\s"'`]{6,256})\1/iy;

const PASSWORD_WORDS = new Set(["password", "passwd", "passwort", "passphrase", "pwd"]);
// "the sftp password the partner gave us: iEvB_Zd4TspRgnz": words, then a colon, then a generated-looking value.
const KV_PROSE_COLON = /(?:[ \t]{1,4}[^\s=:"'`]{1,40}){1,6}?:[ \t]{1,4}(["'`]?)([^\s"'`]{8,256})\1/y;
const KV_BARE = /[ \t]{1,4}(["'`]?)([^\s"'`]{8,128})\1(?=\s|$)/y;
// "… X as the password": the words between value and secret word, matched on the last 32 chars only.
const KV_BEFORE = /[ \t](?:is|as)[ \t]{1,4}(?:(?:the|my|our|your|a|his|her|their)[ \t]{1,4})?(?:new[ \t]{1,4})?$/i;

/** Generated-looking: letters, digits and a symbol or both cases, 8+ chars; never a word, path or URL. */
function strongPassword(v: string): boolean {
  if (!proseSecret(v) || v.length < 8 || /^(?:https?:|\/|~|\.)/.test(v)) return false;
  return /[^A-Za-z0-9]/.test(v) || (/[A-Z]/.test(v) && /[a-z]/.test(v));
}

function proseSecret(v: string): boolean {
  return !notASecret(v) && /[A-Za-z]/.test(v) && /\d/.test(v) && v.length >= 6;
}
const SQL_PW = /\b(?:PASSWORD|IDENTIFIED[ \t]+BY)[ \t]+(?:'([^'\n]{1,256})'|"([^"\n]{1,256})")/gi;
// Passwords given as command-line flags of well-known clients.
const QV = `'[^'\\n]{1,256}'|"[^"\\n]{1,256}"`;
const CLI_PW: readonly RegExp[] = [
  new RegExp(`\\b(?:mysql|mysqldump|mysqladmin|mariadb)\\b[^\\n]{0,512}?[ \\t]-p(?!assword)([^\\s'"-][^\\s'"]{0,255}|${QV})`, "g"),
  new RegExp(`\\bredis-cli\\b[^\\n]{0,512}?[ \\t](?:-a|--pass)[ \\t]+([^\\s'"]{1,256}|${QV})`, "g"),
  new RegExp(`\\bldap(?:search|modify|add|delete|passwd|whoami|compare)\\b[^\\n]{0,512}?[ \\t]-w[ \\t]+([^\\s'"]{1,256}|${QV})`, "g"),
  new RegExp(`\\bsshpass[ \\t]+-p[ \\t]*([^\\s'"]{1,256}|${QV})`, "g"),
  /\bdocker[ \t]+login\b[^\n]{0,512}?[ \t](?:-p|--password)[ \t]+([^\s'"]{1,256})/g,
  /\baz[ \t]+login\b[^\n]{0,512}?[ \t](?:-p|--password)[ \t]+([^\s'"-][^\s'"]{0,255})/g,
  new RegExp(`\\bsqlcmd\\b[^\\n]{0,512}?[ \\t]-P[ \\t]*([^\\s'"-][^\\s'"]{0,255}|${QV})`, "g"),
  new RegExp(
    `\\b(?:clickhouse-client|clickhouse|mongosh|mongo|mongodump|mongorestore|influx|sqlcmd|rabbitmqadmin)\\b[^\\n]{0,512}?[ \\t]--password[ \\t]+([^\\s'"-][^\\s'"]{0,255}|${QV})`,
    "g",
  ),
];

function keyBoundaryOk(s: string, wordStart: number): boolean {
  if (wordStart === 0) return true;
  const prev = s.charCodeAt(wordStart - 1);
  if (!isAlnum(prev)) return true; // start, `_`, `.`, `-`, quote…
  // camelCase boundary: dbPassword, SessionToken, secretAccessKey
  return (isLower(prev) || isDigit(prev)) && isUpper(s.charCodeAt(wordStart));
}

/** `PGPASSWORD`, `ADMINPASSWORD`: environment variables glue a prefix to the secret word in capitals. */
function allCapsKey(s: string, wordStart: number, wordEnd: number, word: string): boolean {
  if (KV_ONLY.has(word) || word.endsWith("key")) return false;
  if (!/^[A-Z]+$/.test(s.slice(wordStart, wordEnd))) return false;
  let i = wordStart;
  while (i > 0 && wordStart - i < 32 && /[A-Z0-9_]/.test(s.charAt(i - 1))) i--;
  return i === 0 || !/[A-Za-z0-9]/.test(s.charAt(i - 1));
}

export function classifyKeyed(key: string, value: string): PiiType {
  if (B64_40.test(value)) {
    if (/secret/i.test(key) && /access|aws/i.test(key)) return "aws_secret_key";
    if (/(?:^|[_.-])secret[_-]?key$/i.test(key) && mixed40(value)) return "aws_secret_key"; // s3cmd --secret_key=…
  }
  return "secret_pair";
}

const VALUE_RUN = /[^\s"'&,;]{1,512}/y;
const run = { s: null as string | null, start: 0, end: 0, capped: false };

/** The value starting at `i`, as [start, end, quoted] with quotes excluded. */
function readValue(s: string, i: number): [number, number, boolean] | null {
  const c = s.charAt(i);
  if (c === '"' || c === "'") {
    const close = s.indexOf(c, i + 1);
    const nl = s.indexOf("\n", i + 1);
    if (close < 0 || (nl >= 0 && nl < close) || close - i > 1024) return null;
    return [i + 1, s.charAt(close - 1) === "\\" ? close - 1 : close, true];
  }
  if (c === "\\" && (s.charAt(i + 1) === '"' || s.charAt(i + 1) === "'")) {
    const close = s.indexOf(`\\${s.charAt(i + 1)}`, i + 2); // \"value\" inside an escaped JSON string
    if (close < 0 || close - i > 1024) return null;
    return [i + 2, close, true];
  }
  let end: number;
  if (s === run.s && i >= run.start && i < run.end && run.end - i < 512 && !run.capped) {
    end = run.end; // inside the run read for an earlier trigger: it ends at the same place
  } else {
    VALUE_RUN.lastIndex = i;
    if (!VALUE_RUN.test(s)) return null;
    end = VALUE_RUN.lastIndex;
    run.s = s;
    run.start = i;
    run.end = end;
    run.capped = end - i === 512;
  }
  // Closers that are not part of the value: `(password: x)`, `{pan=…}`, `password=x.`
  while (end > i) {
    const ch = s.charAt(end - 1);
    const v = s.slice(i, end);
    if ((ch === ")" && !v.includes("(")) || (ch === "]" && !v.includes("[")) || (ch === "}" && !v.includes("{"))) end--;
    else if ((ch === ">" && !v.includes("<")) || ch === "." || ch === "`") end--;
    else break;
  }
  return end > i ? [i, end, false] : null;
}

function acceptKeyed(s: string, word: string, sep: string, start: number, end: number, quoted: boolean): boolean {
  const v = s.slice(start, end);
  if (notASecret(v)) return false;
  if (word === "pass" && !/[A-Za-z]/.test(v)) return false; // "pass: 412 fail: 0", "pass: 12/12"
  if (word === "secret" && /^[a-z]+(?:-[a-z]+)+$/.test(v)) return false; // Kubernetes "secret: db-credentials", a name
  if (word === "auth" && !(/\d/.test(v) && /[A-Za-z]/.test(v) && v.length >= 8)) return false; // auth=none, auth: sasl
  if (word === "pwd" && /^[/~]/.test(v)) return false; // PWD=/srv/app: the working directory
  if (/^(?:routing|integration)[_-]?key$/.test(word) && !looksRandom(v)) return false; // AMQP routing keys
  if (!quoted && /^\d+$/.test(v) && /^[ \t]+(?:bytes?|B|KB|KiB|MB|chars?|characters)\b/.test(s.slice(end, end + 12))) {
    return false; // kubectl describe secret: "password:  16 bytes"
  }
  if (!quoted && sep === ":" && /^[a-z]+$/.test(v) && /^ [a-z]+/.test(s.slice(end, end + 24))) {
    return false; // prose: "*v1.Secret: secrets is forbidden"
  }
  return true;
}

/** Source code, not a value: `password=DB_PASS,` `aws_secret_access_key=SK)` `db_password = os.environ['X']`. */
function codeReference(s: string, start: number, end: number, quoted: boolean): boolean {
  if (quoted) return false;
  const v = s.slice(start, end);
  if (/^(?:os\.environ|os\.getenv|process\.env|System\.getenv|ENV\[|env\(|getenv\(|Deno\.env)/.test(v)) return true;
  // An unquoted constant or a one- or two-letter variable passed as an argument: a comma or ")" follows.
  return /^[ \t]*[,)]/.test(s.slice(end, end + 4)) && (/^[A-Za-z]{1,2}$/.test(v) || /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(v));
}

function detectKeyed({ s, lower, emit: emitSpan }: Ctx) {
  // A trigger inside a value already taken ("password=a password=a …" packed into one value) adds nothing:
  // skipping it keeps dense repetitions from re-reading the same value once per trigger.
  let resume = 0;
  const emit: Emit = (type, start, end, norm) => {
    emitSpan(type, start, end, norm);
    resume = Math.max(resume, end);
  };
  for (const w of KV_WORDS) {
    resume = 0;
    for (let p = lower.indexOf(w); p >= 0; p = lower.indexOf(w, p + w.length)) {
      if (p < resume) continue;
      let word: string = w;
      let wordStart = p;
      if (w === "passw") {
        if (lower.startsWith("password", p)) word = "password";
        else if (lower.startsWith("passwort", p)) word = "passwort";
        else if (lower.startsWith("passwd", p)) word = "passwd";
        else continue;
      } else if (w === "pass") {
        if (lower.startsWith("passw", p)) continue; // the words above
        if (lower.startsWith("passphrase", p)) word = "passphrase";
      } else if (w === "pw") {
        if (lower.startsWith("pwd", p)) continue;
      } else if (w === "key") {
        KEY_PREFIX.lastIndex = p;
        if (!KEY_PREFIX.test(lower)) continue;
        const pre = KEY_PREFIX_LEN.exec(lower.slice(Math.max(0, p - 12), p));
        if (!pre) continue;
        wordStart = p - pre[0].length;
        word = lower.slice(wordStart, p + 3);
      }
      const wordEnd = p + (w === "passw" || word === "passphrase" ? word.length : w.length);
      const after = s.charCodeAt(wordEnd);
      if (isAlnum(after) || after === 95 || after === 45 || after === 46) continue; // tokens, token_type, key-id
      if (!keyBoundaryOk(s, wordStart) && !allCapsKey(s, wordStart, wordEnd, word)) continue;
      if (DIGEST_OF.test(s.slice(Math.max(0, wordStart - 16), wordStart))) continue; // checksum/secret: <sha256>
      if (KV_ONLY.has(word) && !/^["']?[ \t]*[:=]/.test(s.slice(wordEnd, wordEnd + 8))) {
        // "pw is Frjr9nD.9Gsu6 fyi", "pw for the shared grafana admin is Hc=a9#++9rf5J": chat shorthand, so the
        // value must look generated (strongPassword) and "pw" must stand alone as a word.
        if (word === "pw" && keyBoundaryOk(s, wordStart)) {
          KV_PROSE.lastIndex = wordEnd;
          const pr = KV_PROSE.exec(s);
          let v = pr?.[2] ?? "";
          while (/[.,;:)]$/.test(v)) v = v.slice(0, -1);
          if (pr && strongPassword(v)) {
            const start = KV_PROSE.lastIndex - (pr[1] ?? "").length - (pr[2] ?? "").length;
            emit("secret_pair", start, start + v.length);
          }
        }
        continue;
      }
      KV_SEP.lastIndex = wordEnd;
      const m = KV_SEP.exec(s);
      if (m) {
        const sep = m[2] ?? "";
        const r = readValue(s, KV_SEP.lastIndex);
        if (!r) continue;
        resume = Math.max(resume, r[1]);
        if (!acceptKeyed(s, word, sep, r[0], r[1], r[2]) || codeReference(s, r[0], r[1], r[2])) continue;
        let keyStart = wordStart;
        while (keyStart > 0 && wordStart - keyStart < 48 && /[A-Za-z0-9_.-]/.test(s.charAt(keyStart - 1))) keyStart--;
        emit(classifyKeyed(s.slice(keyStart, wordEnd), s.slice(r[0], r[1])), r[0], r[1]);
        continue;
      }
      KV_PROSE.lastIndex = wordEnd;
      const pr = KV_PROSE.exec(s);
      if (pr) {
        let v = pr[2] ?? "";
        while (/[.,;:)]$/.test(v)) v = v.slice(0, -1);
        const start = KV_PROSE.lastIndex - (pr[1] ?? "").length - (pr[2] ?? "").length;
        // A quoted value after "the password is" is one whatever it looks like ("password is 'hunter'").
        if (proseSecret(v) || (pr[1] && v.length >= 4 && !notASecret(v) && PASSWORD_WORDS.has(word))) emit("secret_pair", start, start + v.length);
        continue;
      }
      if (PASSWORD_WORDS.has(word)) {
        KV_PROSE_COLON.lastIndex = wordEnd;
        const pc = KV_PROSE_COLON.exec(s);
        let cv = pc?.[2] ?? "";
        while (/[.,;)]$/.test(cv)) cv = cv.slice(0, -1);
        if (pc && strongPassword(cv) && /\d/.test(cv) && !/^[A-Za-z_][\w.-]*=/.test(cv)) {
          const start = KV_PROSE_COLON.lastIndex - (pc[1] ?? "").length - (pc[2] ?? "").length;
          emit("secret_pair", start, start + cv.length);
          continue;
        }
        // "logged in with password Hunter2-Blue!": the value right after the word, if it looks generated.
        KV_BARE.lastIndex = wordEnd;
        const b = KV_BARE.exec(s);
        let bv = b?.[2] ?? "";
        const cut = bv.length - bv.replace(/[.,;:)]+$/, "").length; // sentence punctuation after the value
        bv = bv.slice(0, bv.length - cut);
        if (b && strongPassword(bv)) {
          const end = KV_BARE.lastIndex - (b[1] ?? "").length - cut;
          emit("secret_pair", end - bv.length, end);
          continue;
        }
        // "use Xk9#mQ2vLp as the password": the value before "as/is the password".
        const back = KV_BEFORE.exec(s.slice(Math.max(0, wordStart - 32), wordStart));
        if (back) {
          let end = wordStart - back[0].length;
          const q = /["'`]/.test(s.charAt(end - 1)) ? s.charAt(end - 1) : "";
          end -= q.length;
          let start = end;
          while (start > 0 && end - start < 128 && !/[\s"'`]/.test(s.charAt(start - 1))) start--;
          if ((!q || s.charAt(start - 1) === q) && proseSecret(s.slice(start, end))) {
            emit("secret_pair", start, end);
            continue;
          }
        }
      }
      KV_COLUMN.lastIndex = wordEnd;
      const c = KV_COLUMN.exec(s);
      if (c && /^[ \t]*[A-Za-z0-9_.-]{0,48}$/.test(s.slice(lineStart(s, wordStart), wordStart))) {
        const v = c[1] ?? "";
        const start = KV_COLUMN.lastIndex - c[0].length + c[0].indexOf(v);
        if (!notASecret(v)) emit("secret_pair", start, start + v.length);
      }
    }
  }
  if (lower.includes("password") || lower.includes("identified")) {
    SQL_PW.lastIndex = 0;
    for (let m; (m = SQL_PW.exec(s)); ) {
      const v = m[1] ?? m[2] ?? "";
      if (notASecret(v)) continue;
      const start = m.index + m[0].length - 1 - v.length;
      emit("secret_pair", start, start + v.length);
    }
  }
}

// Output of a random-secret generator: `openssl rand -base64 32` → the value (same line after →/=>/:, or next line).
const OPENSSL_RAND =
  /\bopenssl[ \t]+rand[ \t]+-(?:base64|hex)[ \t]+\d{1,4}[^\n]{0,64}?(?:[ \t](?:→|->|=>|:)[ \t]*|\r?\n[ \t]*)([A-Za-z0-9+/]{16,512}={0,2})(?![A-Za-z0-9+/=])/g;
// `vault kv get -field=password secret/x` prints the bare value on the next line: see detectVaultField.
const VAULT_CMD = /\bvault[ \t]+(?:kv[ \t]+get|read)\b/g;
const VAULT_FIELD_NAME = /[A-Za-z0-9_.-]{1,64}/y;
const VAULT_VALUE_LINE = /[ \t]*(\S{1,512})[ \t]*(?=\r?\n|$)/y;

/**
 * A line `vault kv get|read … -field=NAME …` followed by a line holding one token: the token is NAME's value.
 * Same matches as the single expression
 *   \bvault[ \t]+(?:kv[ \t]+get|read)\b[^\n]{0,512}?[ \t]-field=([A-Za-z0-9_.-]{1,64})[^\n]{0,512}\r?\n[ \t]*(\S{1,512})[ \t]*(?=\r?\n|$)
 * (per line, the first command whose next 513 chars hold a usable -field=), worked out line by line: as one
 * regex it retried every "-field=" within 512 chars of every "vault", each with its 64 × 512 backtracking —
 * 0.7 s for 64 KiB of "vault read -field=aaaa…".
 */
function detectVaultField(s: string, emit: Emit) {
  for (let ls = 0, nl = s.indexOf("\n"); nl >= 0; ls = nl + 1, nl = s.indexOf("\n", nl + 1)) {
    VAULT_VALUE_LINE.lastIndex = nl + 1;
    const val = VAULT_VALUE_LINE.exec(s);
    if (!val) continue;
    // Usable flags: NAME (greedy, ≤ 64) ends at most 512 chars before the newline (513 when that is \r\n).
    const fields: { at: number; name: string }[] = [];
    for (let f = s.indexOf("-field=", Math.max(ls + 1, nl - 600)); f >= 0 && f < nl; f = s.indexOf("-field=", f + 1)) {
      if (s.charAt(f - 1) !== " " && s.charAt(f - 1) !== "\t") continue;
      VAULT_FIELD_NAME.lastIndex = f + 7;
      const name = VAULT_FIELD_NAME.exec(s)?.[0];
      const rest = name ? nl - (f + 7 + name.length) : Infinity;
      if (rest <= 512 || (rest === 513 && s.charAt(nl - 1) === "\r")) fields.push({ at: f, name: name! });
    }
    if (fields.length === 0) continue;
    // The line alone (a search of the whole text from each line would be quadratic); its ends are non-word
    // characters either way, so \b reads the same.
    const line = s.slice(ls, nl);
    VAULT_CMD.lastIndex = 0;
    for (let m; (m = VAULT_CMD.exec(line)); ) {
      const cmdEnd = ls + m.index + m[0].length;
      const field = fields.find((f) => f.at - 1 >= cmdEnd && f.at - 1 - cmdEnd <= 512);
      if (!field) continue;
      const v = val[1] ?? "";
      if (isSecretKey(field.name) && !notASecret(v) && !v.startsWith("$")) {
        const end = nl + 1 + val[0].trimEnd().length;
        emit("secret_pair", end - v.length, end);
      }
      break;
    }
  }
}

// Secrets printed by the tools that hold them: the line after `kubectl get secret … | base64 -d`, the value a WAF
// quotes from a password parameter (ModSecurity "Matched Data: X found within ARGS:password"), and the password
// argument in a PHP stack frame (`PDO->__construct('mysql:…', 'user', 'X')`).
const MODSEC = /Matched Data: (\S{1,256}) found within ARGS:[\w.[\]-]{0,64}?(?:pass|pwd|secret|token)/gi;
const PDO_ARGS = /PDO->__construct\('[^'\n]{0,512}', '[^'\n]{0,128}', '([^'\n]{1,256})'/g;
const DECODE = /base64[ \t]+(?:-d|--decode|-D)\b/g;
const NEXT_LINE_VALUE = /[^\n]{0,80}\r?\n([^\s]{4,256})[ \t]*(?=\r?\n|$)/y;

function detectToolOutput({ s, lower, emit }: Ctx) {
  if (lower.includes("matched data")) {
    MODSEC.lastIndex = 0;
    for (let m; (m = MODSEC.exec(s)); ) if (!notASecret(m[1] ?? "")) emit("secret_pair", m.index + 14, m.index + 14 + (m[1] ?? "").length);
  }
  if (s.includes("PDO->")) {
    PDO_ARGS.lastIndex = 0;
    for (let m; (m = PDO_ARGS.exec(s)); ) {
      const v = m[1] ?? "";
      if (!notASecret(v)) emit("secret_pair", m.index + m[0].length - 1 - v.length, m.index + m[0].length - 1);
    }
  }
  if (lower.includes("kubectl") && lower.includes("base64")) {
    DECODE.lastIndex = 0;
    for (let m; (m = DECODE.exec(s)); ) {
      // One secret-named field decoded (`{.data.password}`), not a whole config file (`{.data.alertmanager\.yaml}`).
      const line = linePrefix(s, m.index);
      if (!/\bkubectl\b[^\n]*\bget[ \t]+secrets?\b/.test(line) || !/\{\.data\.[^}]{0,64}(?:pass|pwd|secret|token|key|cred|auth)[^}.]{0,32}\}/i.test(line)) continue;
      NEXT_LINE_VALUE.lastIndex = m.index + m[0].length;
      const v = NEXT_LINE_VALUE.exec(s);
      if (!v?.[1] || v[1].startsWith("$") || notASecret(v[1])) continue;
      const end = NEXT_LINE_VALUE.lastIndex - (v[0].length - v[0].lastIndexOf(v[1]) - v[1].length);
      emit("secret_pair", end - v[1].length, end);
    }
  }
}

function detectCli({ s, lower, emit }: Ctx) {
  if (s.includes("openssl")) {
    OPENSSL_RAND.lastIndex = 0;
    for (let m; (m = OPENSSL_RAND.exec(s)); ) {
      const v = m[1] ?? "";
      emit("secret_pair", m.index + m[0].length - v.length, m.index + m[0].length);
    }
  }
  if (s.includes("-field=")) detectVaultField(s, emit);
  if (lower.includes("curl") || lower.includes("wget")) {
    CURL_USER.lastIndex = 0;
    for (let m; (m = CURL_USER.exec(s)); ) {
      if (!/\b(?:curl|wget)\b/.test(linePrefix(s, m.index))) continue; // `docker run -u 1000:1000` is uid:gid
      const pw = m[2] ?? "";
      if (notASecret(pw)) continue;
      const start = m.index + m[0].length - (m[1] ?? "").length - pw.length;
      emit("basic_auth", start, start + pw.length);
    }
  }
  for (const re of CLI_PW) {
    re.lastIndex = 0;
    for (let m; (m = re.exec(s)); ) {
      let v = m[1] ?? "";
      let start = m.index + m[0].length - v.length;
      if (v.startsWith("'") || v.startsWith('"')) {
        v = v.slice(1, -1);
        start++;
      }
      if (!notASecret(v)) emit("secret_pair", start, start + v.length);
    }
  }
}

/** True for object keys whose string values are secrets wholesale (`{"password": "x"}`). */
export function isSecretKey(key: string): boolean {
  const m = SECRET_KEY_RE.exec(key);
  if (!m) return false;
  if (DIGEST_OF.test(key.slice(0, m.index))) return false;
  if (/^(?:routing|integration)/i.test(m[0])) return false; // only with a random-looking value, see acceptKeyed
  return keyBoundaryOk(key, m.index);
}

// ---------------------------------------------------------------------------------------------------------------
// personal data

const LOCAL_CHAR = /[A-Za-z0-9._%+-]/;
const EMAIL_DOMAIN = /(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9-]|\.[A-Za-z0-9])/y;
// File extensions that are not top-level domains (icon@2x.png, bundle@1.2.js).
const FILE_EXT = new Set(
  (
    "png jpg jpeg gif svg webp ico bmp tif tiff pdf js mjs cjs ts tsx jsx css scss map json yaml yml xml html htm " +
    "txt log csv lock toml ini conf cfg class jar gz tgz bz2 xz exe dll wasm"
  ).split(" "),
);

const MESSAGE_ID_HEADER = /(?:^|[\s,;])(?:Message-ID|In-Reply-To|References|Content-ID|Resent-Message-ID)[ \t]*:[^:]*$/i;

function emailAt(s: string, at: number, sepLen: number, emit: Emit) {
  let start = at;
  while (start > 0 && at - start < 65 && LOCAL_CHAR.test(s.charAt(start - 1))) start--;
  if (start === at || at - start > 64 || (start > 0 && LOCAL_CHAR.test(s.charAt(start - 1)))) return;
  if (!isAlnum(s.charCodeAt(start))) return;
  EMAIL_DOMAIN.lastIndex = at + sepLen;
  const d = EMAIL_DOMAIN.exec(s);
  if (!d) return;
  const local = s.slice(start, at);
  const domain = d[0];
  const encoded = sepLen === 3;
  if (FILE_EXT.has(domain.slice(domain.lastIndexOf(".") + 1).toLowerCase())) return;
  if (/^\d+(?:\.\d+)?x\./i.test(domain)) return; // logo@2x.png, sprite@1.5x.svg
  if (local === "git" && !encoded) return; // git@github.com:org/repo.git
  if (!encoded && s.slice(Math.max(0, start - 3), start) === "://") return; // URL userinfo, not an address
  if (s.charAt(start - 1) === "<" && s.charAt(at + sepLen + domain.length) === ">" && MESSAGE_ID_HEADER.test(linePrefix(s, start))) {
    return; // Message-ID: <CAF8x9_4821.1714564828@mail.gmail.com>
  }
  emit("email", start, at + sepLen + domain.length, `${local}@${domain}`.toLowerCase());
}

function detectEmails({ s, emit }: Ctx) {
  for (let at = s.indexOf("@"); at >= 0; at = s.indexOf("@", at + 1)) emailAt(s, at, 1, emit);
  for (let at = s.indexOf("%40"); at >= 0; at = s.indexOf("%40", at + 3)) emailAt(s, at, 3, emit);
}

const PHONE_INTL =
  /\+[1-9]\d{0,14}(?:[ .-]?\(\d{1,4}\)[ .-]?\d{1,12})?(?:[ .-]\d{1,12}){0,6}(?![\w])/g;
const PHONE_NANP = /(?:\([2-9]\d{2}\)[ .-]?|[2-9]\d{2}([.-]))[2-9]\d{2}[.-]\d{4}(?![\w]|[.-]\d)/g;
// 0-trunk national numbers: 020 7946 0958, 0161 496 0000, 07700 900123, 030 12345678, 089/1234567
const PHONE_TRUNK = /0[1-9]\d{1,4}(?:(?: \d{3,4}){2}|(?:-\d{3,4}){2}| \d{6}|[ /-]\d{5,8})(?![\w]|[.\-:/]\d)/g;
const UNIT_AFTER = /^\s*(?:ms|s|sec|secs|seconds|bytes|b|kb|kib|mb|mib|gb|gib|%)\b/i;
// French national numbers: 04.19.11.20.93, 06 12 34 56 78, 01-42-68-53-00 (one separator throughout).
// One scan for four national shapes (group 2, 3, 4 or 5 says which matched):
// - international with the 00 prefix, spaced: 0049 171 39133950, 0033 4 19 11 20 93;
// - trunk numbers with the area code in brackets: (020) 7946 0958;
// - Indian mobiles with the 0 prefix: 098450 12345, 0 98450 12345.
const PHONE_NATIONAL =
  /(?:(0[1-9]([ .-])\d{2}(?:\2\d{2}){3})|(00[1-9]\d{0,2} [1-9]\d{0,7}(?: \d{1,8}){0,4})|(\(0\d{1,4}\) ?\d{3,4}[ -]?\d{3,4})|(0 ?[6-9]\d{4}[ -]?\d{5}))(?![\w]|[.-]\d)/g;
// Any number right after a phone key or phrase: "mobile 9876543210", {"mobile":"8123456789"}, "msisdn=4477…",
// "call back on 98450 12345", "phone 415 555 0172" (Indian mobiles and space-separated US numbers need this).
const PHONE_KEY =
  /(?:phone|mobile|mobil|handy|cell|tel|telephone|téléphone|telefone|telefono|teléfono|celular|portable|msisdn|whatsapp|fax|recipient|"to"|\bto=|(?:sms|otp|text|message|code)(?: \w{1,12})? (?:sent|dispatched|delivered) to|reach (?:me|us|him|her|them)(?: on| at)?|call(?:back| back| me)?(?: on| at)?)(?:[ _-]?(?:number|no|nr|num|e164))?/gi;
const PHONE_AFTER_KEY =
  /["'.]?[ \t]{0,4}(?:(?:[:=#]|is|on|at|no\.?|nr\.?)[ \t]{0,4})?["']?[ \t]{0,2}(\+?\(?\d[\d \-.()/]{7,20}\d)(?![\w])/iy;
const DATE_LIKE = /^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$|^\d{1,3}(?:\.\d{1,3}){3}$/;

function detectPhoneFields(s: string, emit: Emit) {
  PHONE_KEY.lastIndex = 0;
  for (let m; (m = PHONE_KEY.exec(s)); ) {
    const end = m.index + m[0].length;
    if ((m.index > 0 && /[A-Za-z]/.test(s.charAt(m.index - 1))) || /[A-Za-z]/.test(s.charAt(end))) continue; // hotel, telemetry
    PHONE_AFTER_KEY.lastIndex = end;
    const v = PHONE_AFTER_KEY.exec(s);
    if (!v?.[1]) continue;
    let num = v[1];
    while (/[ .\-(/]$/.test(num)) num = num.slice(0, -1);
    const digits = digitsOnly(num);
    if (digits.length < 9 || digits.length > 15 || DATE_LIKE.test(num)) continue;
    // After a bare "to" key the number must read as a phone, not an epoch or an id ("to=1714568401000"):
    // a separator, a + or 0 prefix, or a 10-digit mobile starting 6-9.
    if (/^(?:"to"|to=)$/i.test(m[0]) && !/[ .\-()]|^[+0]/.test(num) && !/^[6-9]\d{9}$/.test(num)) continue;
    const start = PHONE_AFTER_KEY.lastIndex - v[1].length;
    if (UNIT_AFTER.test(s.slice(start + num.length, start + num.length + 10))) continue;
    emit("phone", start, start + num.length, digits);
  }
}

const PHONE_WORDS = ["phone", "mobil", "handy", "cell", "tel", "portable", "msisdn", "whatsapp", "fax", "call", "recipient", '"to"', "to=", " to ", "reach", "celular"];

function detectPhones({ s, lower, emit }: Ctx) {
  if (PHONE_WORDS.some((w) => lower.includes(w))) detectPhoneFields(s, emit);
  PHONE_NATIONAL.lastIndex = 0;
  for (let m; (m = PHONE_NATIONAL.exec(s)); ) {
    if (m.index > 0 && /[\w+.\-/:]/.test(s.charAt(m.index - 1))) {
      PHONE_NATIONAL.lastIndex = m.index + 1; // inside a longer token: retry from the next position
      continue;
    }
    if (VERSION_BEFORE.test(s.slice(Math.max(0, m.index - 24), m.index))) continue;
    const digits = digitsOnly(m[0]);
    if (m[3] && (digits.length < 11 || digits.length > 17 || /\d ?$/.test(s.slice(Math.max(0, m.index - 2), m.index)))) continue;
    emit("phone", m.index, m.index + m[0].length, digits);
  }
  if (s.includes("+")) {
    PHONE_INTL.lastIndex = 0;
    for (let m; (m = PHONE_INTL.exec(s)); ) {
      if (m.index > 0 && /[\w+]/.test(s.charAt(m.index - 1))) continue;
      let v = m[0];
      while (/[ .-]$/.test(v)) v = v.slice(0, -1);
      const digits = digitsOnly(v);
      if (digits.length < 8 || digits.length > 15) continue;
      const seps = v.slice(1).replace(/[\d()]/g, "");
      if (seps.length === 0 && digits.length < 10) continue; // +12345678: a signed number, not E.164
      if (seps.includes(".") && /[ -]/.test(seps)) continue; // "+12.5 34.2 56.1": decimals
      if (UNIT_AFTER.test(s.slice(m.index + v.length, m.index + v.length + 10))) continue;
      emit("phone", m.index, m.index + v.length, digits);
    }
  }
  PHONE_NANP.lastIndex = 0;
  for (let m; (m = PHONE_NANP.exec(s)); ) {
    let start = m.index;
    if (/^1[ .-]$/.test(s.slice(start - 2, start)) && !/[\w+.-]/.test(s.charAt(start - 3))) start -= 2; // 1-800-…
    if (start > 0 && /[\w+.-]/.test(s.charAt(start - 1))) continue;
    const digits = digitsOnly(s.slice(start, m.index + m[0].length));
    emit("phone", start, m.index + m[0].length, digits.length === 10 ? `1${digits}` : digits);
  }
  PHONE_TRUNK.lastIndex = 0;
  for (let m; (m = PHONE_TRUNK.exec(s)); ) {
    if (m.index > 0 && /[\w+.\-/:]/.test(s.charAt(m.index - 1))) continue;
    const digits = digitsOnly(m[0]);
    const max = /^01[5-7]/.test(digits) ? 12 : 11; // German mobiles: 0171 39133950
    if (digits.length < 10 || digits.length > max) continue;
    emit("phone", m.index, m.index + m[0].length, digits);
  }
}

const CARD = /\b\d{4}(?:([ -])\d{3,6}(?:\1\d{1,6}){1,3}|\d{9,15})(?![\w]|[.:/-]\d)/g;
const ID_CONTEXT =
  /(?:^|[^A-Za-z])(?:id|ids|ref|offset|seq|ts|nonce|trace|span|order|invoice|shipment|sku|ean)["']?[ \t]*[:=#]?[ \t]*["']?$/i;

function cardBrandOk(d: string): boolean {
  const n = d.length;
  const p2 = Number(d.slice(0, 2));
  const p3 = Number(d.slice(0, 3));
  const p4 = Number(d.slice(0, 4));
  if (d[0] === "4") return n === 13 || n === 16 || n === 19; // Visa
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return n === 16; // Mastercard
  if (p2 === 34 || p2 === 37) return n === 15; // Amex
  if ((p3 >= 300 && p3 <= 305) || p2 === 36 || p2 === 38 || p2 === 39) return n >= 14 && n <= 19; // Diners
  if (p4 >= 3528 && p4 <= 3589) return n >= 16 && n <= 19; // JCB
  if (d[0] === "6" || p2 === 50 || (p2 >= 56 && p2 <= 58)) return n >= 16 && n <= 19; // Discover, UnionPay, Maestro
  return false;
}

function detectCards({ s, emit }: Ctx) {
  CARD.lastIndex = 0;
  for (let m; (m = CARD.exec(s)); ) {
    const jsonNumber = s.charAt(m.index - 1) === ":" && /["']/.test(s.charAt(m.index - 2)); // {"pan":4474…}
    if (m.index > 0 && /[\w.:/-]/.test(s.charAt(m.index - 1)) && !jsonNumber) {
      CARD.lastIndex = m.index + 1; // part of a longer token: retry from the next position
      continue;
    }
    const whole = m[0];
    if (!/[ -]/.test(whole)) {
      if (ID_CONTEXT.test(s.slice(Math.max(0, m.index - 24), m.index))) continue; // dd.trace_id=4213987654321098765
      if (cardBrandOk(whole) && luhn(whole)) emit("card", m.index, m.index + whole.length, whole);
      continue;
    }
    // Grouped: 4-4-4-4(-3) or 4-6-5 / 4-6-4. A trailing group may belong to what follows ("… 4444 2024").
    const parts = whole.split(/[ -]/);
    for (let k = parts.length; k >= 3; k--) {
      const groups = parts.slice(0, k);
      const d = groups.join("");
      if (d.length < 13 || d.length > 19) continue;
      const fours = groups.slice(0, -1).every((g) => g.length === 4);
      const amex = k === 3 && groups[0]?.length === 4 && groups[1]?.length === 6;
      if ((!fours && !amex) || !cardBrandOk(d) || !luhn(d)) continue;
      emit("card", m.index, m.index + d.length + k - 1, d);
      break;
    }
  }
}

const IBAN_LEN: Record<string, number> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, BY: 28, CH: 21, CR: 22, CY: 28,
  CZ: 24, DE: 22, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18,
  GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32,
  LI: 21, LT: 20, LU: 20, LV: 21, MC: 27, MD: 24, ME: 22, MK: 19, MR: 27, MT: 31, MU: 30, NL: 18, NO: 15, PK: 24,
  PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, SA: 24, SC: 31, SE: 24, SI: 19, SK: 24, SM: 27, TN: 24, TR: 26,
  UA: 29, VA: 22, VG: 24, XK: 20,
};
const IBAN = /[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![A-Za-z0-9])/g;

function detectIbans({ s, emit }: Ctx) {
  IBAN.lastIndex = 0;
  for (let m; (m = IBAN.exec(s)); ) {
    const v = m[0];
    if (m.index > 0 && isAlnum(s.charCodeAt(m.index - 1))) continue;
    const len = IBAN_LEN[v.slice(0, 2)];
    if (!len) continue;
    // Cut at the country's length; the cut must fall on a group boundary ("… 0130 00 BIC …").
    let count = 0;
    let end = 0;
    while (end < v.length && count < len) {
      if (v.charAt(end) !== " ") count++;
      end++;
    }
    if (count !== len || (end < v.length && v.charAt(end) !== " ")) continue;
    const compact = v.slice(0, end).replace(/ /g, "");
    if (ibanValid(compact)) emit("iban", m.index, m.index + end, compact);
  }
}

// SSA rules: no 000 / 666 / 9xx area, no 00 group, no 0000 serial.
const SSN = /\d{3}-\d{2}-\d{4}(?![\w-])/g;
const SSN_VALID = /^(?!000|666|9)\d{3}-(?!00)\d{2}-(?!0000)/;

// Without dashes or with spaces only next to an SSN key or label: "ssn=536221234", "SSN: 078 05 1121".
const SSN_LOOSE = /\d{3}([ .-]?)\d{2}\1\d{4}(?![\w-])/g;
const SSN_LABEL_BEFORE = /(?:ssn|social[ _-]?security(?:[ _-]?(?:number|no|nr))?|tax[ _-]?id|\bi?tin\b)[^\n\d]{0,16}$/i;
const SSN_LABEL_AFTER = /^[ \t]*[(\[]?[ \t]*(?:ssn|social security)\b/i;

function detectSsnFields(s: string, lower: string, emit: Emit) {
  SSN_LOOSE.lastIndex = 0;
  for (let m; (m = SSN_LOOSE.exec(s)); ) {
    if (m.index > 0 && /[\w-]/.test(s.charAt(m.index - 1))) {
      SSN_LOOSE.lastIndex = m.index + 1;
      continue;
    }
    const d = m[0];
    const digits = digitsOnly(d);
    // Without dashes, under an SSN label the value is masked whatever the issuing rules say (ITINs start
    // with 9, test data breaks them); only an all-zero part marks a placeholder. Dashed ones keep the SSA rules
    // (detectSsns), as "ssn=666-45-6789" is a classic fake.
    if (m[1] === "-" || /^000|^\d{3}00|0000$/.test(digits)) continue;
    const end = m.index + d.length;
    if (SSN_LABEL_BEFORE.test(lower.slice(Math.max(0, m.index - 40), m.index)) || SSN_LABEL_AFTER.test(s.slice(end, end + 24))) {
      emit("ssn", m.index, end, digits);
    }
  }
}

function detectSsns({ s, lower, emit }: Ctx) {
  if (lower.includes("ssn") || lower.includes("social") || lower.includes("tax") || lower.includes("tin")) detectSsnFields(s, lower, emit);
  if (!s.includes("-")) return;
  SSN.lastIndex = 0;
  for (let m; (m = SSN.exec(s)); ) {
    if (m.index > 0 && /[\w-]/.test(s.charAt(m.index - 1))) {
      SSN.lastIndex = m.index + 1;
      continue;
    }
    if (SSN_VALID.test(m[0])) emit("ssn", m.index, m.index + m[0].length, digitsOnly(m[0]));
  }
}

const IPV4 = /(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\w]|\.\d)/g;
const VERSION_BEFORE =
  /(?:^|[^A-Za-z])(?:v|ver|version|release|build|firmware|fw|driver|kernel|bios|revision|rev|(?:upgraded?|downgraded?|updated?|bump(?:ed)?|rolled back|pinned) to|(?:[a-z]+_)?version|app|sdk|min_supported|max_supported|reported)["']?[ \t]*[:=]?[ \t]*["']?$/i;
// "rollback of checkout to 2.6.9.22", "deploying orders-api 3.4 → to 4.0.1.2": a release verb a few words back.
const RELEASE_TO = /\b(?:roll(?:ed|ing)?[ -]?back|revert(?:ed|ing)?|deploy(?:ed|ing)?|promot(?:e|ed|ing)|upgrad(?:e|ed|ing)|downgrad(?:e|ed|ing)|migrat(?:e|ed|ing)|pin(?:ned)?)\b[^\n]{0,48}[ \t]to[ \t]*$/i;
// Between two versions: "3.2.1.9 (was 3.2.1.8)", "7.4.2.1 -> 7.4.2.3", "3.2.1.8 to 3.2.1.9".
const BETWEEN_VERSIONS = /^[\s(),;:]*(?:(?:was|from|to|previously|prev|vs\.?|and|or|then|->|→|=>)[\s(),;:]*)?$/i;
// "Chrome/124.0.0.0", "Edg/124.0.0.0": a product token and its version.
const PRODUCT_BEFORE = /(?:^|[\s(;,"'])[A-Za-z][A-Za-z0-9._-]{0,30}\/$/;
// "acme/orders-api:4.0.8.30": an image tag.
const IMAGE_NAME = /^[a-z0-9][a-z0-9._-]{0,127}(?::\d{1,5})?(?:\/[a-z0-9._-]{1,127}){1,4}$/;

/** True when the token ending at `colon` (exclusive) is an image repository name ("acme/orders-api"). */
function imageBefore(s: string, colon: number): boolean {
  let i = colon;
  while (i > 0 && colon - i < 256 && /[a-z0-9._/:-]/.test(s.charAt(i - 1))) i--; // ":" for a registry port
  if (i > 0 && !/[\s"'=,(]/.test(s.charAt(i - 1))) return false;
  return IMAGE_NAME.test(s.slice(i, colon));
}
const CIDR_AFTER = /^\/\d{1,3}(?!\d)/;

/** Private (RFC 1918), loopback, link-local, CGNAT and "this network": infrastructure, not a person. */
function privateV4(v: string): boolean {
  const [a = 0, b = 0] = v.split(".").map(Number);
  return a === 10 || a === 127 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
}

/** Loopback, link-local (fe80::/10), unique local (fc00::/7) and IPv4-mapped private addresses. */
function privateV6(canon: string): boolean {
  if (canon === "::1") return true;
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canon); // ::ffff:10.0.0.5, canonical "::ffff:a00:5"
  if (mapped) {
    const hi = parseInt(mapped[1] ?? "0", 16);
    const lo = parseInt(mapped[2] ?? "0", 16);
    return privateV4(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
  }
  const first = parseInt(canon.split(":")[0] || "0", 16);
  return (first & 0xffc0) === 0xfe80 || (first & 0xfe00) === 0xfc00;
}

function detectIpv4({ s, emit, opts }: Ctx) {
  if (!s.includes(".")) return;
  IPV4.lastIndex = 0;
  let lastVersionEnd = -1;
  for (let m; (m = IPV4.exec(s)); ) {
    const prev = m.index > 0 ? s.charCodeAt(m.index - 1) : 32;
    if (isAlnum(prev) || prev === 95 || (prev === 46 && m.index > 1 && /\w/.test(s.charAt(m.index - 2)))) {
      IPV4.lastIndex = m.index + 1; // v1.2.3.4, 1.3.6.1.2.1 (OIDs): not an address
      continue;
    }
    const v = m[0];
    const end = m.index + v.length;
    if (v === "0.0.0.0" || v.startsWith("255.")) continue; // bind-all and netmasks identify no one
    const before = s.slice(Math.max(0, m.index - 80), m.index);
    if (
      VERSION_BEFORE.test(before.slice(-24)) ||
      (/to[ \t]*$/i.test(before) && RELEASE_TO.test(before)) ||
      (lastVersionEnd >= 0 && m.index - lastVersionEnd <= 24 && BETWEEN_VERSIONS.test(s.slice(lastVersionEnd, m.index))) ||
      (prev === 47 && PRODUCT_BEFORE.test(before.slice(-32))) ||
      (prev === 58 && imageBefore(s, m.index - 1))
    ) {
      lastVersionEnd = end;
      continue;
    }
    if (!opts.maskPrivateAddresses && (privateV4(v) || CIDR_AFTER.test(s.slice(end, end + 4)))) continue;
    emit("ipv4", m.index, end, v);
  }
}

const isHex = (c: number) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const V4_TAIL = /\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?![\d.])/y;

function detectIpv6({ s, emit, opts }: Ctx) {
  let scanned = 0;
  for (let c = s.indexOf(":"); c >= 0; c = s.indexOf(":", Math.max(c + 1, scanned))) {
    // the maximal run of hex digits and colons around this colon
    let start = c;
    while (start > 0 && c - start < 40 && (isHex(s.charCodeAt(start - 1)) || s.charCodeAt(start - 1) === 58)) start--;
    let end = c + 1;
    while (end < s.length && end - start < 46 && (isHex(s.charCodeAt(end)) || s.charCodeAt(end) === 58)) end++;
    scanned = end;
    if (start > 0 && /[\w.]/.test(s.charAt(start - 1))) continue; // std::vector, Foo::bar, a.b:c
    // Full form needs 7 colons (6 before an embedded IPv4); anything shorter must use "::". Times stop here.
    let colons = 0;
    for (let i = start; i < end; i++) if (s.charCodeAt(i) === 58) colons++;
    if (colons < 6 && !s.slice(start, end).includes("::")) continue;
    // embedded IPv4 (::ffff:192.0.2.1)
    const lastColon = s.lastIndexOf(":", end - 1);
    if (s.charAt(end) === "." && lastColon >= start) {
      V4_TAIL.lastIndex = lastColon + 1;
      const t = V4_TAIL.exec(s);
      if (t) end = V4_TAIL.lastIndex;
    }
    scanned = end;
    const v = s.slice(start, end);
    if (v.length < 2 || v.length > 45) continue;
    const next = s.charAt(end);
    if (/\w/.test(next) || (next === "." && /\d/.test(s.charAt(end + 1)))) continue; // 12:00:01.123, abc:def:ghi
    if (!/\d/.test(v)) continue; // dead::beef: not worth the risk
    const groups = v.split(/::?/).filter((g) => g !== "");
    if (v.includes("::")) {
      if (groups.length === 0) continue; // "::" (unspecified) is kept
      if (!v.startsWith("::") && (groups.length < 2 || (groups[0]?.length ?? 0) < 2)) continue; // x[1::2] slices
    } else if (groups.every((g) => g.length === 2)) {
      continue; // MAC / EUI-64 / certificate serials
    }
    let canon = canonicalIpv6(v);
    // HAProxy logs an IPv6 client and its port unbracketed: 2a00:23c6:…:e41:34338. Eight groups then a
    // decimal port: the address is the first eight.
    if (!canon && colons === 8 && !v.includes("::")) {
      const port = v.lastIndexOf(":");
      if (/^\d{1,5}$/.test(v.slice(port + 1)) && (canon = canonicalIpv6(v.slice(0, port)))) end = start + port;
    }
    if (!canon) continue;
    const loopbackPort = /^::1:\d{1,5}$/.test(v) && s.charAt(start - 1) !== "["; // ECONNREFUSED ::1:6379
    if (!opts.maskPrivateAddresses && (privateV6(canon) || loopbackPort || CIDR_AFTER.test(s.slice(end, end + 4)))) continue;
    emit("ipv6", start, end, canon);
  }
}

// ---------------------------------------------------------------------------------------------------------------

// Detector families behind one cheap test each: most log lines carry no token-shaped string and no secret word,
// and on short lines the number of native calls, not the bytes, sets the cost.
// (No leading lookbehinds on these paths: V8 would then test them at every position, ~10x slower.)
// Checked with includes() on the lowercased text: a dozen native substring searches beat one long alternation.
const GATE_WORDS = ["pass", "pw", "secret", "token", "key", "basic", "bearer", "cred", "login", "identified", "aws", "auth", "signature", "パスワード", "pdo->", "matched data", "sess", "sid", "remember", "securestring", "wort", "contrase", "senha", "senord", "hasło", "haslo", "пароль", "net user", "smb", "sudo"];
const FLAG_GATE = /[ \t]-(?:[pawuP]|field=|base64|hex)|--(?:pass|user)/;
const CLI_GATE = /openssl|vault|mysql|mariadb|redis-cli|ldap|sshpass|docker[ \t]+login|az[ \t]+login|clickhouse|mongo|influx|sqlcmd|rabbitmqadmin|curl|wget/;

// Names, addresses and dates of birth need a capitalized word, a house number or a birth keyword.
const PERSONAL_GATE = /[A-Z][a-z]|\d[ ,]|[a-z][._][a-z]{2,20}:|@[a-z]/;
const BIRTH_GATE = /dob|birth|born|geb|naissance|nacimiento|nascimento|nascita|geboorte|nat[oa] il|nacid|nascid|né le|生年月日|誕生日/;
const WORD_DETECTORS = [detectAwsSecret, detectBasic, detectBearer, detectAuthSchemes, detectKeyed, detectSessions, detectShellSecrets, detectToolOutput];
const ALWAYS = [detectTokens, detectUrlPasswords, detectEmails, detectIbans, detectCards, detectSsns, detectIpv6, detectIpv4, detectPhones];

function runDetectors(ctx: Ctx) {
  const { s } = ctx;
  ctx.lower = asciiLower(s);
  const words = GATE_WORDS.some((w) => ctx.lower.includes(w));
  const cli = FLAG_GATE.test(s) && CLI_GATE.test(s); // command lines are lowercase
  const personal = PERSONAL_GATE.test(s) || BIRTH_GATE.test(ctx.lower);
  if (words) for (const d of WORD_DETECTORS) d(ctx);
  if (cli) detectCli(ctx);
  for (const d of ALWAYS) d(ctx);
  if (personal) detectPersonal(s, ctx.lower, (type, start, end) => ctx.emit(type, start, end));
}

// Secrets found by context are also replaced where they recur without it ("login is admin / S3cret!-24", then
// "password: S3cret!-24"). Letters-only values are not propagated: "postgres" also names the image.
const PROPAGATE = new Set<PiiType>(["secret_pair", "url_password", "basic_auth", "bearer", "aws_secret_key"]);
const PROPAGATE_MAX = 32;

/** Calls `visit` with every start of `v` in `s`, overlapping ones included, in O(|s| + |v|) (Knuth-Morris-Pratt):
 *  an indexOf loop re-compares the value at each occurrence, which costs |s| × |v| when a long value repeats
 *  in a long periodic run ("a1a1a1…"). */
function forEachOccurrence(s: string, v: string, visit: (i: number) => void): void {
  const first = s.indexOf(v);
  if (first < 0) return;
  const fail = new Int32Array(v.length);
  for (let i = 1, k = 0; i < v.length; i++) {
    while (k > 0 && v.charCodeAt(i) !== v.charCodeAt(k)) k = fail[k - 1]!;
    if (v.charCodeAt(i) === v.charCodeAt(k)) k++;
    fail[i] = k;
  }
  for (let i = first, k = 0; i < s.length; i++) {
    while (k > 0 && s.charCodeAt(i) !== v.charCodeAt(k)) k = fail[k - 1]!;
    if (s.charCodeAt(i) === v.charCodeAt(k)) k++;
    if (k === v.length) {
      visit(i - v.length + 1);
      k = fail[k - 1]!;
    }
  }
}

function asciiLower(s: string): string {
  const l = s.toLowerCase();
  return l.length === s.length ? l : s.replace(/[A-Z]+/g, (x) => x.toLowerCase());
}

export interface DetectOptions {
  /** Mask private, loopback, link-local and CGNAT addresses and CIDR blocks too (default: kept). */
  maskPrivateAddresses?: boolean;
}

/** All detected spans, non-overlapping, sorted by start. */
export function detect(s: string, opts: DetectOptions = {}): Span[] {
  const cands: Candidate[] = [];
  const emit: Emit = (type, start, end, norm) => {
    if (end > start) cands.push({ type, start, end, norm: norm ?? s.slice(start, end), rank: RANK.get(type) ?? 99 });
  };
  const ctx: Ctx = { s, lower: "", emit, opts };
  runDetectors(ctx);
  if (cands.length === 0) return [];
  cands.sort((a, b) => a.rank - b.rank || a.start - b.start || b.end - a.end);
  const claimed = new Uint8Array(s.length);
  // Placeholders from an earlier pass are never redacted again ("<aws_access_key:…>" looks like key: value).
  if (s.includes(">")) {
    PLACEHOLDER.lastIndex = 0;
    for (let m; (m = PLACEHOLDER.exec(s)); ) if (TYPE_SET.has(m[1] ?? "")) claimed.fill(1, m.index, m.index + m[0].length);
  }
  const out: Span[] = [];
  const take = (c: Span) => {
    for (let i = c.start; i < c.end; i++) if (claimed[i]) return;
    claimed.fill(1, c.start, c.end);
    out.push({ type: c.type, start: c.start, end: c.end, norm: c.norm });
  };
  for (const c of cands) take(c);
  // At most PROPAGATE_MAX distinct values, each one linear pass (forEachOccurrence): linear in the text whatever it holds.
  const seen = new Set<string>();
  for (const sp of [...out]) {
    const v = s.slice(sp.start, sp.end);
    if (!PROPAGATE.has(sp.type) || v.length < 8 || !/[^A-Za-z]/.test(v) || seen.has(v)) continue;
    if (seen.size >= PROPAGATE_MAX) break;
    seen.add(v);
    forEachOccurrence(s, v, (i) => {
      const before = i > 0 ? s.charCodeAt(i - 1) : 32;
      const after = i + v.length < s.length ? s.charCodeAt(i + v.length) : 32;
      if (!isAlnum(before) && !isAlnum(after)) take({ type: sp.type, start: i, end: i + v.length, norm: sp.norm });
    });
  }
  return out.sort((a, b) => a.start - b.start);
}

export { notASecret };
