// E-mail addresses and phone numbers (international, NANP, national trunk shapes, and any number after a phone
// key or phrase). The linear-time rules in detect.ts apply to every pattern here.
import { type Ctx, digitsOnly, type Emit, isAlnum, linePrefix } from "@/lib/redact/detect-common";
import { VERSION_BEFORE } from "@/lib/redact/detect-network";

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

export function detectEmails({ s, emit }: Ctx) {
  for (let at = s.indexOf("@"); at >= 0; at = s.indexOf("@", at + 1)) emailAt(s, at, 1, emit);
  for (let at = s.indexOf("%40"); at >= 0; at = s.indexOf("%40", at + 3)) emailAt(s, at, 3, emit);
}

const PHONE_INTL =
  /\+[1-9]\d{0,14}(?:[ .-]?\(\d{1,4}\)[ .-]?\d{1,12})?(?:[ .-]\d{1,12}){0,6}(?![\w])/g;
// The country code in brackets: "(+44) 20 7946 0958", "(+49) 30 1234567", "(+33) (0)6 12 34 56 78".
const PHONE_PAREN_CC = /\(\+[1-9]\d{0,3}\)[ .-]?(?:\(0\)[ .-]?)?\d{1,5}(?:[ .-]\d{1,12}){1,6}(?![\w])/g;
const PHONE_NANP = /(?:\([2-9]\d{2}\)[ .-]?|[2-9]\d{2}([.-]))[2-9]\d{2}[.-]\d{4}(?![\w]|[.-]\d)/g;
// 0-trunk national numbers: 020 7946 0958, 0161 496 0000, 07700 900123, 030 12345678, 089/1234567
// Also 06-47246227 (NL mobile), 070-701 97 80 and 08-953 736 27 (SE), 020-972 1349 (NL): area code, dash, then groups.
// Turkish 0555 248 27 40 (area, then 3 + 2 + 2).
const PHONE_TRUNK = /0[1-9]\d{0,4}(?: \d{3} \d{2} \d{2}|(?: \d{3,4}){2}|(?:-\d{3,4}){2}| \d{6}|[ /-]\d{5,8}|-\d{2,4}(?: \d{2,4}){1,3})(?![\w]|[.\-:/]\d)/g;
// Numbers that an id label names: "Order #792-891-0075", "part no. 0405-047-419", "SKU: 0151 2345 6789".
const ID_BEFORE = /(?:^|[^A-Za-z])(?:order|part|item|sku|ref|reference|invoice|ticket|case|build|serial|tracking|po|batch|lot|model|article|art\.|isbn|ean)(?:[ \t_]?(?:no\.?|nr\.?|number|num|id|#))?["']?[ \t]*[:#=]?[ \t]*["']?#?$/i;
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
  /(?:phone|mobile|mobil|handy|cellulare|cell|telephone|téléphone|telem[oó]vel|mobiel|telefone|telefono|teléfono|telefonu|telefon|tél|tel|celular|cel\.?|móvil|movil|gsm|puhelin|portable|msisdn|whatsapp|fax|recipient|"to"|\bto=|(?:sms|otp|text|message|code)(?: \w{1,12})? (?:sent|dispatched|delivered) to|mob\.?|caller|ph\.?|puh\.?|tlf\.?|tfn|\n[TMP]|reach (?:me|us|him|her|them)(?: on| at)?|call(?: [^\s\d.,;:!?]{1,20}){1,3}?(?: back)? (?:on|at)|call(?:back| back| me)?(?: on| at)?)(?:[ _-]?(?:number|no|nr|num|e164))?/gi;
// "Teléfono de contacto: …", "numer telefonu to …", {"phone":["694 840 091", …]}.
const PHONE_AFTER_KEY =
  /\\?["'.]?(?:(?:[ \t]{1,2}[^\s\d:=#"'.,;]{2,12}){1,2}?[ \t]{0,2}(?=:))?[ \t]{0,4}(?:(?:[:=#]|is|on|at|no\.?|nr\.?|to|es|est|ist|è|é|er|är)[ \t]{0,4})?\[?\\?["']?[ \t]{0,2}((?:\+|%2B)?\(?\d(?:[\d \-.()/]|%20){7,20}\d)(?![\w%])/iy;
const DATE_LIKE = /^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$|^\d{1,3}(?:\.\d{1,3}){3}$/;

function detectPhoneFields(s: string, emit: Emit) {
  PHONE_KEY.lastIndex = 0;
  for (let m; (m = PHONE_KEY.exec(s)); ) {
    const end = m.index + m[0].length;
    if ((m.index > 0 && /[A-Za-z]/.test(s.charAt(m.index - 1))) || /[A-Za-z]/.test(s.charAt(end))) {
      // hotel, telemetry; "\nPhone:" matched as the signature key "\nP": retry inside it for the longer key
      if (m[0].charAt(0) === "\n") PHONE_KEY.lastIndex = m.index + 1;
      continue;
    }
    PHONE_AFTER_KEY.lastIndex = end;
    const v = PHONE_AFTER_KEY.exec(s);
    if (!v?.[1]) continue;
    let num = v[1];
    while (/[ .\-(/]$/.test(num)) num = num.slice(0, -1);
    // In a query string the separators are percent-encoded: phone=05%2093%2027%2097%2037, %2B33612345678.
    const plain = num.replace(/%20/g, " ").replace(/^%2B/i, "+");
    const digits = digitsOnly(plain);
    // 8 digits only in groups (Nordic "22 33 44 55", "40 12 34 56"), not a bare id.
    if (digits.length < (/^\d{2,4}(?: \d{2,4}){2,3}$/.test(plain) ? 8 : 9) || digits.length > 15 || DATE_LIKE.test(plain)) continue;
    // After a bare "to" key the number must read as a phone, not an epoch or an id ("to=1714568401000"):
    // a separator, a + or 0 prefix, or a 10-digit mobile starting 6-9.
    if (/^(?:"to"|to=)$/i.test(m[0]) && !/[ .\-()]|^[+0]/.test(plain) && !/^[6-9]\d{9}$/.test(plain)) continue;
    const start = PHONE_AFTER_KEY.lastIndex - v[1].length;
    if (UNIT_AFTER.test(s.slice(start + num.length, start + num.length + 10))) continue;
    emit("phone", start, start + num.length, digits);
  }
}

const PHONE_WORDS = ["phone", "mobil", "mob", "handy", "cell", "tel", "portable", "msisdn", "whatsapp", "fax", "call", "recipient", '"to"', "to=", " to ", "reach", "celular", "cel", "gsm", "móvil", "movil", "tél", "puhelin", "ph", "puh", "tlf", "tfn", "\nt ", "\nm ", "\np "];
const PATH_PHONE_BEFORE = /(?:phone|phones|tel|mobile|msisdn|numbers?|contacts?)\/$/i;
const idBefore = (s: string, i: number) => ID_BEFORE.test(s.slice(Math.max(0, i - 24), i));

export function detectPhones({ s, lower, emit }: Ctx) {
  if (PHONE_WORDS.some((w) => lower.includes(w))) detectPhoneFields(s, emit);
  PHONE_NATIONAL.lastIndex = 0;
  for (let m; (m = PHONE_NATIONAL.exec(s)); ) {
    if (m.index > 0 && /[\w+.\-/:]/.test(s.charAt(m.index - 1))) {
      PHONE_NATIONAL.lastIndex = m.index + 1; // inside a longer token: retry from the next position
      continue;
    }
    if (VERSION_BEFORE.test(s.slice(Math.max(0, m.index - 24), m.index)) || idBefore(s, m.index)) continue;
    const digits = digitsOnly(m[0]);
    if (m[3] && (digits.length < 11 || digits.length > 17 || /\d ?$/.test(s.slice(Math.max(0, m.index - 2), m.index)))) continue;
    emit("phone", m.index, m.index + m[0].length, digits);
  }
  if (s.includes("(+")) {
    PHONE_PAREN_CC.lastIndex = 0;
    for (let m; (m = PHONE_PAREN_CC.exec(s)); ) {
      const digits = digitsOnly(m[0]);
      if (digits.length < 8 || digits.length > 15 || UNIT_AFTER.test(s.slice(m.index + m[0].length, m.index + m[0].length + 10))) continue;
      emit("phone", m.index, m.index + m[0].length, digits);
    }
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
    else if (/^\+1[ .-]$/.test(s.slice(start - 3, start)) && !/[\w+.-]/.test(s.charAt(start - 4))) start -= 3; // +1 415.555.0134
    if (start > 0 && /[\w+.-]/.test(s.charAt(start - 1))) continue;
    if (idBefore(s, start)) continue;
    // A whole URL path segment (`/catalog/sku/928-721-3086/stock`) is an id, unless a phone word names it (`/tel/…`).
    if (s.charAt(start - 1) === "/" && s.charAt(m.index + m[0].length) === "/" && !PATH_PHONE_BEFORE.test(s.slice(Math.max(0, start - 12), start))) continue;
    const digits = digitsOnly(s.slice(start, m.index + m[0].length));
    emit("phone", start, m.index + m[0].length, digits.length === 10 ? `1${digits}` : digits);
  }
  PHONE_TRUNK.lastIndex = 0;
  for (let m; (m = PHONE_TRUNK.exec(s)); ) {
    if ((m.index > 0 && /[\w+.\-/:]/.test(s.charAt(m.index - 1))) || idBefore(s, m.index)) continue;
    const digits = digitsOnly(m[0]);
    const max = /^01[5-7]/.test(digits) ? 12 : 11; // German mobiles: 0171 39133950
    if (digits.length < 10 || digits.length > max) continue;
    emit("phone", m.index, m.index + m[0].length, digits);
  }
}
