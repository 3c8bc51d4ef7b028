// PII and secret detection for exports and embeddings. Pure, synchronous, no I/O.
//
// Every detector is a bounded regular expression or an indexOf scan, so matching stays linear in the input
// (linear-time.timing.test.ts holds every detector to 200 ms of CPU per 64 KiB of adversarial text). Rules that keep it
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


import { detectPersonal, reusableGivenName } from "@/lib/redact/personal";
import { type Ctx, type DetectOptions, type Emit, isAlnum, PII_TYPES, type PiiType, type Span } from "@/lib/redact/detect-common";
import { detectEmails, detectPhones } from "@/lib/redact/detect-contact";
import { detectIpv4, detectIpv6 } from "@/lib/redact/detect-network";
import { detectCards, detectIbans, detectSsns } from "@/lib/redact/detect-numbers";
import { detectAuthSchemes, detectAwsSecret, detectBasic, detectBearer, detectCli, detectKeyed, detectSessions, detectShellSecrets, detectTokens, detectToolOutput, detectUrlPasswords } from "@/lib/redact/detect-secrets";

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

// ---------------------------------------------------------------------------------------------------------------

// Detector families behind one cheap test each: most log lines carry no token-shaped string and no secret word,
// and on short lines the number of native calls, not the bytes, sets the cost.
// (No leading lookbehinds on these paths: V8 would then test them at every position, ~10x slower.)
// Checked with includes() on the lowercased text: a dozen native substring searches beat one long alternation.
const GATE_WORDS = ["pass", "pw", "recovery", "backup", "seed", "secret", "token", "key", "basic", "bearer", "cred", "login", "identified", "aws", "auth", "signature", "パスワード", "pdo->", "matched data", "sess", "sid", "remember", "securestring", "wort", "contrase", "senha", "senord", "hasło", "haslo", "пароль", "net user", "smb", "sudo", "woord", "passord", "adgangskode", "salasana", "heslo", "jelsz", "parola", "lozinka", "geslo", "şifre", "sifre", "parol", "κωδικ", "mật khẩu", "sandi", "密码", "비밀번호", "sig=", "ssws"];
const FLAG_GATE = /[ \t]-(?:[pawuP]|field=|base64|hex)|--(?:pass|user)/;
const CLI_GATE = /openssl|vault|mysql|mariadb|redis-cli|ldap|sshpass|docker[ \t]+login|az[ \t]+login|clickhouse|mongo|influx|sqlcmd|rabbitmqadmin|curl|wget/;

// Names, addresses and dates of birth need a capitalized word, a house number or a birth keyword.
const PERSONAL_GATE = /[A-Z][a-z]|\d[ ,]|[a-z][._][a-z]{2,20}:|@[a-z]|[A-Z]{2} [A-Z]{2}/; // the last: `holder="TĀNE PARATA"` in a lower-case log
// Lowercase names ("thanks hannelore", "assigned to minh tran") come after a greeting or a role phrase.
const LOWER_NAME_GATE = /(?:^|[^a-z])(?:thanks|thx|hi|hey|hello|dear|cc|assigned to|escalated to|behalf of|loop in|reported by|requested by|owner|customer|contact)[ \t:,]/;
const BIRTH_GATE = /dob|d\.o\.b|\bb\. ?\d|syntyn|nac\.|birth|born|b_?day|geb|naissance|nacimiento|nascimento|nascita|geboorte|nat[oa] il|nacid|nascid|né le|urodz|syntym|födelse|född|fødsel|født|fødd|doğum|dogum tarihi|生年月日|誕生日|出生|생년월일|생일|született|narozen|nașterii|nasterii|născut/;
const WORD_DETECTORS = [detectAwsSecret, detectBasic, detectBearer, detectAuthSchemes, detectKeyed, detectSessions, detectShellSecrets, detectToolOutput];
const ALWAYS = [detectTokens, detectUrlPasswords, detectEmails, detectIbans, detectCards, detectSsns, detectIpv6, detectIpv4, detectPhones];

