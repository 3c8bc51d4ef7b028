// Card numbers (Luhn, brand prefixes), IBANs (mod 97) and US SSNs (dashed, or loose next to an SSN/TIN label).
// The linear-time rules in detect.ts apply to every pattern here.
import { type Ctx, digitsOnly, type Emit, ibanValid, isAlnum, luhn } from "@/lib/redact/detect-common";

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

export function detectCards({ s, emit }: Ctx) {
  CARD.lastIndex = 0;
  for (let m; (m = CARD.exec(s)); ) {
    const jsonNumber = s.charAt(m.index - 1) === ":" && /["']/.test(s.charAt(m.index - 2)); // {"pan":4474…}
    if (m.index > 0 && /[\w.:/+-]/.test(s.charAt(m.index - 1)) && !jsonNumber) { // "+4915…" is a phone
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

export function detectIbans({ s, emit }: Ctx) {
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

// Spaced 3-2-4 groups in the same clause as an SSN word ("SSN format invalid, expected ddd-dd-dddd but got "250 31
// 2147""): up to 72 chars back, no digit or line break between; only the spaced form (a 9-digit run is too often an id).
const SSN_CLAUSE_BEFORE = /(?:\bssn\b|social[ _-]?security)[^\n\d]{0,72}$/;
function ssnClause(s: string, lower: string, at: number, sep: string): boolean {
  return sep === " " && SSN_CLAUSE_BEFORE.test(lower.slice(Math.max(0, at - 88), at));
}

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
    if (SSN_LABEL_BEFORE.test(lower.slice(Math.max(0, m.index - 40), m.index)) || SSN_LABEL_AFTER.test(s.slice(end, end + 24)) || ssnClause(s, lower, m.index, m[1] ?? "")) {
      emit("ssn", m.index, end, digits);
    }
  }
}

export function detectSsns({ s, lower, emit }: Ctx) {
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
