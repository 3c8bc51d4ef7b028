// Secrets: private keys, shaped tokens (JWT, AWS, GitHub, Slack, vendor API keys), URL passwords, Basic/Bearer and
// other Authorization schemes, key = value and prose passwords, session cookies, command lines and tool output.
// The linear-time rules in detect.ts apply to every pattern here.
import { B64_40, b64urlJsonObject, type Ctx, type Emit, glued, isAlnum, isDigit, isLower, isUpper, linePrefix, lineStart, looksRandom, notASecret, type PiiType } from "@/lib/redact/detect-common";

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

export function detectAwsSecret({ s, lower, emit }: Ctx) {
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
  // round 5: more documented prefixes
  "(?:rzp|shippo|duffel)_(?:live|test)_[A-Za-z0-9_-]{14,64}", // Razorpay, Shippo, Duffel
  "lin_api_[A-Za-z0-9]{40}", // Linear
  "ntn_[A-Za-z0-9]{40,50}", // Notion
  "secret_[A-Za-z0-9]{43}", // Notion (integration secret)
  "sntry[su]_[A-Za-z0-9+/=_-]{40,256}", // Sentry
  "gsk_[A-Za-z0-9]{48,56}", // Groq
  "r8_[A-Za-z0-9]{37}", // Replicate
  "figd_[A-Za-z0-9_-]{40,44}", // Figma
  "pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_.-]{32,64}", // PlanetScale
  "sbp_[a-f0-9]{40}", // Supabase
  "nfp_[A-Za-z0-9]{36,40}", // Netlify
  "fo1_[A-Za-z0-9_-]{39,50}", // Fly.io
  "bkua_[a-f0-9]{40}", // Buildkite
  "dapi[a-f0-9]{32}(?:-\\d)?", // Databricks
  "NRAK-[A-Z0-9]{27}", // New Relic
  "PMAK-[a-f0-9]{24}-[a-f0-9]{34}", // Postman
  "CFPAT-[A-Za-z0-9_-]{43}", // Contentful
  "pplx-[A-Za-z0-9]{48}", // Perplexity
  "pul-[a-f0-9]{40}", // Pulumi
  "tskey-(?:auth|api|client|scim|webhook)-[A-Za-z0-9]{6,20}-[A-Za-z0-9]{16,64}", // Tailscale
  "sq0(?:csp|atp|idp)-[A-Za-z0-9_-]{22,64}", // Square
  "xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}", // Brevo
  "FLWSECK(?:_TEST)?-[a-f0-9]{32}-X", // Flutterwave
  "gl(?:dt|rt|ptt|ft|imt|agent|oas|cbt|soat)-[0-9A-Za-z_-]{20,64}", // GitLab deploy/runner/trigger/… tokens
  "dt0c01\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}", // Dynatrace
  "dp\\.(?:st|pt|sa|ct|scim|audit)\\.[A-Za-z0-9_.-]{40,128}", // Doppler
  "ATATT3[A-Za-z0-9_=-]{100,300}", // Atlassian API token
  "EAAA[A-Za-z0-9_-]{60,255}", // Square / Meta access tokens
  "LTAI[A-Za-z0-9]{12,20}", // Alibaba Cloud
  "AGE-SECRET-KEY-1[0-9A-Z]{58}", // age
  "key-[a-f0-9]{32}", // Mailgun
  "sk-or-v1-[a-f0-9]{64}", // OpenRouter
  "xai-[A-Za-z0-9]{60,90}", // xAI
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
const TRIGGER_UPPER = /AKIA|ASIA|AIza|SG\.|LS0tLS1CRUdJTi|xox[abposre]-|xapp-|yJ|BEGIN |ATATT3|EAAA|LTAI|AGE-SECRET|NRAK-|PMAK-|CFPAT-|FLWSECK/g;
const TRIGGER_LOWER =
  /_(?:(?:live|test|v1|pat)_|(?<=(?:gh[pousr]|whsec|glsa|glc|npm|hf|shp(?:at|ss|ca|pa)|lin|ntn|secret|sntry[su]|gsk|r8|figd|pscale|sbp|nfp|fo1|bkua)_))|-(?<=(?:sk|glpat|pypi|pplx|pul|tskey|sq0csp|sq0atp|sq0idp|xkeysib|key|gl(?:dt|rt|ptt|ft|imt|agent|oas|cbt|soat)|xai)-)|\.(?<=(?:ya29|hv[sbr]|hooks|discord|discordapp|dt0c01|dp)\.)|dapi(?=[a-f0-9]{32})/g;
const API_GLUE = /[A-Za-z0-9_-]/;

// Keys whose fixed part is in the middle or at the end: Mailchimp `<32 hex>-us12`, Telegram bots `123456789:AA…`,
// Terraform Cloud `<14>.atlasv1.<60+>`. Found from that part by indexOf, then read both ways.
const MAILCHIMP = /-us\d{1,2}(?![A-Za-z0-9_-])/y;
const TELEGRAM = /:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])/y;
const ATLAS = /\.atlasv1\.[A-Za-z0-9_=-]{60,100}(?![A-Za-z0-9_=-])/y;

function runBack(s: string, end: number, max: number, re: RegExp): number {
  let i = end;
  while (i > 0 && end - i < max && re.test(s.charAt(i - 1))) i--;
  return i;
}

function detectInfixKeys(s: string, emit: Emit) {
  for (let p = s.indexOf("-us"); p >= 0; p = s.indexOf("-us", p + 3)) {
    MAILCHIMP.lastIndex = p;
    if (!MAILCHIMP.test(s)) continue;
    const start = runBack(s, p, 33, /[a-f0-9]/);
    if (p - start === 32 && !glued(s, start, /[A-Za-z0-9_-]/)) emit("api_key", start, MAILCHIMP.lastIndex);
  }
  for (let p = s.indexOf(":AA"); p >= 0; p = s.indexOf(":AA", p + 3)) {
    TELEGRAM.lastIndex = p;
    if (!TELEGRAM.test(s)) continue;
    const start = runBack(s, p, 11, /\d/);
    if (p - start >= 8 && p - start <= 10 && !glued(s, start, /[A-Za-z0-9_-]/)) emit("api_key", start, TELEGRAM.lastIndex);
  }
  for (let p = s.indexOf(".atlasv1."); p >= 0; p = s.indexOf(".atlasv1.", p + 9)) {
    ATLAS.lastIndex = p;
    if (!ATLAS.test(s)) continue;
    const start = runBack(s, p, 15, /[A-Za-z0-9]/);
    if (p - start === 14 && !glued(s, start, /[A-Za-z0-9_-]/)) emit("api_key", start, ATLAS.lastIndex);
  }
}

