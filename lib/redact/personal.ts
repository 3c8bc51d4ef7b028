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
import { isKnownName, isNotName, isPlaceSurname } from "@/lib/redact/names";

export type PersonalType = "person_name" | "postal_address" | "date_of_birth";
export type PersonalEmit = (type: PersonalType, start: number, end: number) => void;

const WINDOW = 64; // how far back the postfix contexts ("… reported", "… <a@b.io>") look for the name

// One name word: Lena, McDonald, O'Brien, Al-Sayed, Jean-Luc, Müller.
const W = String.raw`\p{Lu}(?:\p{Ll}+(?:\p{Lu}\p{Ll}+)?|['’]\p{Lu}\p{Ll}+)(?:-\p{Lu}?\p{Ll}+)?`;
const PARTICLE = "(?:van|von|de|da|del|der|den|di|du|la|le|bin|ibn|al|el|dos|das|ten|ter)";
const PHRASE = `${W}(?: (?:\\p{Lu}\\. )?(?:${PARTICLE} ){0,2}${W}){0,3}`;
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
    if (isNotName(w) && !(keep > 0 && isPlaceSurname(w))) break;
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

const TITLE =
  /\b(?:Mr|Mrs|Ms|Mx|Miss|Dr|Prof|Herr|Herrn|Frau|Mme|Mlle|Monsieur|Madame|Sr|Sra|Srta|Señor|Señora|Shri|Smt|Sir|Dame|Sig(?:\.?ra|\.?na)?|Signor|Signora|Dott(?:\.?ssa)?|Dhr|Mevr|Mevrouw|Meneer|Dona)\.?[ \t]+|\bM\.[ \t]+/g;