function runDetectors(ctx: Ctx) {
  const { s } = ctx;
  ctx.lower = asciiLower(s);
  const words = GATE_WORDS.some((w) => ctx.lower.includes(w));
  const cli = FLAG_GATE.test(s) && CLI_GATE.test(s); // command lines are lowercase
  const personal = PERSONAL_GATE.test(s) || BIRTH_GATE.test(ctx.lower) || LOWER_NAME_GATE.test(ctx.lower);
  if (words) for (const d of WORD_DETECTORS) d(ctx);
  if (cli) detectCli(ctx);
  for (const d of ALWAYS) d(ctx);
  if (personal) detectPersonal(s, ctx.lower, (type, start, end) => ctx.emit(type, start, end));
}

// Secrets found by context are also replaced where they recur without it ("login is admin / S3cret!-24", then
// "password: S3cret!-24"). Letters-only values are not propagated: "postgres" also names the image.
const PROPAGATE = new Set<PiiType>(["secret_pair", "url_password", "basic_auth", "bearer", "aws_secret_key"]);
const PROPAGATE_MAX = 32;

/** Calls `visit` with every start of `v` in `s` that may still be taken, in O(|s| + |v|). An occurrence that
 *  `visit` takes or finds masked already (returns true) covers its span, so the search resumes after it with
 *  native indexOf. Rejected
 *  occurrences resume one char later; after 64 of them the rest is scanned with Knuth-Morris-Pratt, since an
 *  indexOf loop re-compares the value at each occurrence and costs |s| × |v| when a long value repeats in a long
 *  periodic run ("a1a1a1…"). */
function forEachOccurrence(s: string, v: string, visit: (i: number) => boolean, starts?: readonly number[]): void {
  // A long value is found from its first 16 chars, then compared whole: V8's indexOf of a long pattern can cost
  // |s| × |v| on a periodic text even without any occurrence ("a&aaa…" in a run of "a").
  const head = v.length > 64 ? v.slice(0, 16) : v;
  // `starts`: every start of `head` in `s`, ascending (occurrenceStarts); then it stands in for indexOf.
  let k = 0;
  const next = starts
    ? (from: number) => {
        while (k < starts.length && starts[k]! < from) k++;
        return k < starts.length ? starts[k]! : -1;
      }
    : (from: number) => s.indexOf(head, from);
  let misses = 0;
  for (let i = next(0); i >= 0; ) {
    if (head !== v && !s.startsWith(v, i)) {
      if (++misses > 64) return kmpFrom(s, v, i + 1, visit);
      i = next(i + 1);
    } else if (visit(i)) i = next(i + v.length);
    else if (++misses > 64) return kmpFrom(s, v, i + 1, visit);
    else i = next(i + 1);
  }
}

/** Every start of each of `heads` in `s` (overlapping ones too), ascending: one scan of the text for all of them
 *  instead of one indexOf pass per value. Each start of a head is a position where the alternation matches, and the
 *  scan resumes one char after every match, so none is skipped. Null past OCCURRENCE_SCAN_HITS starts (a value
 *  repeated through a periodic run, "a1a1…"): the indexOf passes, with their KMP fallback, are linear there. */