// Vendors not listed above mostly follow the same scheme: a short lowercase prefix, maybe an environment, an
// underscore, then 32+ random chars ("acme_live_4eC39HqLyjWDarjtT1zdp7dc…"). Object ids use it too (Stripe
// "cs_test_…" checkout sessions, "pi_…"), so their prefixes are excluded and the body must mix cases and digits.
const PREFIXED_BODY = /_([A-Za-z0-9]{32,128})(?![A-Za-z0-9_-])/y;
const PREFIXED_HEAD = /^[a-z][a-z0-9]{1,9}(?:_(?:live|test|prod|sandbox|dev|api|key|sk|pk|secret|token|pat|sat|oat|at))?$/;
const ID_PREFIXES = new Set(
  "cs pi pm ch cus sub in txn evt req acct price prod seti src card ba po tr re py si ii il file link mandate inv order user item trace span msg run job build sess session test dev tok pk".split(" "),
);

function detectPrefixedKeys(s: string, emit: Emit) {
  for (let p = s.indexOf("_"); p >= 0; p = s.indexOf("_", p + 1)) {
    PREFIXED_BODY.lastIndex = p;
    const m = PREFIXED_BODY.exec(s);
    if (!m?.[1]) continue;
    const body = m[1];
    if (!/[A-Z]/.test(body) || !/[a-z]/.test(body) || !/\d/.test(body)) continue;
    const start = runBack(s, p, 21, /[a-z0-9_]/);
    const head = s.slice(start, p);
    if (glued(s, start, /[A-Za-z0-9_-]/) || !PREFIXED_HEAD.test(head) || ID_PREFIXES.has(head.split("_")[0] ?? "")) continue;
    if (/^pk_/.test(head) || head.endsWith("_pk")) continue; // publishable keys are public
    emit("api_key", start, PREFIXED_BODY.lastIndex);
    p = PREFIXED_BODY.lastIndex - 1;
  }
}

