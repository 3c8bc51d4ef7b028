// Person names, postal addresses and dates of birth. Unlike tokens and numbers these have no shape of their own
// ("Jenkins" is a CI server and a surname), so each is found from its context only:
// - names after a key (`"first_name": "Lena"`, `customer="Grace O'Brien"`), a title (Mr, Dr, Frau, Mme …), a
//   greeting (Dear, Hi, Bonjour …), a role (customer, cardholder, assigned to, reported by …), before a verb of
//   reporting ("Priya Raman reported") or an e-mail in angle brackets, after a sign-off ("Thanks,\n…"), or as a
//   chat speaker ("[09:42] Marcus Chen: …", "alice.smith: …"); weaker contexts need the word in the name list
//   (names.ts) and never take a word that operations text uses otherwise;
// - addresses by their grammar in the US/UK (number, street, street type, town, state + ZIP or postcode), Germany
//   (street + suffix, number, 5-digit PLZ), France (number, rue/avenue/…, 5-digit code, town) and India (flat or
//   house number, locality parts, 6-digit PIN), or as the value of an address key;
// - dates of birth: a date right after dob / date_of_birth / birthday / born / geb. / né le ….
// Every pattern is bounded and anchored at a literal trigger, so cost stays linear in the input.
import { isKnownName, isNotName } from "@/lib/redact/names";

export type PersonalType = "person_name" | "postal_address" | "date_of_birth";
export type PersonalEmit = (type: PersonalType, start: number, end: number) => void;

const WINDOW = 96; // how far back the postfix contexts ("… reported", "… <a@b.io>") look for the name

// One name word: Lena, McDonald, O'Brien, Al-Sayed, Jean-Luc, Müller.
const W = String.raw`\p{Lu}(?:\p{Ll}+(?:\p{Lu}\p{Ll}+)?|['’]\p{Lu}\p{Ll}+)(?:-\p{Lu}?\p{Ll}+)?`;
const PARTICLE = "(?:van|von|de|da|del|der|den|di|du|la|le|bin|ibn|al|el|dos|das|ten|ter)";
const PHRASE = `${W}(?: (?:${PARTICLE} )?(?:\\p{Lu}\\. )?${W}){0,3}`;
const PHRASE_AT = new RegExp(PHRASE, "uy");
const PHRASE_END = new RegExp(`(?:^|[^\\p{L}'’.-])(${PHRASE})$`, "u");
const ORG = new Set(
  "corp corporation inc ltd llc plc gmbh ag sa sas sarl bv nv group holdings labs systems solutions technologies software networks consulting partners bank insurance company foundation university team".split(
    " ",
  ),
);

type Strength = "strong" | "medium" | "weak";

/** The accepted part of a name phrase starting at `i`, as [start, end], or null. */
function nameAt(s: string, i: number, strength: Strength): [number, number] | null {
  PHRASE_AT.lastIndex = i;
  const m = PHRASE_AT.exec(s);
  if (!m) return null;
  if (/[\p{L}\d_]/u.test(s.charAt(i + m[0].length))) return null; // "Ab12", a longer identifier
  return acceptName(m[0], strength, i);
}