function occurrenceStarts(s: string, heads: readonly string[]): Map<string, number[]> | null {
  const starts = new Map<string, number[]>(heads.map((h) => [h, []]));
  const re = new RegExp(heads.map((h) => h.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&")).join("|"), "g");
  let hits = 0;
  for (let m; (m = re.exec(s)); ) {
    if (++hits > OCCURRENCE_SCAN_HITS) return null;
    for (const h of heads) if (s.startsWith(h, m.index)) starts.get(h)!.push(m.index);
    re.lastIndex = m.index + 1;
  }
  return starts;
}
const OCCURRENCE_SCAN_HITS = 1024;
// Below this length (or for one value) the indexOf passes are cheaper than compiling the alternation.
const OCCURRENCE_SCAN_MIN = 16384;

function kmpFrom(s: string, v: string, from: number, visit: (i: number) => boolean): void {
  const fail = new Int32Array(v.length);
  for (let i = 1, k = 0; i < v.length; i++) {
    while (k > 0 && v.charCodeAt(i) !== v.charCodeAt(k)) k = fail[k - 1]!;
    if (v.charCodeAt(i) === v.charCodeAt(k)) k++;
    fail[i] = k;
  }
  for (let i = from, k = 0; i < s.length; i++) {
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
  const take = (c: Span): boolean => {
    for (let i = c.start; i < c.end; i++) if (claimed[i]) return false;
    claimed.fill(1, c.start, c.end);
    out.push({ type: c.type, start: c.start, end: c.end, norm: c.norm });
    return true;
  };
  for (const c of cands) take(c);
  // At most PROPAGATE_MAX distinct values, each one linear pass (forEachOccurrence): linear in the text whatever it holds.
  const seen = new Set<string>();
  const values: [Span, string][] = [];
  for (const sp of out) {
    const v = s.slice(sp.start, sp.end);
    if (!PROPAGATE.has(sp.type) || v.length < 8 || !/[^A-Za-z]/.test(v) || seen.has(v)) continue;
    if (seen.size >= PROPAGATE_MAX) break;
    seen.add(v);
    values.push([sp, v]);
  }
  const headOf = (v: string) => (v.length > 64 ? v.slice(0, 16) : v);
  const starts = values.length > 1 && s.length >= OCCURRENCE_SCAN_MIN ? occurrenceStarts(s, [...new Set(values.map(([, v]) => headOf(v)))]) : null;
  for (const [sp, v] of values) {
    forEachOccurrence(s, v, (i) => {
      const before = i > 0 ? s.charCodeAt(i - 1) : 32;
      const after = i + v.length < s.length ? s.charCodeAt(i + v.length) : 32;
      if (claimed[i] && claimed[i + v.length - 1]) return true; // already masked (usually where it was found)
      return !isAlnum(before) && !isAlnum(after) && take({ type: sp.type, start: i, end: i + v.length, norm: sp.norm });
    }, starts?.get(headOf(v)));
  }
  // A person's given name recurs alone a little later ("Customer Brigid Fitzgerald called …; Brigid was polite"):
  // searched in the NAME_REUSE_WINDOW chars after each of the first NAME_REUSE_MAX full names, written with the same
  // capitals and standing as a word of its own. Bounded windows, so a long line of many names stays cheap.
  let named = 0;
  for (const sp of [...out]) {
    if (sp.type !== "person_name" || named >= NAME_REUSE_MAX) continue;
    const g = reusableGivenName(s.slice(sp.start, sp.end));
    if (!g) continue;
    named++;
    const limit = Math.min(s.length, sp.end + NAME_REUSE_WINDOW);
    // Searched in the window only: an indexOf over the whole text ran on to the next far occurrence (or the end).
    const win = s.slice(0, limit);
    for (let i = win.indexOf(g, sp.end); i >= 0 && i + g.length <= limit; i = win.indexOf(g, i + g.length)) {
      if (claimed[i] || NAME_GLUE.test(s.charAt(i - 1))) continue;
      const j = i + g.length;
      if (NAME_GLUE_AFTER.test(s.charAt(j)) && !POSSESSIVE.test(s.slice(j, j + 3))) continue; // "Björn's" is Björn
      take({ type: "person_name", start: i, end: j, norm: g });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}
const NAME_REUSE_MAX = 64;
const NAME_REUSE_WINDOW = 2048;
const NAME_GLUE = /[\p{L}\p{M}\d_@./#$&'’-]/u;
const NAME_GLUE_AFTER = /[\p{L}\p{M}\d_@'’-]/u;
const POSSESSIVE = /^['’]s(?![\p{L}\d])/u;

// The families live in detect-common / -secrets / -contact / -numbers / -network; callers import from here.
export { classifyKeyed, isSecretKey } from "@/lib/redact/detect-secrets";
export { notASecret, PII_TYPES, type DetectOptions, type PiiType, type Span } from "@/lib/redact/detect-common";