export function detectTokens({ s, emit }: Ctx) {
  const missing = new Set<string>();
  detectInfixKeys(s, emit);
  if (s.includes("_")) detectPrefixedKeys(s, emit);
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
    else if (t === "_live_" || t === "_test_") next = tokenAt(s, start, API_KEY, API_GLUE, "api_key", emit);
    else if (t === "dapi") next = tokenAt(s, p, API_KEY, API_GLUE, "api_key", emit);
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

// Userinfo without a scheme, as git's HTTP backend and proxies log it: `"ci-bot:gF(ukFXBLX;B67@git.example.de"`. The
// token starts after whitespace, a quote or a bracket; the user is a plain name; the host a dotted name. The password
// must hold a character no e-mail local part has (`(`, `;`, `!`, `#`, …) or look random (16+ chars), so that
// `contact:jane.doe@example.com` stays an e-mail after a label.
const BARE_USER = /^[A-Za-z][A-Za-z0-9._-]{0,63}$/;
const BARE_HOST = /[A-Za-z0-9][A-Za-z0-9-]{0,62}(?:\.[A-Za-z0-9][A-Za-z0-9-]{0,62}){1,8}(?=[\s"'`/:>)\]]|$)/y;

const GO_DSN_PROTO = /^(?:tcp|unix|udp)\(/;

function detectBareUserinfo(s: string, emit: Emit) {
  let floor = 0; // the previous "@": no back-scan crosses it, so the scans stay linear on "a@a@a@…"
  for (let at = s.indexOf("@"); at >= 0; floor = at + 1, at = s.indexOf("@", at + 1)) {
    let i = at;
    while (i > floor && at - i < 256 && !/[\s"'`<]/.test(s.charAt(i - 1))) i--;
    if (i > 0 && !/[\s"'`<]/.test(s.charAt(i - 1))) continue; // another "@" or too long: no token start
    const colon = s.indexOf(":", i);
    if (colon < 0 || colon >= at || !BARE_USER.test(s.slice(i, colon))) continue;
    const pw = s.slice(colon + 1, at);
    // Go's MySQL DSN `user:pass@tcp(host:3306)/db` (also `unix(`, `udp(`): the protocol says it is a credential.
    if (GO_DSN_PROTO.test(s.slice(at + 1, at + 6)) && pw.length > 0 && !notASecret(pw)) {
      emit("secret_pair", colon + 1, at);
      continue;
    }
    if (pw.length < 6 || notASecret(pw) || /[:/]/.test(pw)) continue; // arn:aws:iam::1234:user/jane@example.com
    if (!/[^A-Za-z0-9._%+-]/.test(pw) && !looksRandom(pw)) continue;
    BARE_HOST.lastIndex = at + 1;
    if (!BARE_HOST.test(s)) continue;
    emit("url_password", colon + 1, at);
  }
}

export function detectUrlPasswords({ s, emit }: Ctx) {
  if (s.includes(":") && s.includes("@")) detectBareUserinfo(s, emit);
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

export function detectBasic({ s, lower, emit }: Ctx) {
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
  /^(?:[a-z0-9_.-]*(?:sess|sessid|session)(?:[_-]?(?:id|token|key))?|s?sess[0-9a-f]{32}|[a-z0-9_.-]*sid[_.-][a-z0-9_.-]*|aspsessionid[a-z]{0,12}|[a-z0-9_.-]*[._-]sid|sid|remember_[a-z0-9_]+)$/;

/** Session ids: 8+ chars with digits and letters ("262-8837914-2213457" too), or 20+ of anything. */
// Twilio-style resource ids end in "sid" too (message_sid=SM…, call_sid=CA…, account_sid=AC…): public identifiers.
const RESOURCE_SID = /(?:message|call|account|conference|recording|service|sms|room|participant|trunk|flow|execution)[_-]?sid$/;

function sessionValue(v: string): boolean {
  if (/session/i.test(v)) return false; // a session's name ("botocore-session-1757318914"), not its id
  if (v.length >= 20) return /[A-Za-z0-9]{8}/.test(v);
  return v.length >= 8 && /\d/.test(v) && (/[A-Za-z]/.test(v) || (v.replace(/\D/g, "").length >= 10 && /[-.]/.test(v)));
}

// Servlet containers log the id in prose: "Requested cookie session id is 6AA5…", "new session id: …".
const SESSION_PROSE = /\bsession[ _-]?id[ \t]{1,4}(?:is|was|[:=])[ \t]{1,4}([A-Za-z0-9._-]{16,128})(?![A-Za-z0-9._-])/gi;

export function detectSessions({ s, lower, emit }: Ctx) {
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
      if (at < 0 || !COOKIE_NAME.test(lower.slice(ks, ke)) || RESOURCE_SID.test(lower.slice(ks, ke))) continue;
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
// Also into a secret store reading stdin: `| kubectl create secret generic x --from-file=KEY=/dev/stdin`, `| gh secret set X`,
// `| wrangler secret put X`, `| docker secret create x -`.
const ECHO_PIPE =
  /\becho[ \t]+(?:-[ne][ \t]+)?(?:"([^"\n]{1,256})"|'([^'\n]{1,256})'|([^\s|'"]{1,256}))[ \t]{0,4}\|[^\n|]{0,200}?(?:--password-stdin|passwd[ \t]+--stdin|sudo[ \t]+-S|create[ \t]+secret\b|secrets?[ \t]+(?:set|put|create|add|import)\b)/dg;
// Flags with a lower-case prefix glued to pass/auth (`--requirepass X`, `--masterauth X`) and exec-form arrays
// (`["--requirepass", "X"]`, `"--db-password", "X"`); `CONFIG SET requirepass X` (Redis) and other `config set KEY X`.
const FLAG_GLUED = /(?:[ \t]|["'])--[a-z]{2,12}(?:pass|auth)(?:[ \t]+|["'],[ \t]{0,4})(["']?)([^\s"',]{1,256})\1/dg;
const EXEC_FLAG = /["']--(?:[a-z0-9]{1,20}[-.]){0,3}(?:password|passwd|pass|pwd|secret|token|api-key|apikey)["'],[ \t]{0,4}(["'])([^"'\n]{1,256})\1/dg;
const CONFIG_SET = /\bconfig[ \t]+set[ \t]+([A-Za-z0-9_.:/-]{1,64})[ \t]+(["']?)([^\s"']{1,256})\2/dgi;
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
// Up to six words may sit between the word and the verb: "mot de passe temporaire : X", "senha provisória é X",
// "wachtwoord voor de gedeelde mailbox is X", "hasło do VPN dla nowego stażysty: X", "mot de passe du compte admin de la box c'est X",
// "neue Passwort lautet X", "la password del database è X".
// The word may carry a definite article or case ending ("lösenordet", "passordet", "şifreniz", "salasanasi").
const FOREIGN_PW =
  /(?:mot de passe|contrase[ñn]a|senha|kennwort|passwort|wachtwoord|l[öo]senord|passord|adgangskode|salasana|has[łl]o|heslo|jelsz[óo]|parola|lozinka|geslo|şifre|sifre|parol|пароль|κωδικός|mật khẩu|kata sandi|密码|비밀번호|password|passphrase|パスワード)\p{L}{0,4}(?:[ \t]{1,4}[^\s:=：]{1,20}){0,6}?(?:[ \t]{0,4}[:=：][ \t]{0,4}|[ \t]{1,4}(?:c'est|c’est|est|es|é|è|ist|is|lautet|era|était|war|är|er|on|je|jest|to|este|sono|olarak|là|adalah|είναι|—|-|→|->)[ \t]{1,4})(["'`]?)([^\s"'`]{4,128})\1/dgiu;

// The value right after the word ("sunucu şifresi X olarak güncellendi"): generated-looking only (strictPassword).
const FOREIGN_DIRECT =
  /(?:mot de passe|contrase[ñn]a|senha|kennwort|passwort|wachtwoord|l[öo]senord|passord|adgangskode|salasana|has[łl]o|heslo|jelsz[óo]|parola|lozinka|geslo|şifre|sifre|parol|пароль|κωδικός|mật khẩu|kata sandi)\p{L}{0,4}[ \t]{1,4}(["'`]?)([^\s"'`]{8,128})\1(?=[\s,;.)!?]|$)/dgiu;

// The password words both patterns start with (FOREIGN_DIRECT's are a subset), and both patterns anchored (sticky).
const FOREIGN_HEAD = new RegExp(FOREIGN_PW.source.slice(0, FOREIGN_PW.source.indexOf(")\\p{L}{0,4}") + 1), "giu");
const FOREIGN_PW_AT = new RegExp(FOREIGN_PW.source, "diuy");
const FOREIGN_DIRECT_AT = new RegExp(FOREIGN_DIRECT.source, "diuy");

const FOREIGN_WORDS = ["passe", "wort", "woord", "contrase", "senha", "senord", "passord", "adgangskode", "salasana", "hasło", "haslo", "heslo", "jelsz", "parol", "şifre", "sifre", "пароль", "κωδικ", "mật khẩu", "sandi", "密码", "비밀번호", "パスワード"];
// English "password"/"passphrase" with a verb of another language or an arrow: "el password nuevo es X", "new passphrase → X".
const FOREIGN_GATE = {
  test: (l: string) => FOREIGN_WORDS.some((w) => l.includes(w)) || /pass(?:word|phrase)[^\n]{0,60}(?:è|é|lautet|→|->|[ \t](?:es|est|ist|är|er|jest|era|war)[ \t])/.test(l),
};

export function detectShellSecrets({ s, lower, emit }: Ctx) {
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
  if (s.includes("--")) {
    run(FLAG_GLUED, [2], (v) => !notASecret(v) && !v.startsWith("-") && (looksRandom(v) || strongPassword(v)));
    if (s.includes(",")) run(EXEC_FLAG, [2], (v) => !notASecret(v) && !v.startsWith("-") && !/^[a-z]+$/.test(v));
  }
  if (lower.includes("config")) {
    CONFIG_SET.lastIndex = 0;
    for (let m; (m = CONFIG_SET.exec(s)); ) {
      const key = m[1] ?? "";
      const v = m[3] ?? "";
      const at = m.indices?.[3];
      if (!at || notASecret(v) || !(isSecretKey(key) || /[a-z](?:pass|auth)$/i.test(key))) continue;
      if (isSecretKey(key) || looksRandom(v) || strongPassword(v)) emit("secret_pair", at[0], at[1]);
    }
  }
  if (lower.includes("htpasswd")) run(HTPASSWD, [2]);
  if (lower.includes("pass:")) run(OPENSSL_PASS, [1]);
  if (s.includes("%")) run(SMB_USER, [1]);
  if (lower.includes("/add")) run(NET_USER, [1]);
  if (s.includes("chpasswd")) run(CHPASSWD, [1]);
  if (/securestring/i.test(s)) run(SECURE_STRING, [1, 2]);
  if (/value:/i.test(s)) run(ENV_LIST, [1, 2, 3]);
  if (FOREIGN_GATE.test(lower)) {
    // Both patterns start with a password word and nothing before it: each is tried only where one starts (one scan
    // for both, where a global exec each scanned the whole text), in order and from the end of its last match, as
    // a global exec would.
    const heads: number[] = [];
    FOREIGN_HEAD.lastIndex = 0;
    for (let m; (m = FOREIGN_HEAD.exec(s)); ) {
      heads.push(m.index);
      FOREIGN_HEAD.lastIndex = m.index + 1; // overlapping starts too ("parolozinka")
    }
    const matches = (re: RegExp) => {
      const out: RegExpExecArray[] = [];
      let from = 0;
      for (const p of heads) {
        if (p < from) continue;
        re.lastIndex = p;
        const m = re.exec(s);
        if (!m) continue;
        out.push(m);
        from = re.lastIndex;
      }
      return out;
    };
    for (const m of matches(FOREIGN_PW_AT)) {
      const at = m.indices?.[2];
      if (!at) continue;
      // Sentence punctuation after the value ("lautet X, bitte …") is not part of it; "!" and "?" often are.
      let end = at[1];
      while (end > at[0] && /[,;.)]/.test(s.charAt(end - 1))) end--;
      const v = s.slice(at[0], end);
      if (v.length >= 4 && !notASecret(v) && /[^\p{L}]/u.test(v) && /\p{L}/u.test(v)) emit("secret_pair", at[0], end);
    }
    for (const m of matches(FOREIGN_DIRECT_AT)) {
      const at = m.indices?.[2];
      if (at && strictPassword(m[2] ?? "")) emit("secret_pair", at[0], at[1]);
    }
  }
}

// `Authorization: <scheme> <credentials>` for schemes other than Bearer and Basic (Token, ApiKey, SSWS, Bot,
// Splunk, GenieKey, Negotiate, …): the credentials are an API key. Values holding `=` pairs (Digest, AWS4-HMAC,
// `Token token=…`) are left to the key = value rules.
// (Also inside an escaped request dump: `…HTTP/1.1\r\nAuthorization: Token …`; `:` inside the value: FCM `Key AAAA…:…`,
// DeepL `…:fx`, AWS v2 `AWS AKID:signature`.)
const AUTH_SCHEME =
  /(?:proxy-)?authorization["']?[ \t]{0,4}[:=][ \t]{0,4}["']?\[?[ \t]{0,4}([A-Za-z][A-Za-z0-9_.-]{1,30})[ \t]{1,4}([A-Za-z0-9._~+/:-]{8,4096}={0,2})(?![A-Za-z0-9._~+/=:-])/iy;

// Challenge-response schemes carry no reusable secret in the clear, but their proof is replayable until the nonce
// or the date expires: `Digest … response="<md5>"`, `AWS4-HMAC-SHA256 … Signature=<hex>` (also `X-Amz-Signature=`
// in presigned URLs). Only the proof is masked; username, realm, nonce and the credential scope stay readable.
const DIGEST_RESPONSE = /\bresponse=\\?"?([0-9a-f]{32,128})(?![0-9a-f])/gi;
const SIGV4 = /\b(?:x-amz-)?signature=([0-9a-f]{64})(?![0-9a-f])/gi;
// Signatures in query strings and HMAC headers: Azure SAS `&sig=…`, `Signature=<base64>` (HMAC-SHA256, OCI, …).
const SIG_PARAM = /[&?;, ](?:sig|signature)=([A-Za-z0-9%+/_-]{20,512}={0,2})(?![A-Za-z0-9%+/=_-])/gi;

function detectSignedProofs({ s, lower, emit }: Ctx) {
  const run = (re: RegExp) => {
    re.lastIndex = 0;
    for (let m; (m = re.exec(s)); ) emit("secret_pair", m.index + m[0].length - (m[1] ?? "").length, m.index + m[0].length);
  };
  if (lower.includes("digest") && lower.includes("response=")) run(DIGEST_RESPONSE);
  if (lower.includes("signature=")) run(SIGV4);
  if (lower.includes("sig=") || lower.includes("signature=")) {
    SIG_PARAM.lastIndex = 0;
    for (let m; (m = SIG_PARAM.exec(s)); ) {
      const v = m[1] ?? "";
      if (/\d/.test(v) && /[A-Za-z]/.test(v)) emit("secret_pair", m.index + m[0].length - v.length, m.index + m[0].length);
    }
  }
}

// The header's value under another name (`"auth_header":"ApiKey …"`, `auth header "DeepL-Auth-Key …"`), and schemes
// whose name alone says what follows (`DeepL-Auth-Key`, `Zoho-oauthtoken`, `SSWS`, `GenieKey`) wherever they stand.
const AUTH_HEADER_KEY =
  /auth(?:orization)?[_ -]?header["']?[ \t]{0,4}(?:[:=][ \t]{0,4})?["']?\[?[ \t]{0,4}([A-Za-z][A-Za-z0-9_.-]{1,30})[ \t]{1,4}([A-Za-z0-9._~+/:-]{8,4096}={0,2})(?![A-Za-z0-9._~+/=:-])/iy;
const NAMED_SCHEME = /(?<![A-Za-z0-9-])(DeepL-Auth-Key|Zoho-oauthtoken|SSWS|GenieKey)[ \t]{1,4}([A-Za-z0-9._~+/:-]{8,4096}={0,2})(?![A-Za-z0-9._~+/=:-])/g;

function schemeCredential(scheme: string, v: string, end: number, emit: Emit) {
  scheme = scheme.toLowerCase();
  if (scheme === "bearer" || scheme === "basic") return;
  if (!/\d/.test(v) && !(/[A-Z]/.test(v) && /[a-z]/.test(v))) return; // prose
  if (notASecret(v)) return;
  const colon = v.indexOf(":");
  if (scheme === "aws" && colon > 0) emit("secret_pair", end - v.length + colon + 1, end); // the key id is an aws_access_key
  else emit("api_key", end - v.length, end);
}

export function detectAuthSchemes(ctx: Ctx) {
  const { s, lower, emit } = ctx;
  detectSignedProofs(ctx);
  if (lower.includes("header")) {
    for (let p = lower.indexOf("header"); p >= 0; p = lower.indexOf("header", p + 6)) {
      const k = lower.lastIndexOf("auth", p);
      if (k < 0 || p - k > 15 || (k > 0 && isAlnum(s.charCodeAt(k - 1)))) continue;
      AUTH_HEADER_KEY.lastIndex = k;
      const m = AUTH_HEADER_KEY.exec(s);
      if (m) schemeCredential(m[1] ?? "", m[2] ?? "", k + m[0].length, emit);
    }
  }
  if (s.includes("SSWS") || s.includes("GenieKey") || lower.includes("deepl-auth-key") || lower.includes("zoho-oauthtoken")) {
    NAMED_SCHEME.lastIndex = 0;
    for (let m; (m = NAMED_SCHEME.exec(s)); ) schemeCredential(m[1] ?? "", m[2] ?? "", m.index + m[0].length, emit);
  }
  if (!lower.includes("authorization")) return;
  // Found by indexOf; the word must start a token, or follow an escaped line break in a request dump.
  for (let p = lower.indexOf("authorization"); p >= 0; p = lower.indexOf("authorization", p + 13)) {
    const at = lower.startsWith("proxy-", p - 6) ? p - 6 : p;
    if (at > 0 && isAlnum(s.charCodeAt(at - 1)) && !/\\[nrt]$/.test(s.slice(Math.max(0, at - 2), at))) continue;
    AUTH_SCHEME.lastIndex = at;
    const m = AUTH_SCHEME.exec(s);
    if (m) schemeCredential(m[1] ?? "", m[2] ?? "", at + m[0].length, emit);
  }
}

const BEARER = /\b(?:Bearer|bearer|BEARER)[ \t]+([A-Za-z0-9._~+/=-]{16,8192})/g;

export function detectBearer({ s, lower, emit }: Ctx) {
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
  /(?:password|passwd|passwort|passphrase|passcode|pass_word|pwd|secret|token|(?:api|private|secret|access|signing|encryption|master|routing|integration|subscription|auth|license|licence|client|app|consumer|webhook|hmac|storage|account|shared|session|cookie|jwt|service|server|admin|deploy|ssh|gpg|pgp|sas|partner)[_-]?key|apikey|(?:recovery|backup)[_-]?codes?|(?:totp|hotp|otp|mfa)[_-]?seed)$/i;
const KEY_PREFIX = /(?<=(?:api|private|secret|access|signing|encryption|master|routing|integration|subscription|auth|license|licence|client|app|consumer|webhook|hmac|storage|account|shared|session|cookie|jwt|service|server|admin|deploy|ssh|gpg|pgp|sas|partner)[_.-]?)key/y;
const KEY_PREFIX_LEN = /(?:api|private|secret|access|signing|encryption|master|routing|integration|subscription|auth|license|licence|client|app|consumer|webhook|hmac|storage|account|shared|session|cookie|jwt|service|server|admin|deploy|ssh|gpg|pgp|sas|partner)[_.-]?$/;
const KV_WORDS = ["passw", "pwd", "secret", "token", "key", "pass", "pw", "auth", "code", "seed", "cred"] as const;
// `code(s)` and `seed` name a secret only after these words: RECOVERY_CODE=, backupCodes:, totp_seed =, otpSeed.
const CODE_PREFIX = /(?:recovery|backup|mfa|2fa|otp)[ _-]?$/;
const SEED_PREFIX = /(?:totp|hotp|otp|mfa|2fa)[_-]?$/;
// Lower-case compounds glued without a separator: `--clientsecret=`, `apitoken:`, `refreshtoken=`.
const GLUED_PREFIX = /(?:^|[^a-z])(?:client|app|api|auth|access|refresh|webhook|signing|session|cookie|consumer|shared|bot|admin|master|hmac|jwt|bearer|id|user|service)$/;
// Short or common words that name a secret only as a key (`DB_PASS=…`, `pw: …`, `REDISCLI_AUTH=…`), never in prose.
const KV_ONLY = new Set(["pass", "pw", "auth"]);
// A digest of a secret is not the secret: Helm's `checksum/secret: <sha256>`, `secret_hash`, `token_sha256` keys.
const DIGEST_OF = /(?:checksum|hash|digest|fingerprint|sha1|sha256|sha512|md5|etag)[/._-]?$/i;
// `:=` (Go, Makefiles, Pascal) before `:` so the value does not start with "=".
const KV_SEP = /(\\?["']?)[ \t]*(=>|:=|:|=)[ \t]*/y;
// `Key    Value` tables (vault kv get): key at line start, two or more spaces, a single value to the end of line.
const KV_COLUMN = /[ \t]{2,}(\S{1,512})[ \t]*(?=\r?\n|$)/y;
// Prose: "our webhook secret is whk_7f3c…", "the password was Tr0ub4dor&3", "new password for role x is …",
// "reset the password for admin to …" (up to 6 words between; random-looking values only, see proseSecret).
const KV_PROSE =
  /(?:[ \t]{1,4}(?!(?:is|was|are|were|to)\b)[^\s=:"'`]{1,40}){0,6}?[ \t]{1,4}(?:is|was|are|were|to)(?:[ \t]{1,4}(?:now|set|changed|reset|updated|rotated))?(?:[ \t]{1,4}to)?(?:[ \t]{0,4}:)?[ \t]{1,4}(["'`]?)([^\s"'`]{6,256})\1/iy;

const PASSWORD_WORDS = new Set(["password", "passwd", "passwort", "passphrase", "passcode", "pass_word", "pass_phrase", "pwd"]);
// "the sftp password the partner gave us: iEvB_Zd4TspRgnz": words, then a colon, then a generated-looking value.
const KV_PROSE_COLON = /(?:[ \t]{1,4}[^\s=:"'`]{1,40}){1,6}?:[ \t]{1,4}(["'`]?)([^\s"'`]{8,256})\1/y;
const KV_SPACED = /[ \t]{1,4}([^\s"'`=:]{12,256})(?=\s|$)/y;
const KV_BARE = /[ \t]{1,4}(["'`]?)([^\s"'`]{8,128})\1(?=\s|$)/y;
const VALUE_STOP = new Set([32, 9, 10, 13, 11, 12, 34, 39, 96]); // whitespace and quotes
// "… X as the password": the words between value and secret word, matched on the last 32 chars only.
const KV_BEFORE = /[ \t](?:is|as)[ \t]{1,4}(?:(?:the|my|our|your|a|his|her|their)[ \t]{1,4})?(?:new[ \t]{1,4})?$/i;

/** Generated-looking: letters, digits and a symbol or both cases, 8+ chars; never a word, path or URL. */
function strongPassword(v: string): boolean {
  if (!proseSecret(v) || v.length < 8 || /^(?:https?:|\/|~|\.)/.test(v)) return false;
  return /[^A-Za-z0-9]/.test(v) || (/[A-Z]/.test(v) && /[a-z]/.test(v));
}

/** Generated-looking enough to be taken without a verb or separator ("temporary password Saffron20$Vv we sent"):
 *  letters and digits, and a symbol other than `_.-/` or both cases. Not a snake_case name (`reset_v2`). */
function strictPassword(v: string): boolean {
  return strongPassword(v) && /\d/.test(v) && (/[^A-Za-z0-9_./-]/.test(v) || (/[A-Z]/.test(v) && /[a-z]/.test(v)));
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

// Words that take a glued lower-case prefix (`dbpassword`, `requirepass`, `masterauth`), and prefixes that are words.
const GLUED_WORDS = new Set(["password", "passwd", "passphrase", "pass", "auth"]);
const GLUED_NOT_KEY = /^(?:by|com|sur|tres|over|under|im|encom|o|no|pre|un|re|de)$/;

/** The secret word at `wordStart` ends a key of lower-case letters glued to it (2-12 of them, starting a token), or
 *  follows a Java `-D`. */
function gluedLowerKey(s: string, wordStart: number): boolean {
  if (s.slice(Math.max(0, wordStart - 2), wordStart) === "-D") return true;
  let i = wordStart;
  while (i > 0 && wordStart - i < 13 && isLower(s.charCodeAt(i - 1))) i--;
  if (wordStart - i < 2 || wordStart - i > 12 || (i > 0 && isAlnum(s.charCodeAt(i - 1)))) return false;
  return !GLUED_NOT_KEY.test(s.slice(i, wordStart));
}

/** [A-Za-z0-9_.-], by char code (a regex test per char was a hot spot on dense key = value text). */
const isKeyCode = (c: number) => isAlnum(c) || c === 95 || c === 46 || c === 45;

/** The glued key ending at `wordStart` starts its line (after indentation): a config directive. Looks back ≤ 24 chars. */
function directiveStart(s: string, wordStart: number): boolean {
  let i = wordStart;
  while (i > 0 && wordStart - i < 12 && isLower(s.charCodeAt(i - 1))) i--;
  for (let k = 0; i > 0 && k < 12 && (s.charAt(i - 1) === " " || s.charAt(i - 1) === "\t"); k++) i--;
  return i === 0 || s.charAt(i - 1) === "\n";
}

/** `PGPASSWORD`, `ADMINPASSWORD`: environment variables glue a prefix to the secret word in capitals. */
function allCapsKey(s: string, wordStart: number, wordEnd: number, word: string): boolean {
  if (KV_ONLY.has(word) || word.endsWith("key")) return false;
  if (!/^[A-Z]+$/.test(s.slice(wordStart, wordEnd))) return false;
  let i = wordStart;
  while (i > 0 && wordStart - i < 32 && /[A-Z0-9_]/.test(s.charAt(i - 1))) i--;
  return i === 0 || !/[A-Za-z0-9]/.test(s.charAt(i - 1));
}

// HTTP headers that carry an API key: X-Api-Key, X-Auth-Token, Api-Key, DD-API-KEY, PRIVATE-TOKEN, Ocp-Apim-Subscription-Key.
const HEADER_KEY = /^(?:x-[A-Za-z0-9-]+|(?:[A-Z][A-Za-z]*-)+(?:Key|Token|KEY|TOKEN)|[A-Z]+-(?:[A-Z]+-)*(?:KEY|TOKEN))$/;

export function classifyKeyed(key: string, value: string): PiiType {
  if (HEADER_KEY.test(key) && !/secret|pass/i.test(key)) return "api_key";
  if (B64_40.test(value)) {
    if (/secret/i.test(key) && /access|aws/i.test(key)) return "aws_secret_key";
    if (/(?:^|[_.-])secret[_-]?key$/i.test(key) && mixed40(value)) return "aws_secret_key"; // s3cmd --secret_key=…
  }
  return "secret_pair";
}

const VALUE_RUN = /[^\s"'&,;]{1,512}/y;
const AMP_NEXT = /[A-Za-z0-9_.[\]%-]{1,64}=|&|#?[A-Za-z0-9]{1,8};|\s|$/y;
const run = { s: null as string | null, start: 0, end: 0, capped: false };

/** The value starting at `i`, as [start, end, quoted] with quotes excluded. */
// A final "." stays in a generated-looking value when what follows is no new sentence: a closing quote, a flag or
// a lower-case word of the same command (`PGPASSWORD=Falcon%54Qx. psql …`, `--password=Jun#41zP. -e …`).
const TRAILING_DOT_KEPT = /^(?:["'`]|[ \t][a-z-])/;
const GENERATED_BEFORE_DOT = /^(?=[^.]*\d)(?=[^.]*[A-Za-z])(?=[^.]*(?:[^A-Za-z0-9.]|[A-Z][^.]*[a-z]|[a-z][^.]*[A-Z]))[^.]+\.$/;

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
  // An unquoted value may hold "&" (`DB_PASS=LsNgb&PIPq`) unless it starts the next query parameter (`&fmt=csv`),
  // an entity (`&amp;`) or a shell operator (`&&`, `& `).
  // At most 128 chars in all: a password, not a run of text.
  for (let n = 0; n < 4 && s.charCodeAt(end) === 38 && end - i < 128; n++) {
    AMP_NEXT.lastIndex = end + 1;
    if (AMP_NEXT.test(s)) break;
    VALUE_RUN.lastIndex = end + 1;
    if (!VALUE_RUN.test(s) || VALUE_RUN.lastIndex - i > 128) break;
    end = VALUE_RUN.lastIndex;
  }
  // Closers that are not part of the value: `(password: x)`, `{pan=…}`, `password=x.`
  while (end > i) {
    const ch = s.charAt(end - 1);
    const v = s.slice(i, end);
    if ((ch === ")" && !v.includes("(")) || (ch === "]" && !v.includes("[")) || (ch === "}" && !v.includes("{"))) end--;
    else if (ch === "." && end - i >= 9 && TRAILING_DOT_KEPT.test(s.slice(end, end + 2)) && GENERATED_BEFORE_DOT.test(v)) break;
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
  if (/(?:code|codes|seed)$/.test(word) && v.length > 128) return false; // a code or OTP seed is short
  if (word.startsWith("cred") && !(looksRandom(v) || strongPassword(v))) return false; // credentials: db-creds, creds=aws
  if (word === "credential" && v.includes("/")) return false; // SigV4 `Credential=AKID/20250101/us-east-1/s3/aws4_request`
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

// `{"name": "koa.sess", "value": "…"}` (cookie jars, env lists in JSON), `<add key="db.password" value="…" />`
// (.NET appSettings): the value of a pair whose name is a secret key or a session cookie.
const NAMED_VALUE =
  /["']?(?:name|key)["']?[ \t]{0,4}[:=][ \t]{0,4}["']([^"'\n]{1,64})["'][ \t]{0,4},?[ \t]{0,4}["']?value["']?[ \t]{0,4}[:=][ \t]{0,4}["']([^"'\n]{1,512})["']/dg;

function detectNamedValues(s: string, emit: Emit) {
  NAMED_VALUE.lastIndex = 0;
  for (let m; (m = NAMED_VALUE.exec(s)); ) {
    const name = m[1] ?? "";
    const v = m[2] ?? "";
    const at = m.indices?.[2];
    if (!at || notASecret(v)) continue;
    const cookie = COOKIE_NAME.test(name.toLowerCase()) && !RESOURCE_SID.test(name.toLowerCase());
    if ((cookie && sessionValue(v)) || (!cookie && isSecretKey(name) && !codeReference(s, at[0], at[1], true))) emit("secret_pair", at[0], at[1]);
  }
}

const CODE_ITEM = /[ \t]{0,2}[,;][ \t]{0,2}([A-Za-z0-9]{3,12}(?:-[A-Za-z0-9]{3,12}){0,3})(?![A-Za-z0-9-])/y;

/** The further items of a recovery-code list after the first one (at most 32). */
function listedCodes(s: string, from: number, emit: Emit) {
  let i = from;
  for (let n = 0; n < 32; n++) {
    CODE_ITEM.lastIndex = i;
    const m = CODE_ITEM.exec(s);
    if (!m || !/\d/.test(m[1] ?? "")) return;
    emit("secret_pair", CODE_ITEM.lastIndex - (m[1] ?? "").length, CODE_ITEM.lastIndex);
    i = CODE_ITEM.lastIndex;
  }
}

const XML_VALUE = /[^<>\s]{1,256}(?=<\/)/y;
const QUALIFIER = /[_.-]?(?:value|plain(?:text)?|raw|b64|base64|old|new|prev|previous|current|primary|secondary|\d)(?![a-z0-9_-])/y;

/** The secret word ends the value of a `key="…"` / `name="…"` attribute that closes its tag: `<entry key="apiSecret">`. */
function xmlAttrKey(s: string, wordStart: number): boolean {
  let i = wordStart;
  while (i > 0 && wordStart - i < 48 && (isKeyCode(s.charCodeAt(i - 1)) || s.charCodeAt(i - 1) === 58)) i--;
  const head = s.slice(Math.max(0, i - 6), i);
  return head.endsWith('key="') || head.endsWith('name="');
}

/** The secret word ends an XML element name: `<password>`, `<db:clientSecret>`. */
function xmlTagKey(s: string, wordStart: number): boolean {
  let i = wordStart;
  while (i > 0 && wordStart - i < 48 && (isKeyCode(s.charCodeAt(i - 1)) || s.charCodeAt(i - 1) === 58)) i--;
  return s.charAt(i - 1) === "<";
}

export function detectKeyed({ s, lower, emit: emitSpan }: Ctx) {
  if (lower.includes("value")) detectNamedValues(s, emitSpan);
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
        else if (lower.startsWith("passcode", p)) word = "passcode";
        else if (lower.startsWith("pass_word", p) || lower.startsWith("pass-word", p)) word = "pass_word";
        else if (lower.startsWith("pass_phrase", p) || lower.startsWith("pass-phrase", p)) word = "pass_phrase";
      } else if (w === "pw") {
        if (lower.startsWith("pwd", p)) continue;
      } else if (w === "cred") {
        // Plural only: "Credential=" in an HMAC / SigV4 Authorization header is the key id and scope.
        if (lower.startsWith("credentials", p)) word = "credentials";
        else if (lower.startsWith("creds", p)) word = "creds";
        // Singular: random-looking and without "/" (see acceptKeyed), and not the title-case `Credential=` of HMAC headers.
        else if (lower.startsWith("credential", p) && !s.startsWith("Credential", p)) word = "credential";
        else continue;
      } else if (w === "code" || w === "seed") {
        const pre = (w === "code" ? CODE_PREFIX : SEED_PREFIX).exec(lower.slice(Math.max(0, p - 9), p));
        if (!pre) continue;
        wordStart = p - pre[0].length;
        word = lower.slice(wordStart, p + (w === "code" && lower.startsWith("codes", p) ? 5 : 4));
      } else if (w === "key") {
        KEY_PREFIX.lastIndex = p;
        if (!KEY_PREFIX.test(lower)) continue;
        const pre = KEY_PREFIX_LEN.exec(lower.slice(Math.max(0, p - 14), p));
        if (!pre) continue;
        wordStart = p - pre[0].length;
        word = lower.slice(wordStart, p + 3);
      }
      let wordEnd = w === "code" || w === "seed" ? wordStart + word.length : p + (w === "passw" || w === "pass" || w === "cred" ? word.length : w.length);
      if (w === "key" && lower.startsWith("_base", wordEnd)) wordEnd += 5; // Rails SECRET_KEY_BASE
      // A qualifier after the secret word names the same secret: `PASSWORD_NEW=`, `token_value:`, `apiKey2`, `secret.b64`.
      const q = lower.charCodeAt(wordEnd);
      if (q === 95 || q === 45 || q === 46 || isAlnum(q)) {
        QUALIFIER.lastIndex = wordEnd;
        if (QUALIFIER.test(lower)) wordEnd = QUALIFIER.lastIndex;
      }
      const after = s.charCodeAt(wordEnd);
      if (isAlnum(after) || after === 95 || after === 45 || after === 46) continue; // tokens, token_type, key-id
      // `rpcpassword=`, `requirepass X`, `masterauth X`, `-Dpassword=`: a lower-case prefix glued to the word.
      let gluedKey = false;
      if (!keyBoundaryOk(s, wordStart) && !allCapsKey(s, wordStart, wordEnd, word) && !(w === "secret" || w === "token" ? GLUED_PREFIX.test(lower.slice(Math.max(0, wordStart - 9), wordStart)) : false)) {
        if (!GLUED_WORDS.has(word) || !gluedLowerKey(s, wordStart)) continue;
        gluedKey = true;
      }
      if (gluedKey && !/^["']?[ \t]*[:=]/.test(s.slice(wordEnd, wordEnd + 8))) {
        // A config directive at the start of its line (redis.conf `requirepass X`): a generated-looking value.
        KV_BARE.lastIndex = wordEnd;
        const b = KV_BARE.exec(s);
        const v = b?.[2] ?? "";
        if (b && directiveStart(s, wordStart) && !notASecret(v) && (looksRandom(v) || strongPassword(v))) {
          const end = KV_BARE.lastIndex - (b[1] ?? "").length;
          emit("secret_pair", end - v.length, end);
        }
        continue;
      }
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
      // XML with the name in an attribute: <entry key="authToken">…</entry>, <param name="db.password">…</param>.
      if (after === 34 && s.charCodeAt(wordEnd + 1) === 62 && xmlAttrKey(s, wordStart)) {
        XML_VALUE.lastIndex = wordEnd + 2;
        const xv = XML_VALUE.exec(s);
        const v = xv?.[0] ?? "";
        if (xv && acceptKeyed(s, word, "=", wordEnd + 2, wordEnd + 2 + v.length, true)) emit("secret_pair", wordEnd + 2, wordEnd + 2 + v.length);
        continue;
      }
      // XML: <password>…</password>, <clientSecret>…</clientSecret>.
      if (after === 62 && xmlTagKey(s, wordStart)) {
        XML_VALUE.lastIndex = wordEnd + 1;
        const xv = XML_VALUE.exec(s);
        const v = xv?.[0] ?? "";
        if (xv && !notASecret(v) && acceptKeyed(s, word, "=", wordEnd + 1, wordEnd + 1 + v.length, true)) emit("secret_pair", wordEnd + 1, wordEnd + 1 + v.length);
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
        if (gluedKey && word !== "password" && word !== "passwd" && !(looksRandom(s.slice(r[0], r[1])) || strongPassword(s.slice(r[0], r[1])))) continue; // bypass=on
        let keyStart = wordStart;
        while (keyStart > 0 && wordStart - keyStart < 48 && isKeyCode(s.charCodeAt(keyStart - 1))) keyStart--;
        emit(classifyKeyed(s.slice(keyStart, wordEnd), s.slice(r[0], r[1])), r[0], r[1]);
        if (word.endsWith("codes")) listedCodes(s, r[1], emit); // recovery codes: 1810-2379, 8941-8241, …
        continue;
      }
      // `set signing_secret OVsy5Cxn…`, `AUTH_TOKEN Zx81…`: a compound key name, one space, a generated-looking value.
      if ((wordStart > 0 && /[A-Za-z0-9][_.-]?$/.test(s.slice(Math.max(0, wordStart - 2), wordStart))) || (w === "key" && word.length > 3)) {
        KV_SPACED.lastIndex = wordEnd;
        const sv = KV_SPACED.exec(s);
        const v = sv?.[1] ?? "";
        if (sv && !notASecret(v) && (looksRandom(v) || strongPassword(v))) {
          emit("secret_pair", KV_SPACED.lastIndex - v.length, KV_SPACED.lastIndex);
          continue;
        }
      }
      // "cloudflare: api token fy-voBkDntr33ZLk… is invalid", "the secret 9fJ2…": a token word, one space, then a
      // long generated value (20+ chars, both cases and digits, no dot): nothing else reads like that.
      if ((w === "token" || w === "secret") && s.charCodeAt(wordEnd) === 32) {
        KV_SPACED.lastIndex = wordEnd;
        const sv = KV_SPACED.exec(s);
        const v = sv?.[1] ?? "";
        if (sv && v.length >= 20 && looksRandom(v) && /[A-Z]/.test(v) && /[a-z]/.test(v) && /\d\D+\d/.test(v) && !notASecret(v) && !/^(?:https?:|\/)/.test(v)) {
          emit("secret_pair", KV_SPACED.lastIndex - v.length, KV_SPACED.lastIndex);
          continue;
        }
      }
      KV_PROSE.lastIndex = wordEnd;
      const pr = KV_PROSE.exec(s);
      let proseRejected = false;
      if (pr) {
        let v = pr[2] ?? "";
        while (/[.,;:)]$/.test(v)) v = v.slice(0, -1);
        const start = KV_PROSE.lastIndex - (pr[1] ?? "").length - (pr[2] ?? "").length;
        // A quoted value after "the password is" is one whatever it looks like ("password is 'hunter'").
        if (proseSecret(v) || (pr[1] && v.length >= 4 && !notASecret(v) && PASSWORD_WORDS.has(word))) {
          emit("secret_pair", start, start + v.length);
          continue;
        }
        // "the temporary password Saffron20$Vv we sent is rejected": "is" named the wrong word; try the bare value.
        proseRejected = true;
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
        if (b && (proseRejected ? strictPassword(bv) : strongPassword(bv))) {
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
          while (start > 0 && end - start < 128 && !VALUE_STOP.has(s.charCodeAt(start - 1))) start--;
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

export function detectToolOutput({ s, lower, emit }: Ctx) {
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

export function detectCli({ s, lower, emit }: Ctx) {
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