function acceptName(phrase: string, strength: Strength, at: number): [number, number] | null {
  const words = phrase.split(" ");
  const nameWords = words.filter((w) => !/^\p{Lu}\.$/u.test(w) && !/^\p{Ll}/u.test(w));
  if (nameWords.some((w) => ORG.has(w.toLowerCase()))) return null; // "Acme Corp"
  // Cut at the first word that operations text uses otherwise ("Priya Support", "Frau Becker" → "Priya", "").
  let keep = 0;
  let end = 0;
  for (const w of words) {
    if (isNotName(w)) break;
    keep++;
    end += (end ? 1 : 0) + w.length;
  }
  if (keep === 0) return null;
  const kept = words.slice(0, keep).filter((w) => /^\p{Lu}\p{Ll}/u.test(w) || /^\p{Lu}['’]/u.test(w));
  if (kept.length === 0) return null;
  const known = kept.filter((w) => isKnownName(w)).length;
  if (strength === "medium" && known === 0) return null;
  if (strength === "weak" && (kept.length < 2 || known === 0 || keep < words.length)) return null;
  let text = words.slice(0, keep).join(" ");
  while (/ (?:\p{Lu}\.|\p{Ll}+)$/u.test(text)) text = text.replace(/ \S+$/u, ""); // no trailing particle/initial
  end = text.length;
  return [at, at + end];
}

// ---------------------------------------------------------------------------------------------------------------
// names after a context word

const TITLE = /\b(?:Mr|Mrs|Ms|Mx|Miss|Dr|Prof|Herr|Herrn|Frau|Mme|Mlle|Monsieur|Madame|Sr|Sra|Srta|Señor|Señora|Shri|Smt|Sir|Dame)\.?[ \t]+|\bM\.[ \t]+/g;
const GREETING =
  /\b(?:[Dd]ear|[Hh]i|[Hh]ello|[Hh]ey|[Bb]onjour|[Bb]onsoir|[Hh]allo|[Hh]ola|[Cc]iao|[Ss]alut|[Nn]amaste|[Ll]iebe|[Ll]ieber|[Gg]ood (?:morning|afternoon|evening))[ \t]+/g;
const ROLE =
  /\b(?:customer|client|caller|patient|employee|cardholder|card holder|account holder|recipient|requester|requestor|reporter|assignee|applicant|subscriber|buyer|passenger|user|contact|kunde|kundin|cliente|utilisateur|spoke (?:with|to)|talked to|talking to|called|emailed|texted|messaged|(?:re)?assigned to|escalated to|handed (?:over )?to|reported by|opened by|submitted by|requested by|approved by|created by|raised by|filed by|handled by|escalated by|signed by|updated by|on behalf of|attn|attention|ship to|deliver to|named)\b(?:[ \t]*[:=-])?[ \t]+/gi;
const WEAK = /\b(?:[Ff]rom|[Bb]y|[Ww]ith|cc|CC|[Nn]ame)(?:[ \t]*[:=])?[ \t]+/g;
const SIGN_OFF =
  /\b(?:[Tt]hanks|[Tt]hank you|[Rr]egards|[Bb]est|[Cc]heers|[Ss]incerely|[Mm]erci|[Cc]ordialement|[Gg]rüße|[Gg]ruß|[Ss]aludos|[Aa]tentamente)[ \t]*[,!.]?[ \t]*(?:\r?\n|\\n)[ \t]*/g;
const POSTFIX = /[ \t](?:reported|called|said|wrote|asked|complained|confirmed|mentioned|emailed|replied|requested|commented|noted|says|writes|asks)\b/g;
const ANGLE_EMAIL = /[ \t]<[^\s<>@]{1,64}@[^\s<>@]{1,255}>/g;

function afterTriggers(s: string, re: RegExp, strength: Strength, emit: PersonalEmit) {
  re.lastIndex = 0;
  for (let m; (m = re.exec(s)); ) {
    const r = nameAt(s, m.index + m[0].length, strength);
    if (r) emit("person_name", r[0], r[1]);
  }
}

function beforeTriggers(s: string, re: RegExp, emit: PersonalEmit) {
  re.lastIndex = 0;
  for (let m; (m = re.exec(s)); ) {
    const from = Math.max(0, m.index - WINDOW);
    const p = PHRASE_END.exec(s.slice(from, m.index));
    if (!p?.[1]) continue;
    const start = m.index - p[1].length;
    const r = acceptName(p[1], "medium", start);
    if (r) emit("person_name", r[0], r[1]);
  }
}

// Chat speakers at the start of a line (or of a JSON string): "[09:42] Marcus Chen: …", "alice.smith: …".
const SPEAKER = new RegExp(
  String.raw`[ \t]*(?:\[[^\]\n]{1,40}\][ \t]*|\(?\d{1,2}:\d{2}(?::\d{2})?\)?[ \t]+)?<?(${PHRASE}|[a-z]{2,20}[._][a-z]{2,20})>?:[ \t]+(?=\S+[ \t]+\S)`,
  "uyd",
);

function speakers(s: string, emit: PersonalEmit) {
  const at = (i: number) => {
    SPEAKER.lastIndex = i;
    const m = SPEAKER.exec(s);
    if (!m?.[1]) return;
    const who = m[1];
    const start = m.indices?.[1]?.[0] ?? -1;
    if (start < 0) return;
    if (/^[a-z]/.test(who)) {
      const parts = who.split(/[._]/);
      if (parts.every((p) => isKnownName(p))) emit("person_name", start, start + who.length);
      return;
    }
    const words = who.split(" ");
    if (words.length >= 2 && words.every((w) => !isNotName(w)) && words.some((w) => isKnownName(w))) {
      emit("person_name", start, start + who.length);
    }
  };
  at(0);
  for (let i = s.indexOf("\n"); i >= 0; i = s.indexOf("\n", i + 1)) at(i + 1);
  for (let i = s.indexOf("\\n"); i >= 0; i = s.indexOf("\\n", i + 2)) at(i + 2);
}

// ---------------------------------------------------------------------------------------------------------------
// names as values of keys

const STRONG_KEYS = new Set(
  (
    "firstname lastname surname givenname familyname middlename fullname customername contactname patientname " +
    "employeename cardholder cardholdername holdername nameoncard nameonaccount accountholder accountholdername " +
    "recipientname sendername billingname shippingname passengername guestname beneficiaryname payeename " +
    "personname legalname realname callername applicantname vorname nachname nom prenom"
  ).split(" "),
);
const WEAK_KEYS = new Set(
  "name customer client clientname recipient patient displayname author owner assignee reporter requester sender contact beneficiary payee passenger guest".split(
    " ",
  ),
);

function keyClass(key: string): Strength | null {
  const k = key.toLowerCase().replace(/[^a-z]/g, "");
  if (STRONG_KEYS.has(k)) return "strong";
  if (WEAK_KEYS.has(k)) return "weak";
  return null;
}

const VALUE_NAME = new RegExp(`^(?:${PHRASE})$`, "u");
const CAPS_NAME = /^\p{Lu}{2,}(?:[ '-]\p{Lu}{2,}){0,3}$/u;

/** True when `value`, found under `key`, is a person's name. */
export function isNameValue(key: string, value: string): boolean {
  const cls = keyClass(key);
  if (!cls || value.length > 80) return false;
  const v = value.trim();
  if (cls === "strong" && CAPS_NAME.test(v)) return !isNotName(v);
  if (!VALUE_NAME.test(v)) return false;
  const r = acceptName(v, cls === "strong" ? "strong" : "weak", 0);
  return r !== null && r[1] === v.length;
}

const KEY_TRIGGER =
  /name|customer|client|recipient|patient|author|owner|assignee|reporter|requester|sender|contact|beneficiary|payee|passenger|guest|cardholder|surname|holder|vorname|nachname|prenom|nom\b/gi;
const KEY_CHAR = /[A-Za-z0-9_.-]/;

function keyedNames(s: string, emit: PersonalEmit) {
  KEY_TRIGGER.lastIndex = 0;
  let resume = 0;
  for (let m; (m = KEY_TRIGGER.exec(s)); ) {
    let ks = m.index;
    let ke = m.index + m[0].length;
    if (ks < resume) continue;
    while (ks > 0 && m.index - ks < 40 && KEY_CHAR.test(s.charAt(ks - 1))) ks--;
    while (ke < s.length && ke - m.index < 40 && KEY_CHAR.test(s.charAt(ke))) ke++;
    KEY_TRIGGER.lastIndex = ke;
    const key = s.slice(ks, ke);
    if (!keyClass(key)) continue;
    let i = ke;
    if (s.charAt(i) === '"' || s.charAt(i) === "'") i++;
    while (s.charAt(i) === " " || s.charAt(i) === "\t") i++;
    if (s.charAt(i) !== ":" && s.charAt(i) !== "=") continue;
    i++;
    while (s.charAt(i) === " " || s.charAt(i) === "\t") i++;
    const q = s.charAt(i);
    if (q === '"' || q === "'") {
      const close = s.indexOf(q, i + 1);
      if (close < 0 || close - i > 82) continue;
      const v = s.slice(i + 1, close);
      if (isNameValue(key, v)) emit("person_name", i + 1, close);
      resume = close;
    } else {
      PHRASE_AT.lastIndex = i;
      const p = PHRASE_AT.exec(s);
      if (!p) continue;
      const next = s.charAt(i + p[0].length);
      if (next && !/[\s,;&)}\]]/.test(next)) continue;
      if (isNameValue(key, p[0])) emit("person_name", i, i + p[0].length);
    }
  }
}

export function detectNames(s: string, emit: PersonalEmit) {
  afterTriggers(s, TITLE, "strong", emit);
  afterTriggers(s, GREETING, "medium", emit);
  afterTriggers(s, ROLE, "medium", emit);
  afterTriggers(s, WEAK, "weak", emit);
  afterTriggers(s, SIGN_OFF, "medium", emit);
  beforeTriggers(s, POSTFIX, emit);
  beforeTriggers(s, ANGLE_EMAIL, emit);
  speakers(s, emit);
  keyedNames(s, emit);
}

// ---------------------------------------------------------------------------------------------------------------
// postal addresses

const CAP = String.raw`\p{Lu}[\p{L}'’.-]{1,30}`;
const TOWN = `${CAP}(?: ${CAP}){0,2}`;
// US and UK: number, street words, street type, optional direction / unit, towns, then state + ZIP or postcode.
const EN_STREET =
  "Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter|Parkway|Pkwy|Circle|Cir|Highway|Hwy|Square|Sq|Trail|Close|Crescent|Gardens|Grove|Hill|Mews|Row|Walk|Rise|Green|Park";
const EN_ADDRESS = new RegExp(
  String.raw`\b\d{1,6}[A-Z]?,? (?:${CAP} ){1,3}(?:${EN_STREET})\.?(?: (?:NW|NE|SW|SE|N|S|E|W))?` +
    String.raw`(?:,? (?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|Fl|#)\.? ?[A-Za-z0-9-]{1,6})?` +
    String.raw`(?:(?:,? ${TOWN}){1,3}(?:,? (?:[A-Z]{2} \d{5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}))|(?=[\s,.;)"']|$))`,
  "gu",
);
// Germany: "Hauptstraße 12, 10115 Berlin", "Goethestr. 7a", "Am Markt 3, 28195 Bremen".
const DE_ADDRESS = new RegExp(
  String.raw`(?:\b\p{Lu}[\p{Ll}ß]+(?:[ -]\p{Lu}?[\p{Ll}ß]+){0,2}(?:straße|strasse|str\.|weg|allee|platz|gasse|ring|damm|ufer|chaussee|steig|pfad)|\b(?:Am|An der|Auf der|Auf dem|Im|In der|Zum|Zur) \p{Lu}[\p{Ll}ß]+)` +
    String.raw` \d{1,4}[a-z]?(?:, \d{5} ${TOWN})?(?![\p{L}\d])`,
  "gu",
);
// France: "15 rue de la Paix, 75002 Paris", "3 avenue des Champs-Élysées, 75008 Paris".
const FR_ADDRESS = new RegExp(
  String.raw`\b\d{1,4}(?: ?(?:bis|ter))?,? (?:rue|avenue|av\.|boulevard|bd|place|chemin|allée|impasse|quai|route|cours|square|passage)` +
    String.raw`(?: [\p{L}'’-]{1,30}){1,5}?, \d{5} ${TOWN}`,
  "giu",
);
// India: "Flat 12B, Sunrise Apartments, MG Road, Bengaluru 560001", "House No. 45, Sector 21, Gurugram, Haryana 122001".
const IN_ADDRESS = new RegExp(
  String.raw`\b(?:Flat|House|H\.? ?No\.?|Plot|Door|Shop|Villa)(?: No\.?)? ?[A-Z0-9/-]{1,8},(?: [^,\n"]{2,40},){0,5} ${CAP}(?: ${CAP})?(?:,? ${CAP}(?: ${CAP})?)?(?: -)? \d{6}(?!\d)`,
  "gu",
);
const ADDRESS_KEYS = new Set(
  "address shippingaddress billingaddress homeaddress streetaddress mailingaddress postaladdress deliveryaddress street street1 street2 addressline1 addressline2 addressline address1 address2 addr lieferadresse anschrift adresse".split(
    " ",
  ),
);
// A value that reads as a postal address: words and a house number, not an IP, host:port, e-mail or URL.
const POSTAL_VALUE = /^(?=.*\p{L}{3})(?=.*\d)[\p{L}\d .,'’#/-]{5,160}$/u;
const ADDRESS_KEY_TRIGGER = /addr|street|adresse|anschrift/gi;

/** True when `value`, found under `key`, is a postal address. */
export function isAddressValue(key: string, value: string): boolean {
  const k = key.toLowerCase().replace(/[^a-z0-9]/g, "");
  if (!ADDRESS_KEYS.has(k)) return false;
  const v = value.trim();
  return POSTAL_VALUE.test(v) && / /.test(v) && !/^\d{1,3}(?:\.\d{1,3}){3}/.test(v);
}

function keyedAddresses(s: string, emit: PersonalEmit) {
  ADDRESS_KEY_TRIGGER.lastIndex = 0;
  for (let m; (m = ADDRESS_KEY_TRIGGER.exec(s)); ) {
    let ks = m.index;
    let ke = m.index + m[0].length;
    while (ks > 0 && m.index - ks < 40 && KEY_CHAR.test(s.charAt(ks - 1))) ks--;
    while (ke < s.length && ke - m.index < 40 && KEY_CHAR.test(s.charAt(ke))) ke++;
    ADDRESS_KEY_TRIGGER.lastIndex = ke;
    let i = ke;
    if (s.charAt(i) === '"' || s.charAt(i) === "'") i++;
    while (s.charAt(i) === " ") i++;
    if (s.charAt(i) !== ":" && s.charAt(i) !== "=") continue;
    i++;
    while (s.charAt(i) === " ") i++;
    const q = s.charAt(i);
    if (q !== '"' && q !== "'") continue;
    const close = s.indexOf(q, i + 1);
    if (close < 0 || close - i > 162) continue;
    if (isAddressValue(s.slice(ks, ke), s.slice(i + 1, close))) emit("postal_address", i + 1, close);
  }
}

export function detectAddresses(s: string, emit: PersonalEmit) {
  if (/\d/.test(s)) {
    for (const re of [EN_ADDRESS, DE_ADDRESS, FR_ADDRESS, IN_ADDRESS]) {
      re.lastIndex = 0;
      for (let m; (m = re.exec(s)); ) {
        let v = m[0];
        while (/[,.]$/.test(v)) v = v.slice(0, -1);
        if (re === EN_ADDRESS && !/\d{5}|[A-Z]\d[A-Z\d]? ?\d[A-Z]{2}$/.test(v) && !ADDRESS_CONTEXT.test(s.slice(Math.max(0, m.index - 40), m.index))) {
          continue; // a street alone ("12 Main St") needs a context: "ship to", "address:", …
        }
        emit("postal_address", m.index, m.index + v.length);
      }
    }
  }
  keyedAddresses(s, emit);
}

const ADDRESS_CONTEXT = /(?:ship(?:ping)? to|deliver(?:y|ed)? to|address|lives at|moved to|located at|send (?:it )?to|return to)[ \t:=,"']*$/i;

// ---------------------------------------------------------------------------------------------------------------
// dates of birth

const MONTHS =
  "jan(?:uary|uar)?|feb(?:ruary|ruar)?|m(?:ar(?:ch)?|ärz|ars)|apr(?:il)?|ma[iy]|june?|juin|juni|july?|juil(?:let)?|juli|aug(?:ust)?|ao[uû]t|sep(?:t(?:ember)?)?|oct(?:ober)?|okt(?:ober)?|nov(?:ember)?|dec(?:ember)?|dez(?:ember)?|janvier|f[ée]vrier|avril|mai|septembre|octobre|novembre|d[ée]cembre";
const DATE =
  String.raw`(?:\d{4}-\d{2}-\d{2}|\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{1,2}(?:st|nd|rd|th|er)?\.? (?:of )?(?:${MONTHS})\.?,? \d{4}|(?:${MONTHS})\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4}|\d{1,2}-(?:${MONTHS})-\d{4})(?![\d:])`;
const DOB_TRIGGER =
  /\b(?:dob|d\.o\.b\.?|date[_ ]?of[_ ]?birth|dateofbirth|birth[_ ]?date|birthdate|birthday|born|geb\.|geboren|née?|date de naissance|fecha de nacimiento|geburtsdatum)/gi;
const DOB_VALUE = new RegExp(String.raw`(?:["'\s:=,(]|on\b|am\b|le\b|in\b|the\b){0,8}?(${DATE}|(?<=in )\d{4}(?!\d))`, "iuy");

const DOB_KEYS = new Set("dob dateofbirth birthdate birthday geburtsdatum datedenaissance".split(" "));
const DATE_ONLY = new RegExp(`^${DATE}$`, "iu");

/** True when `value`, found under `key`, is a date of birth. */
export function isDobValue(key: string, value: string): boolean {
  return DOB_KEYS.has(key.toLowerCase().replace(/[^a-z]/g, "")) && DATE_ONLY.test(value.trim());
}

export function detectDob(s: string, lower: string, emit: PersonalEmit) {
  DOB_TRIGGER.lastIndex = 0;
  for (let m; (m = DOB_TRIGGER.exec(lower)); ) {
    DOB_VALUE.lastIndex = m.index + m[0].length;
    const v = DOB_VALUE.exec(s);
    if (!v?.[1]) continue;
    const end = DOB_VALUE.lastIndex;
    emit("date_of_birth", end - v[1].length, end);
  }
}