// After a title a surname may start with its particles: "Mr. van der Berg", "Mme de La Fontaine".
const LEAD_PARTICLES = /(?:(?:van|von|de|der|den|da|del|della|di|du|la|le|dos|das|ten|ter|'t) ){1,3}(?=\p{Lu})/uy;
const GREETING =
  /\b(?:[Dd]ear|[Hh]i|[Hh]ello|[Hh]ey|[Bb]onjour|[Bb]onsoir|[Hh]allo|[Hh]ola|[Cc]iao|[Ss]alut|[Nn]amaste|[Ll]iebe|[Ll]ieber|[Gg]ood (?:morning|afternoon|evening))[ \t]+/g;
const ROLE =
  /\b(?:customer|client|caller|patient|employee|cardholder|card holder|account holder|recipient|requester|requestor|reporter|assignee|applicant|subscriber|buyer|passenger|user|contact|contact person|kunde|kundin|cliente|utilisateur|ansprechpartner(?:in)?|kontaktperson|spoke (?:with|to)|talked to|(?:my |our |a )?colleague|identified as|verified as|(?:approved|issued|processed|refunded|booked|registered) for|klant|cli[eë]nt|utente|usu[aá]ri[oa]|policyholder|holder|beneficiary|payee|talking to|called|emailed|texted|messaged|(?:re)?assign(?:ed)? to|escalate(?:d)? to|hand(?:ed)? (?:over |it )?to|forward(?:ed)? to|reported by|opened by|submitted by|requested by|approved by|created by|raised by|filed by|handled by|escalated by|signed by|updated by|on behalf of|according to|thanks to|ping|paging|attn|attention|ship to|deliver to|named|(?:my |his |her |their )?name is)\b(?:[ \t]{0,4}[:=,-])?[ \t]{1,4}/gi;
// "This is Fatima from billing", "I'm Kenji, …": a self-introduction, one name word only before from/here/a comma.
const INTRO = /\b(?:[Tt]his is|I am|I'm|[Ii]ch bin|[Jj]e suis|[Mm]e llamo)[ \t]{1,4}/g;
const WEAK = /\b(?:[Ff]rom|[Bb]y|[Ww]ith|cc|CC|[Nn]ame)(?:[ \t]*[:=])?[ \t]+/g;
const SIGN_OFF =
  /\b(?:[Tt]hanks|[Tt]hank you|[Rr]egards|[Bb]est|[Cc]heers|[Ss]incerely|[Mm]erci|[Cc]ordialement|[Gg]rüße|[Gg]ruß|[Ss]aludos|[Aa]tentamente)[ \t]{0,4}(?:[,!.]?[ \t]{0,4}(?:\r?\n|\\n)|[,!.]?[ \t]{0,4}[—–-]|,)[ \t]{0,4}/g;
// Chat mentions: "@alice.smith", "@bob_jones" (both parts must be names).
const MENTION = /(?:^|[\s(,;])@([a-z]{2,20}[._][a-z]{2,20})(?![\w.-]*@|[\w-])/gd;
const POSTFIX =
  /[ \t](?:reported|called|said|wrote|asked|complained|confirmed|mentioned|emailed|replied|requested|commented|noted|says|writes|asks|moved|wants|needs|lives|phoned|disputed|claims|meldet|signale|segnala|informou|reclama|meldt|\((?:dob|d\.o\.b|born|geb|née?)\b)\b|,[ \t]born\b/g;
const ANGLE_EMAIL = /[ \t][<(][^\s<>()@]{1,64}@[^\s<>()@]{1,255}[>)]/g;

function afterTriggers(s: string, re: RegExp, strength: Strength, emit: PersonalEmit) {
  re.lastIndex = 0;
  for (let m; (m = re.exec(s)); ) {
    let at = m.index + m[0].length;
    let from = at;
    if (re === TITLE) {
      LEAD_PARTICLES.lastIndex = at;
      if (LEAD_PARTICLES.exec(s)) at = LEAD_PARTICLES.lastIndex;
      else from = -1;
    }
    // "applicant 'Camille Mensah'", customer "Arjun Bauer": the name may be quoted.
    const q = s.charAt(at);
    if (re !== TITLE && (q === "'" || q === '"') && s.charAt(at + 1) !== q) from = ++at;
    const r = nameAt(s, at, strength);
    if (r) emit("person_name", from >= 0 ? from : r[0], r[1]);
  }
}

function intros(s: string, emit: PersonalEmit) {
  INTRO.lastIndex = 0;
  for (let m; (m = INTRO.exec(s)); ) {
    const r = nameAt(s, m.index + m[0].length, "medium");
    if (!r) continue;
    const multi = s.slice(r[0], r[1]).includes(" ");
    if (multi || /^[ \t]*(?:,|from\b|here\b|speaking\b|calling\b|with\b|at\b|of\b|und\b|de\b)/.test(s.slice(r[1], r[1] + 12))) {
      emit("person_name", r[0], r[1]);
    }
  }
}

function mentions(s: string, emit: PersonalEmit) {
  if (!s.includes("@")) return;
  MENTION.lastIndex = 0;
  for (let m; (m = MENTION.exec(s)); ) {
    const at = m.indices?.[1];
    if (at && (m[1] ?? "").split(/[._]/).every((p) => isKnownName(p))) emit("person_name", at[0], at[1]);
  }
}

function beforeTriggers(s: string, re: RegExp, emit: PersonalEmit) {
  re.lastIndex = 0;
  for (let m; (m = re.exec(s)); ) {
    if (!/\p{Ll}/u.test(s.charAt(m.index - 1))) continue; // a name ends in a lowercase letter: "Raman <…>"
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
  String.raw`[ \t]*(\[[^\]\n]{1,40}\][ \t]*|\(?(?:\d{4}-\d{2}-\d{2}[ T])?\d{1,2}:\d{2}(?::\d{2})?(?: ?[AaPp][Mm])?\)?[ \t]+)?(?:<(${PHRASE}|[a-z]{2,20}[._][a-z]{2,20})>[ \t]+|(${PHRASE}|[a-z]{2,20}[._][a-z]{2,20}):[ \t]+)(?=\S)`,
  "uyd",
);

function speakers(s: string, emit: PersonalEmit) {
  const at = (i: number) => {
    SPEAKER.lastIndex = i;
    const m = SPEAKER.exec(s);
    const g = m?.[2] !== undefined ? 2 : 3;
    const who = m?.[g];
    const start = m?.indices?.[g]?.[0] ?? -1;
    if (!m || !who || start < 0) return;
    // One word ("Priya: I restarted it") only with a timestamp before it or a sentence after it.
    const single = !/[ ._]/.test(who);
    const rest = s.slice(SPEAKER.lastIndex, SPEAKER.lastIndex + 80);
    // Without a timestamp the line must go on as a sentence ("Cookie: a=b; c=d" does not); with one, a speaker
    // may say one word before a code block ("[10:48] Chloé Patel: repro:").
    if (!m[1] && !/^\S+[ \t]+\S/.test(rest)) return;
    if (single) {
      const prose = /^[^\s=:/]+[ \t]+\S+[ \t]+\S/.test(rest); // a sentence, not "Cookie: a=b; c=d"
      if ((m[1] || prose) && isKnownName(who)) emit("person_name", start, start + who.length);
      return;
    }
    if (/^[a-z]/.test(who)) {
      const parts = who.split(/[._]/);
      if (parts.every((p) => isKnownName(p))) emit("person_name", start, start + who.length);
      return;
    }
    const words = who.split(" ");
    if (words.length >= 2 && words.every((w, i) => !isNotName(w) || (i > 0 && isPlaceSurname(w))) && words.some((w) => isKnownName(w))) {
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
  (
    "name customer client clientname recipient patient displayname author owner assignee reporter requester sender " +
    "contact beneficiary payee passenger guest user username actor approver approvedby createdby updatedby " +
    "requestedby submittedby assignedto reportedby openedby closedby resolvedby ownername agent agentname engineer " +
    "oncall employee manager technician driver courier member attendee signatory holder applicant policyholder insured " +
    "subscriber buyer traveler traveller addressee debtor creditor payer to from cc bcc replyto"
  ).split(" "),
);

// Parts of a `name` object ({"first": "Lena", "last": "Hoffmann"}): a single word, but one from the list.
const MEDIUM_KEYS = new Set("first last given family fname lname forename".split(" "));

// `<role>_name` keys name a person: emp_name, doctor_name, contactPerson, submitter_name …
const PERSON_ROLE =
  /^(?:customer|contact|contactperson|patient|user|employee|emp|owner|holder|account|card|recipient|sender|billing|shipping|legal|real|person|guest|passenger|driver|agent|member|buyer|seller|applicant|caller|requester|requestor|reporter|assignee|author|manager|approver|beneficiary|payee|doctor|physician|nurse|student|teacher|tenant|landlord|spouse|parent|submitter|signer|traveler|traveller|insured|policyholder|subscriber)(?:name)?$/;

function keyClass(key: string): Strength | null {
  const k = key.toLowerCase().replace(/[^a-z]/g, "");
  if (STRONG_KEYS.has(k)) return "strong";
  if (k.endsWith("name") && PERSON_ROLE.test(k.slice(0, -4))) return "strong";
  if (k === "contactperson") return "strong";
  if (MEDIUM_KEYS.has(k)) return "medium";
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
  const r = acceptName(v, cls, 0);
  return r !== null && r[1] === v.length;
}

const KEY_CHAR = /[A-Za-z0-9_.-]/;

/** Names and addresses as values of keys: `"first_name": "Lena"`, `customer="Grace O'Brien"`, `street: "Am Markt 3"`.
 *  One pass over the `:` and `=` separators; a value that does not start with a capital letter (or a quote and
 *  one) is dropped before the key is even read. */
function keyedValues(s: string, emit: PersonalEmit) {
  SEPARATOR.lastIndex = 0;
  for (let m; (m = SEPARATOR.exec(s)); ) {
    const sep = m.index; // Ruby's `"name"=>"…"`: the key ends before "=>"
    let i = sep + m[0].length;
    while (i - sep < 9 && (s.charAt(i) === " " || s.charAt(i) === "\t")) i++;
    const q = s.charAt(i) === '"' || s.charAt(i) === "'" ? s.charAt(i) : "";
    const first = s.charCodeAt(i + q.length);
    const upper = first >= 65 && first <= 90;
    const digit = first >= 48 && first <= 57;
    if (!upper && !digit && first < 128) continue; // most values: lowercase words, numbers, objects
    let ke = sep;
    if (s.charAt(ke - 1) === '"' || s.charAt(ke - 1) === "'") ke--;
    while (ke > 0 && sep - ke < 6 && (s.charAt(ke - 1) === " " || s.charAt(ke - 1) === "\t")) ke--;
    let ks = ke;
    while (ks > 0 && ke - ks < 48 && KEY_CHAR.test(s.charAt(ks - 1))) ks--;
    if (ks === ke) continue;
    const key = s.slice(ks, ke);
    let vs = i;
    let ve: number;
    if (q) {
      const close = s.indexOf(q, i + 1);
      if (close < 0 || close - i > 162) continue;
      vs = i + 1;
      ve = close;
    } else if (upper || first >= 128) {
      PHRASE_AT.lastIndex = i;
      const p = PHRASE_AT.exec(s);
      if (!p) continue;
      ve = i + p[0].length;
      const next = s.charAt(ve);
      if (next && !/[\s,;&)}\]]/.test(next)) continue;
    } else continue;
    const v = s.slice(vs, ve);
    if (isNameValue(key, v)) emit("person_name", vs, ve);
    else if (q && isAddressValue(key, v)) emit("postal_address", vs, ve);
  }
}
// A separator followed by a value that may be a name or an address (capital, digit or non-ASCII first letter,
// maybe quoted): the lookahead runs in the regex engine, so runs of ":" or "=" never reach the loop above.
const SEPARATOR = /(?:=>|[:=])(?=[ \t]{0,8}["']?[A-Z0-9\u00c0-\uffff])/g;

// ---------------------------------------------------------------------------------------------------------------
// postal addresses

// A capitalized word; a dot only inside it ("St.Gallen") or closing a short abbreviation ("St. Albans"), so a town
// at the end of a sentence does not run on into the next one ("70173 Stuttgart. Rückruf …").
const CAP = String.raw`(?:\p{Lu}\p{Ll}{0,3}\.|\p{Lu}(?:[\p{L}'’-]|\.(?=\p{L})){1,30})`;
const TOWN = `${CAP}(?: ${CAP}){0,2}`;
// US and UK: number, street words, street type, optional direction / unit, towns, then state + ZIP or postcode.
const EN_STREET =
  "Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter|Parkway|Pkwy|Circle|Cir|Highway|Hwy|Square|Sq|Trail|Close|Crescent|Gardens|Grove|Hill|Mews|Row|Walk|Rise|Green|Park";
const EN_WORD = String.raw`(?:${CAP}|\d{1,3}(?:st|nd|rd|th)|[NSEW]\.?)`;
const US_STATES =
  "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming";
const EN_ADDRESS = new RegExp(
  String.raw`(?:\b(?:Flat|Apartment|Apt|Unit|Suite) [A-Za-z0-9-]{1,6},? )?(?:\bP\.? ?O\.? Box \d{1,6}|\b\d{1,6}[A-Z]?,? (?:${EN_WORD} ){1,3}(?:${EN_STREET})\.?(?: (?:NW|NE|SW|SE|N|S|E|W))?)` +
    String.raw`(?:,? (?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|Fl|#)\.? ?[A-Za-z0-9-]{1,6})?` +
    String.raw`(?:(?:,? ${TOWN}){1,3}?(?:,? (?:(?:[A-Z]{2}|${US_STATES}) \d{5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|[A-Z]{2} [A-Z]\d[A-Z] ?\d[A-Z]\d|(?:NSW|VIC|QLD|WA|SA|TAS|ACT|NT) \d{4}))|(?=[\s,.;)"']|$))`,
  "gu",
);
// Germany: "Hauptstraße 12, 10115 Berlin", "Goethestr. 7a", "Am Markt 3, 28195 Bremen".
const DE_SUFFIX = "straße|strasse|str\\.|weg|allee|platz|gasse|ring|damm|ufer|chaussee|steig|pfad|markt";
const DE_ADDRESS = new RegExp(
  String.raw`(?:\b\p{Lu}[\p{Ll}ß]+(?:-\p{Lu}[\p{Ll}ß]+){0,3}(?:-?(?:${DE_SUFFIX})|-(?:Straße|Strasse|Weg|Allee|Platz|Gasse|Ring|Damm|Ufer)| (?:Straße|Strasse|Str\.|Weg|Allee|Platz|Gasse|Ring|Damm|Ufer|Chaussee|Markt))` +
    String.raw`|\b(?:Am|An der|An den|Auf der|Auf dem|Im|In der|In den|Unter den|Zum|Zur|Alt-) ?\p{Lu}[\p{Ll}ß]+)` +
    String.raw` \d{1,4}[a-z]?(?:,? (?:D-)?\d{5} ${TOWN})?(?![\p{L}\d])`,
  "gu",
);
// France: "15 rue de la Paix, 75002 Paris", "3 avenue des Champs-Élysées, 75008 Paris".
const FR_ADDRESS = new RegExp(
  String.raw`\b\d{1,4}(?: ?(?:bis|ter))?,? (?:[Rr]ue|[Aa]venue|[Aa]v\.|[Bb]oulevard|[Bb]d|[Pp]lace|[Cc]hemin|[Aa]llée|[Ii]mpasse|[Qq]uai|[Rr]oute|[Cc]ours|[Ss]quare|[Pp]assage)` +
    String.raw`(?: [\p{L}'’-]{1,30}){1,5}?,? \d{5} ${TOWN}`,
  "gu",
);
// India: "Flat 12B, Sunrise Apartments, MG Road, Bengaluru 560001", "House No. 45, Sector 21, Gurugram, Haryana 122001".
const IN_ADDRESS = new RegExp(
  String.raw`(?:\b(?:Flat|House|H\.? ?No\.?|Plot|Door|Shop|Villa|Office)(?: No\.?)? ?|#|\b)[A-Z]?-?\d{1,4}[A-Z]?(?:[/-]\d{1,4}){0,2},(?: [^,\n"]{2,40},){0,5} ${CAP}(?: ${CAP})?(?:,? ${CAP}(?: ${CAP})?)?(?: -)? \d{3} ?\d{3}(?!\d)`,
  "gu",
);
// Netherlands: "Keizersgracht 123, 1015 CJ Amsterdam", "Van Baerlestraat 12-3, 1071 AZ Amsterdam": the 4-digit +
// 2-letter postcode carries it.
const NL_ADDRESS = new RegExp(
  String.raw`\b\p{Lu}[\p{L}'’.-]{2,30}(?: (?:van|de|der|den|het|'t|\p{Lu}[\p{L}'’.-]{1,30})){0,3} \d{1,4}(?:[ -]?[A-Za-z]{1,2}\d{0,3}|-\d{1,4})?,? \d{4} ?[A-Z]{2} ${TOWN}`,
  "gu",
);
// Italy: "Via Roma 21, 00184 Roma", "Corso Buenos Aires 407, 20124 Milano", "Piazza di Spagna, 5 - 00187 Roma (RM)".
const IT_ADDRESS = new RegExp(
  String.raw`\b(?:Via|Viale|V\.le|Corso|C\.so|Piazza|P\.za|Piazzale|Largo|Vicolo|Strada|Lungotevere|Lungomare|Borgo|Contrada)(?: (?:di|del|della|dei|degli|delle|de|d'|\p{Lu}[\p{L}'’.-]{1,30})){1,4},? (?:n\. ?)?\d{1,4}[A-Za-z]?(?:\/[A-Za-z0-9]{1,3})?(?:,? (?:- )?\d{5} ${TOWN}(?: \(?[A-Z]{2}\)?)?)?(?![\p{L}\d])`,
  "gu",
);
// Spain: "Calle Mayor 15, 28013 Madrid", "C/ de Alcalá 132, 3º B, 28009 Madrid", "Avda. Diagonal, 640, 08017 Barcelona".
const ES_ADDRESS = new RegExp(
  String.raw`(?:\b(?:Calle|Avenida|Avda\.|Paseo|Plaza|Pza\.|Carrer|Camino|Ronda|Travesía|Gran Vía|Rambla)|\bC\/)(?: (?:de|del|la|las|los|el|d'|\p{Lu}[\p{L}'’.-]{1,30})){1,4},? (?:n[º°o]\.? ?)?\d{1,4}(?:,? \d{1,2}[º°ª](?: ?[A-Za-z]{1,2})?)?,? \d{5} ${TOWN}`,
  "gu",
);
// Brazil: "Rua Augusta 1500, São Paulo - SP, 01304-001", "Av. Paulista, 1000 - Bela Vista, São Paulo - SP, 01310-100".
const BR_ADDRESS = new RegExp(
  String.raw`\b(?:Rua|R\.|Avenida|Av\.|Alameda|Al\.|Travessa|Tv\.|Praça|Estrada|Rodovia|Largo)(?: (?:da|das|do|dos|de|\p{Lu}[\p{L}'’.-]{1,30})){1,5},? (?:n[º°]\.? ?)?\d{1,5}(?:(?:,|[ ]?-)[ ][^,\n"\d-][^,\n"-]{1,39}){0,4}?(?:,|[ ]?-)[ ](?:CEP:? ?)?\d{5}-\d{3}(?!\d)`,
  "gu",
);
// Japan: "2-21-1 Shibuya, Shibuya-ku, Tokyo 150-0002" (romanized, block-lot-building first) and "〒530-0001 大阪府大阪市北区梅田2-3-4".
const JP_ADDRESS = new RegExp(
  String.raw`\b\d{1,4}-\d{1,4}(?:-\d{1,4})? \p{Lu}[\p{L}-]{1,30}(?: \p{Lu}[\p{L}-]{1,30})?, \p{Lu}\p{Ll}{1,30}-(?:ku|shi|cho|machi|gun)(?:, \p{Lu}\p{Ll}{1,30})?,? (?:\p{Lu}\p{Ll}{1,30} )?\d{3}-\d{4}(?!\d)|〒\d{3}-\d{4}[ \u3000]?[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー\d０-９\-－]{2,60}`,
  "gu",
);
// Any grammar's match may end with the country: "…, Brighton BN2 1TW, UK", "…, 44000 Nantes, France".
const COUNTRY_AFTER =
  /^,? (?:UK|U\.K\.|United Kingdom|England|Scotland|Wales|Northern Ireland|France|Germany|Deutschland|India|Italy|Italia|Spain|España|Netherlands|The Netherlands|Nederland|Brazil|Brasil|Japan|USA|U\.S\.A\.|United States|US)(?![\p{L}])/u;
// An Indian address names a locality part; without one, "Build 12, Step 3, Job 123456" would match.
const IN_LOCALITY =
  /\b(?:Flat|House|Plot|Road|Rd|Nagar|Marg|Salai|Hills|Peth|Wadi|Ganj|Halli|Palya|Sector|Colony|Layout|Street|St|Apartments?|Apts|Society|Phase|Block|Lane|Cross|Main|Floor|Tower|Complex|Enclave|Vihar|Bagh|Puram|Gali|Chowk|Bazar|Market|East|West|North|South|Extension|Residency|Heights|Towers|Village|District|Taluk|Mandal|Post)\b/;
const ADDRESS_KEYS = new Set(
  "address shippingaddress billingaddress homeaddress streetaddress mailingaddress postaladdress deliveryaddress street street1 street2 addressline1 addressline2 addressline address1 address2 addr lieferadresse anschrift adresse line1 line2 indirizzo direccion endereco adres".split(
    " ",
  ),
);
// A value that reads as a postal address: words and a house number, not an IP, host:port, e-mail or URL.
const POSTAL_VALUE = /^(?=.*\p{L}{3})(?=.*\d)[\p{L}\d .,'’#/-]{5,160}$/u;

/** True when `value`, found under `key`, is a postal address. */
export function isAddressValue(key: string, value: string): boolean {
  const k = key.toLowerCase().replace(/[^a-z0-9]/g, "");
  if (!ADDRESS_KEYS.has(k)) return false;
  const v = value.trim();
  return POSTAL_VALUE.test(v) && / /.test(v) && !/^\d{1,3}(?:\.\d{1,3}){3}/.test(v);
}

function detectAddresses(s: string, grammars: readonly RegExp[], emit: PersonalEmit) {
  if (/\d/.test(s)) {
    for (const re of grammars) {
      re.lastIndex = 0;
      for (let m; (m = re.exec(s)); ) {
        let v = m[0];
        while (/[,.]$/.test(v)) v = v.slice(0, -1);
        if (re === EN_ADDRESS && !/\d{5}|[A-Z]\d[A-Z\d]? ?\d[A-Z]{2}$|[A-Z]\d[A-Z] ?\d[A-Z]\d$|[A-Z]{2,3} \d{4}$/.test(v) && !ADDRESS_CONTEXT.test(s.slice(Math.max(0, m.index - 40), m.index))) {
          continue; // a street alone ("12 Main St") needs a context: "ship to", "address:", …
        }
        if (re === IN_ADDRESS && !IN_LOCALITY.test(v)) continue;
        let end = m.index + v.length;
        const country = COUNTRY_AFTER.exec(s.slice(end, end + 24));
        if (country) end += country[0].length;
        emit("postal_address", m.index, end);
      }
    }
  }
}

const ADDRESS_CONTEXT = /(?:ship(?:ping)? to|deliver(?:y|ed)? to|address|lives at|moved to|located at|send (?:it )?to|return to)[ \t:=,"']*$/i;

// ---------------------------------------------------------------------------------------------------------------
// dates of birth

const MONTHS =
  "jan(?:uary|uar)?|feb(?:ruary|ruar)?|m(?:ar(?:ch)?|ärz|ars)|apr(?:il)?|ma[iy]|june?|juin|juni|july?|juil(?:let)?|juli|aug(?:ust)?|ao[uû]t|sep(?:t(?:ember)?)?|oct(?:ober)?|okt(?:ober)?|nov(?:ember)?|dec(?:ember)?|dez(?:ember)?|janvier|f[ée]vrier|avril|mai|septembre|octobre|novembre|d[ée]cembre|" +
  // IT, ES, PT, NL
  "gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre|enero|febrero|abril|mayo|junio|julio|" +
  "septiembre|setiembre|octubre|noviembre|diciembre|janeiro|fevereiro|março|marco|maio|junho|julho|setembro|outubro|dezembro|januari|" +
  "februari|maart|mei|augustus";
const DATE =
  String.raw`(?:\d{4}(?<sep>[-/.])\d{1,2}\k<sep>\d{1,2}|\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{1,2}(?:st|nd|rd|th|er|º)?\.? (?:of |de )?(?:${MONTHS})\.?,? (?:de )?\d{4}|\d{4}年\d{1,2}月\d{1,2}日|(?:${MONTHS})\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4}|\d{1,2}-(?:${MONTHS})-\d{4})(?![\d:])`;
const DOB_TRIGGER =
  /\b(?:dob|d\.o\.b\.?|date[_ ]?of[_ ]?birth|dateofbirth|birth[_ ]?date|birthdate|birthday|born|geb\.|geboren|née?|date de naissance|fecha de nacimiento|geburtsdatum|data de nascimento|data di nascita|geboortedatum|nat[oa] il|nacid[oa] el|nascid[oa] em)|生年月日|誕生日/gi;
// After a dob key also the compact 19850312; after "born" / "born in" also a bare year.
const COMPACT = String.raw`(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)`;
const DOB_VALUE = new RegExp(String.raw`(?:["'\s:=,()：]|dob\b|on\b|am\b|le\b|in\b|the\b|il\b|el\b|em\b|op\b){0,8}?(${DATE}|${COMPACT}|(?<=(?:born|in) )(?:19|20)\d{2}(?![\d/.-]))`, "iuy");

const PYDANTIC_INPUT = new RegExp(String.raw`[ \t]*\r?\n[^\n]{0,160}?\binput_value=['"](${DATE})['"]`, "iuy");
const DOB_KEYS = new Set(
  "dob dateofbirth birthdate birthday geburtsdatum datedenaissance fechadenacimiento datadinascita datadenascimento geboortedatum".split(" "),
);
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
    if (!v?.[1]) {
      // A validation error names the field, then quotes the rejected input a line later (pydantic, Rails).
      PYDANTIC_INPUT.lastIndex = m.index + m[0].length;
      const p = PYDANTIC_INPUT.exec(s);
      if (p?.[1]) emit("date_of_birth", PYDANTIC_INPUT.lastIndex - 1 - p[1].length, PYDANTIC_INPUT.lastIndex - 1);
      continue;
    }
    const end = DOB_VALUE.lastIndex;
    emit("date_of_birth", end - v[1].length, end);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// entry point: one scan over the words says which contexts a text has, and only their patterns run (most log
// lines have none; the names list is never loaded for them)

type Flag = "title" | "greeting" | "role" | "weak" | "signoff" | "intro" | "postfix" | "dob" | "en" | "de" | "fr" | "in" | "it" | "es" | "br";
const FLAGS = new Map<string, Flag[]>();
const flag = (f: Flag, words: string) => {
  for (const w of words.split(" ")) FLAGS.set(w, [...(FLAGS.get(w) ?? []), f]);
};
flag("title", "mr mrs ms mx miss dr prof herr herrn frau mme mlle monsieur madame sr sra srta señor señora shri smt sir dame m sig signor signora dott dhr mevr mevrouw meneer dona");
flag("greeting", "dear hi hello hey bonjour bonsoir hallo hola ciao salut namaste liebe lieber good");
flag(
  "role",
  "customer client caller patient employee cardholder card account recipient requester requestor reporter assignee " +
    "applicant subscriber buyer passenger user contact kunde kundin cliente utilisateur ansprechpartner " +
    "ansprechpartnerin kontaktperson spoke talked talking called emailed texted messaged assigned reassigned escalated " +
    "handed reported opened submitted requested approved created raised filed handled signed updated behalf according " +
    "escalate assign hand forward forwarded " +
    "thanks ping paging attn attention ship deliver named name identified verified issued processed refunded booked " +
    "registered colleague klant cliënt client utente usuário usuária usuario usuaria policyholder holder beneficiary payee",
);
flag("weak", "from by with cc name");
flag("signoff", "thanks thank regards best cheers sincerely merci cordialement grüße gruß saludos atentamente");
flag("intro", "this i ich je me");
flag("postfix", "dob born geb née reported called said wrote asked complained confirmed mentioned emailed replied requested commented noted says writes asks moved wants needs lives phoned disputed claims meldet signale segnala informou reclama meldt");
flag("dob", "dob birth birthdate birthday born geb geboren née nee naissance nacimiento geburtsdatum dateofbirth nascimento nascita geboortedatum nato nata nacido nacida nascido nascida né");
flag(
  "en",
  "street st avenue ave road rd boulevard blvd lane ln drive dr court ct way place pl terrace ter parkway pkwy circle " +
    "cir highway hwy square sq trail close crescent gardens grove hill mews row walk rise green park",
);
flag("en", "box");
flag("fr", "rue avenue av boulevard bd place chemin allée impasse quai route cours square passage");
flag(
  "in",
  "flat house plot door shop villa office road rd nagar marg sector colony layout street st apartments apartment apts " +
    "society phase block lane cross main floor tower complex enclave vihar bagh puram gali chowk bazar market salai hills " +
    "extension residency heights towers village district taluk mandal post",
);
flag("it", "via viale corso piazza piazzale largo vicolo strada lungotevere lungomare borgo contrada");
flag("es", "calle avenida avda paseo plaza pza carrer camino ronda travesía rambla");
flag("br", "rua r avenida av alameda al travessa tv praça estrada rodovia largo");
// The Dutch postcode (1015 CJ) and the Japanese ward/city suffix gate their grammars.
const NL_GATE = /\d,? \d{4} ?[A-Z]{2} \p{Lu}/u;
const JP_GATE = /[a-z]-(?:ku|shi|cho|machi|gun),/;
// A German street is a suffixed name or a preposition phrase, then a house number.
const DE_SUFFIX_GATE = /(?:stra(?:ß|ss)e|str\.|weg|allee|platz|gasse|ring|damm|ufer|chaussee|steig|pfad|markt) \d/;
const DE_PREPOSITION_GATE = /\b(?:Am|An|Auf|Im|In|Unter|Zum|Zur|Alt)[ -](?:(?:der|dem|den) )?[A-ZÄÖÜ][a-zäöüß]+ \d/;
// The context words as one alternation (about twice as fast as looking every word up).
const CONTEXT_WORD = new RegExp(
  `(?<![a-z\\u00c0-\\u024f])(?:${[...FLAGS.keys()].sort((a, b) => b.length - a.length).join("|")})(?![a-z\\u00c0-\\u024f])`,
  "g",
);

/** Person names, postal addresses and dates of birth in `s` (`lower`: its ASCII-lowercased twin). */
export function detectPersonal(s: string, lower: string, emit: PersonalEmit) {
  const seen = new Set<Flag>();
  CONTEXT_WORD.lastIndex = 0;
  for (let m; (m = CONTEXT_WORD.exec(lower)); ) for (const x of FLAGS.get(m[0]) ?? []) seen.add(x);
  const de = DE_SUFFIX_GATE.test(lower) || DE_PREPOSITION_GATE.test(s);
  if (seen.has("title")) afterTriggers(s, TITLE, "strong", emit);
  if (seen.has("greeting")) afterTriggers(s, GREETING, "medium", emit);
  if (seen.has("role")) afterTriggers(s, ROLE, "medium", emit);
  if (seen.has("weak")) afterTriggers(s, WEAK, "weak", emit);
  if (seen.has("signoff")) afterTriggers(s, SIGN_OFF, "medium", emit);
  if (seen.has("intro")) intros(s, emit);
  if (seen.has("postfix")) beforeTriggers(s, POSTFIX, emit);
  if ((s.includes(" <") || s.includes(" (")) && s.includes("@")) beforeTriggers(s, ANGLE_EMAIL, emit);
  mentions(s, emit);
  speakers(s, emit);
  keyedValues(s, emit);
  const grammars: RegExp[] = [];
  if (seen.has("en")) grammars.push(EN_ADDRESS);
  if (de) grammars.push(DE_ADDRESS);
  if (seen.has("fr")) grammars.push(FR_ADDRESS);
  if (seen.has("in")) grammars.push(IN_ADDRESS);
  if (NL_GATE.test(s)) grammars.push(NL_ADDRESS);
  if (seen.has("it")) grammars.push(IT_ADDRESS);
  if (seen.has("es") || s.includes("C/")) grammars.push(ES_ADDRESS);
  if (seen.has("br")) grammars.push(BR_ADDRESS);
  if (s.includes("〒") || JP_GATE.test(lower)) grammars.push(JP_ADDRESS);
  if (grammars.length) detectAddresses(s, grammars, emit);
  if (seen.has("dob") || lower.includes("d.o.b") || s.includes("生年月日") || s.includes("誕生日")) detectDob(s, lower, emit);
}
