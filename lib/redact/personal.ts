// Person names, postal addresses and dates of birth. Unlike tokens and numbers these have no shape of their own
// ("Jenkins" is a CI server and a surname), so each is found from its context only:
// - names after a key (`"first_name": "Lena"`, `customer="Grace O'Brien"`), a title (Mr, Dr, Frau, Mme …), a
//   greeting (Dear, Hi, Bonjour …), a role (customer, cardholder, assigned to, reported by …), before a verb of
//   reporting ("Priya Raman reported") or an e-mail in angle brackets, after a sign-off ("Thanks,\n…"), or as a
//   chat speaker ("[09:42] Marcus Chen: …", "alice.smith: …"); weaker contexts need the word in the name list
//   (names.ts) and never take a word that operations text uses otherwise; without context, a given name followed
//   by a surname, both from the faker lists (bareNames);
// - addresses by their grammar in the US/UK (number, street, street type, town, state + ZIP or postcode), Germany
//   (street + suffix, number, 5-digit PLZ), France (number, rue/avenue/…, 5-digit code, town) and India (flat or
//   house number, locality parts, 6-digit PIN), or as the value of an address key;
// - dates of birth: a date right after dob / date_of_birth / birthday / born / geb. / né le ….
// Every pattern is bounded and anchored at a literal trigger, so cost stays linear in the input.
import { foldName, isGivenName, isKnownName, isKoreanGiven, isNotName, isPinyinGiven, isPlaceSurname, isSurname, isSurnameFirst } from "@/lib/redact/names";

export type PersonalType = "person_name" | "postal_address" | "date_of_birth";
export type PersonalEmit = (type: PersonalType, start: number, end: number) => void;

const WINDOW = 64; // how far back the postfix contexts ("… reported", "… <a@b.io>") look for the name

// One name word: Lena, McDonald, O'Brien, Al-Sayed, Jean-Luc, Müller.
const W = String.raw`\p{Lu}(?:\p{Ll}+(?:\p{Lu}\p{Ll}+)?|['’]\p{Lu}\p{Ll}+)(?:-\p{Lu}?\p{Ll}+)?`;
const PARTICLE = "(?:van|von|de|da|del|dela|della|delle|der|den|di|du|la|le|bin|ibn|al|el|dos|das|ten|ter|af|zu|vom)";
const PHRASE = `${W}(?: (?:\\p{Lu}\\. |Ó )?(?:${PARTICLE} ){0,2}${W}){0,3}`;
const PHRASE_AT = new RegExp(PHRASE, "uy");
const PHRASE_END = new RegExp(`(?:^|[^\\p{L}'’.-])(${PHRASE})$`, "u");
const ORG = new Set(
  "corp corporation inc ltd llc plc gmbh ag sa sas sarl bv nv group holdings labs systems solutions technologies software networks consulting partners bank insurance company foundation university team".split(
    " ",
  ),
);

type Strength = "strong" | "medium" | "weak";

/** The accepted part of a name phrase starting at `i`, as [start, end], or null. `lower`: also a lowercase
 *  name ("assigned to minh tran": two or more listed words; one with `lower === "single"`, after a greeting). */
function nameAt(s: string, i: number, strength: Strength, lower: false | "multi" | "single" = false): [number, number] | null {
  PHRASE_AT.lastIndex = i;
  const m = PHRASE_AT.exec(s);
  if (!m) return lower && strength !== "weak" ? lowerNameAt(s, i, lower) : null;
  if (/[\p{L}\d_]/u.test(s.charAt(i + m[0].length))) return null; // "Ab12", a longer identifier
  // "Last, First" ("Georgiou, Eleni", "Söderström, Erik"): one word, a comma, one word that ends the name.
  if (!m[0].includes(" ")) {
    LAST_FIRST.lastIndex = i + m[0].length;
    const lf = LAST_FIRST.exec(s);
    if (lf?.[1] && !isNotName(lf[1])) {
      const r = acceptName(`${m[0]} ${lf[1]}`, strength, i);
      if (r && r[1] - i === m[0].length + 1 + lf[1].length) return [i, LAST_FIRST.lastIndex];
    }
  }
  return acceptName(m[0], strength, i);
}
const LAST_FIRST = new RegExp(`,[ \t](${W})(?![\\p{L}\\d_'’-]|[ \t]\\p{Lu}|[ \t](?:${PARTICLE})[ \t])`, "uy");

// Lowercase names: chat and tickets write "minh tran", "lotte de graaf". Every word must be in the name list and
// none a common word (those are in the list too: "will", "mark", "bill", "back").
const LOWER_PHRASE = /[a-zà-öø-ÿāăąćčďēėęěğīįıłńňōőœřśşšťūůűųźżž]{2,20}(?:[ \t](?:(?:van|von|de|da|der|den|di|du|la|le|dos|das|del)[ \t]){0,2}[a-zà-öø-ÿāăąćčďēėęěğīįıłńňōőœřśşšťūůűųźżž]{2,20}){0,2}/y;
const LOWER_PARTICLE = /^(?:van|von|de|da|der|den|di|du|la|le|dos|das|del)$/;
const COMMON =
  new Set(("a an the and or but if of to in on at by for from with as is are was were be been am do does did has have had will would can could shall should may might must " +
  "not no yes ok okay all any some each every both few more most other such only own same so than too very just now then here there when where " +
  "why how what which who whom this that these those i me my we us our you your he him his she her it its they them their mine ours yours " +
  "man men bro dude mate guys guy buddy pal much lot lots alot anyway heaps tons loads everybody anybody somebody someone anyone everyone " +
  "again also back down up out over under still even ever never always soon later today tonight tomorrow yesterday please sorry thx ty " +
  "good great nice fine cool well right left new old big small long short high low first last next one two three four five six seven eight " +
  "nine ten way day time work job team lead head chief boss sir madam folks people friend friends love dear honey baby sweetie king queen " +
  "will mark bill rob sue pat bob jack joy hope faith grace chase dawn summer winter autumn april june august rose ruby pearl amber " +
  "crystal daisy lily iris ivy hazel olive sky river stone brook wood wolf fox bird bear hunter baker cook mason miller carter " +
  "fisher porter taylor smith walker turner cooper archer gardner marshall chandler page price rich young king gray grey green brown white black " +
  "ask asked call called said say says sent send see saw let get got go went come came take took make made give gave keep kept " +
  // French, Spanish, Italian, Portuguese, German, Dutch, Nordic, Polish function words after "merci", "gracias", "danke" …
  "pour par avec sans votre vous nous le la les des du de et un une por para con sin su sus el los las y una muy mucho per con il lo gli di e " +
  "che molto obrigado pelo pela com um uma für mit und vielen dank sehr ihr ihre voor met en het een veel så för och med til tak kiitos " +
  "dla za bardzo").split(" "));

function lowerNameAt(s: string, i: number, mode: "multi" | "single"): [number, number] | null {
  LOWER_PHRASE.lastIndex = i;
  const m = LOWER_PHRASE.exec(s);
  if (!m) return null;
  // The longest run of listed words from the start: "minh tran for follow-up" → "minh tran".
  const parts = m[0].split(/[ \t]/);
  let end = -1;
  let words = 0;
  for (let k = 0, at = 0; k < parts.length; at += parts[k]!.length + 1, k++) {
    const w = parts[k]!;
    if (LOWER_PARTICLE.test(w)) continue;
    if (COMMON.has(w) || isNotName(w) || !isKnownName(w)) break;
    words++;
    end = at + w.length;
  }
  if (end < 0 || words < (mode === "single" ? 1 : 2) || (words === 1 && end < 4)) return null;
  if (/[\p{L}\d_@.'-]/u.test(s.charAt(i + end))) return null;
  return [i, i + end];
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
  /\b(?:[Dd]ear|[Hh]i|[Hh]ello|[Hh]ey|[Bb]onjour|[Bb]onsoir|[Hh]allo|[Hh]ola|[Cc]iao|[Ss]alut|[Nn]amaste|[Ll]iebe|[Ll]ieber|[Gg]ood (?:morning|afternoon|evening)|[Hh]ej|[Hh]ei|[Mm]oi|[Oo]lá|[Oo]i|[Ww]itam|[Bb]uongiorno|[Bb]uenos días|[Bb]uenas tardes|[Gg]uten (?:Tag|Morgen)|[Dd]zień dobry|[Bb]este|[Qq]uerid[oa](?:\/[ao])?|[Ee]stimad[oa](?:\/[ao])?|[Cc]h[eè]re?|[Cc]ar[oa]|[Tt]hanks|[Tt]hank you|[Tt]hx|[Mm]any thanks|[Mm]erci|[Dd]anke|[Gg]racias|[Gg]razie|[Oo]brigad[oa]|[Dd]zięki|[Tt]ack)[ \t]+/g;
const ROLE =
  /\b(?:customer|client|caller|patient|employee|cardholder|card holder|account holder|recipient|requester|requestor|reporter|assignee|applicant|subscriber|buyer|passenger|user|contact|contact person|kunde|kundin|cliente|utilisateur|ansprechpartner(?:in)?|kontaktperson|spoke (?:with|to)|talked to|(?:my |our |a )?colleague|identified as|verified as|(?:approved|issued|processed|refunded|booked|registered) for|klant|cli[eë]nt|utente|usu[aá]ri[oa]|policyholder|holder|beneficiary|payee|talking to|called|(?:please )?call|emailed|texted|messaged|(?:re)?assign(?:ed)?(?:[ \t]{1,4}\S{1,30}){0,4}?[ \t]{1,4}to|escalate(?:d)? to|hand(?:ed|ing)? (?:over (?:[\w-]{1,20} )?|it )?to|watcher|forward(?:ed)? to|reported by|opened by|submitted by|requested by|approved by|created by|raised by|filed by|handled by|escalated by|signed by|updated by|on behalf of|according to|thanks to|ping|paging|attn|attention|ship to|deliver to|named|(?:my |his |her |their )?name is|per|loop(?:ing|ed)? in|(?:account |case |ticket )?owner|kontakt|contacto|referente|handover to|hand(?:ed)? over to|take over from|cc(?:'d|ed)?|recipient|destinatario|destinataire|empfänger|odbiorca|mottagare)\b(?:[ \t]{0,4}[:=,—–-])?(?:[ \t]{1,4}|[ \t]{0,4}(?:\r?\n|\\n)[ \t]{0,4})/gi;
// A form label that names a person: "Contact person: Oksana Kovalenko", "Full name: …", "Nombre completo: …".
// Two or more capitalized words are taken even when neither is in the name list.
const NAME_LABEL =
  /\b(?:[Ff]ull name|[Cc]ustomer name|[Cc]lient name|[Cc]ontact name|[Pp]atient name|[Aa]pplicant name|[Cc]ardholder name|[Pp]assenger name|[Ee]mployee name|[Nn]ombre(?: completo)?|[Nn]om complet|[Nn]ome(?: completo)?|[Vv]or- und [Nn]achname|[Ii]mię i nazwisko|[Nn]aam)[ \t]*:[ \t]{0,4}/g;
// The same for role words written as a form label ("Contact person: …", "Patient: …") after ROLE.
const ROLE_LABEL = /^(?:contact(?: person)?|patient|applicant|card ?holder|account holder|employee|passenger|customer|client)[ \t]{0,4}:[ \t]{0,4}/i;

function labelledNames(s: string, emit: PersonalEmit) {
  NAME_LABEL.lastIndex = 0;
  for (let m; (m = NAME_LABEL.exec(s)); ) {
    const at = m.index + m[0].length;
    const r = nameAt(s, at, "strong");
    if (r && s.slice(r[0], r[1]).includes(" ") && !/[\p{L}\d]/u.test(s.charAt(r[1]))) emit("person_name", r[0], r[1]);
  }
}

// "This is Fatima from billing", "I'm Kenji, …": a self-introduction, one name word only before from/here/a comma.
// "My name is" in other languages: "nazywam się Grzegorz Brzęczyszczykiewicz", "je m'appelle …", "mi chiamo …".
const INTRO =
  /\b(?:[Tt]his is|I am|I'm|[Ii]ch bin|[Jj]e suis|[Mm]e llamo|[Nn]azywam się|[Mm]am na imię|[Jj]e m['’]appelle|[Mm]i chiamo|[Ii]ch heiße|[Mm]ein Name ist|[Mm]ijn naam is|[Jj]ag heter|[Jj]eg hedder|[Jj]eg heter|[Mm]eu nome é|[Mm]e chamo|[Bb]enim adım|[Mm]i nombre es|[Mm]inun nimeni on|[Ss]oy|[Ss]ou|[Bb]en|[Jj]sem|[Jj]estem|[Ss]ono|[Jj]meno je)[ \t]{1,4}/g;
const WEAK = /\b(?:[Ff]rom|[Bb]y|[Ww]ith|cc|CC|[Nn]ame)(?:[ \t]*[:=])?[ \t]+/g;
const SIGN_OFF =
  /\b(?:[Tt]hanks|[Tt]hank you|[Rr]egards|[Bb]est|[Cc]heers|[Ss]incerely|[Mm]erci|[Cc]ordialement|[Gg]rüßen?|[Gg]ruß|[Ss]aludos?|[Aa]tentamente|[Pp]ozdrawiam|[Pp]ozdrowienia|[Hh]älsningar|[Hh]ilsen|[Hh]ilsner|[Mm]vh|[Tt]erveisin|[Aa]tenciosamente|[Aa]braços|[Ss]aluti|[Gg]roete?n?|[Gg]reetings|[Bb]est wishes|[Yy]ours|[Tt]schüss|[Ll]G|[Vv]G|[Ss]lán|[Ss]aygılarımla|[Ss]aygılar|[Üü]dvözlettel|[Pp]ozdravem|[Pp]oważaniem)[ \t]{0,4}(?:[,!.]?[ \t]{0,4}(?:\r?\n|\\n)(?:>[ \t]{0,2}){0,3}|[,!.]?[ \t]{0,4}[—–-]|,)[ \t]{0,4}|(?:^|\n|\\n)--[ \t]?(?:\r?\n|\\n)/g;
// Chat mentions: "@alice.smith", "@bob_jones" (both parts must be names).
const MENTION = /(?:^|[\s(,;])@([a-z]{2,20}[._][a-z]{2,20})(?![\w.-]*@|[\w-])/gd;
const POSTFIX =
  /[ \t](?:reported|called|said|wrote|asked|complained|confirmed|mentioned|emailed|replied|requested|commented|noted|says|writes|asks|moved|wants|needs|lives|phoned|disputed|claims|meldet|signale|segnala|informou|reclama|meldt|vagyok|fixed|merged|deployed|pushed|shipped|joined|left|agreed|accepted|declined|signed|approved|cancel(?:l)?ed|paid|ordered|booked|uploaded|shared|will|\((?:dob|d\.o\.b|born|geb|née?|she|he|they|ze|elle|il)\b)\b|,[ \t]born\b/g;
const ANGLE_EMAIL = /[ \t][<(][^\s<>()@]{1,64}@[^\s<>()@]{1,255}[>)]/g;
// "Ingrid Søreide (+47 430 05 201)": a name before an international number in brackets.
const PAREN_PHONE = /[ \t]\((?:\+|00)[1-9][\d \-.]{6,18}\d\)/g;
// "comment="Étienne Lévesque, +33 7 54 97 23 11"": two or more words before a comma and an international number.
const COMMA_PHONE = /,[ \t]\+[1-9]\d{0,2}[ \-.]?\d[\d \-.]{5,16}\d/g;
// "… can you check why it fails? — Ayşe": a dash, then a name that ends the message or the line.
const DASH_SIGN = /[ \t][—–][ \t]{1,2}(?=\p{Lu})/gu;

function dashSignoffs(s: string, emit: PersonalEmit) {
  DASH_SIGN.lastIndex = 0;
  for (let m; (m = DASH_SIGN.exec(s)); ) {
    const r = nameAt(s, m.index + m[0].length, "medium");
    if (!r || !/^[ \t.!]*(?:$|\r?\n|\\n|["}])/.test(s.slice(r[1], r[1] + 4))) continue;
    const who = s.slice(r[0], r[1]);
    if (who.includes(" ") || isGivenName(who)) emit("person_name", r[0], r[1]);
  }
}

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
    // One lowercase word only after an English greeting ("thanks hannelore"): elsewhere it is too often a word.
    const single = (re === GREETING && /^(?:thanks|thx|hi|hey|hello|dear)\b/i.test(m[0])) || re === SIGN_OFF;
    let r = nameAt(s, at, strength, re === TITLE || re === WEAK ? false : single ? "single" : "multi");
    const label = !r && re === ROLE ? ROLE_LABEL.exec(s.slice(m.index, m.index + 32)) : null;
    if (label) {
      const l = nameAt(s, m.index + label[0].length, "strong");
      if (l && s.slice(l[0], l[1]).includes(" ") && !/[\p{L}\d]/u.test(s.charAt(l[1]))) {
        r = l;
        from = l[0];
      }
    }
    if (!r) continue;
    emit("person_name", from >= 0 ? from : r[0], r[1]);
    // A list after the same context: "cc: Zofia Lewandowska, Noa Ben-David", "to Anna and Ben Okafor".
    let end = r[1];
    for (let k = 0; k < 8; k++) {
      LIST_SEP.lastIndex = end;
      const sep = LIST_SEP.exec(s);
      if (!sep) break;
      const next = nameAt(s, LIST_SEP.lastIndex, strength === "weak" ? "weak" : "medium");
      if (!next || !/^[^,]* /.test(s.slice(next[0], next[1]))) break; // full names only: "Hi Anna, Ben" is not a list
      emit("person_name", next[0], next[1]);
      end = next[1];
    }
  }
}
const LIST_SEP = /(?:,|;|[ \t](?:and|&|und|et|y|e|og|och|i|ja))[ \t]{1,4}/y;

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
    const parts = (m[1] ?? "").split(/[._]/);
    // Both parts in the list, or one of them with the other no word that operations text uses ("@deploy.bot").
    if (at && parts.some((p) => isKnownName(p)) && parts.every((p) => isKnownName(p) || (!isNotName(p) && !COMMON.has(p)))) emit("person_name", at[0], at[1]);
  }
  // Display-name mentions of chat tools: "@Ifeoma Okafor can you …": a given name first, two or three words.
  let n = 0;
  for (let i = s.indexOf("@"); i >= 0 && n < 256; i = s.indexOf("@", i + 1), n++) {
    const c = s.charCodeAt(i + 1);
    if (!(c >= 65 && c <= 90) && !(c > 127 && /\p{Lu}/u.test(s.charAt(i + 1)))) continue;
    if (i > 0 && !/[\s(,;]/.test(s.charAt(i - 1))) continue;
    PHRASE_AT.lastIndex = i + 1;
    const m = PHRASE_AT.exec(s);
    const words = m?.[0].split(" ") ?? [];
    if (!m || words.length < 2 || words.length > 3 || !isGivenName(words[0]!) || /^(?:[\p{L}\d_@-]|\.[\p{L}\d])/u.test(s.slice(i + 1 + m[0].length, i + 3 + m[0].length))) continue;
    const r = acceptName(m[0], "medium", i + 1);
    if (r && r[1] - r[0] === m[0].length) emit("person_name", r[0], r[1]);
  }
}

function beforeTriggers(s: string, re: RegExp, emit: PersonalEmit) {
  re.lastIndex = 0;
  for (let m; (m = re.exec(s)); ) {
    if (!/\p{Ll}/u.test(s.charAt(m.index - 1))) continue; // a name ends in a lowercase letter: "Raman <…>"
    const from = Math.max(0, m.index - WINDOW);
    const p = PHRASE_END.exec(s.slice(from, m.index));
    if (!p?.[1]) continue;
    const phrase = withoutLead(p[1]);
    if (re === COMMA_PHONE && !phrase.includes(" ")) continue;
    const start = m.index - phrase.length;
    // Verbs that follow anything ("… will", "… joined"): two or more words, every one in the name list.
    if (GENERIC_POSTFIX.test(m[0])) {
      const words = phrase.split(" ").filter((w) => /^\p{Lu}/u.test(w));
      const last = words[words.length - 1]!;
      if (words.length < 2 || !words.every((w) => isKnownName(w)) || !isGivenName(words[0]!) || !(isSurname(last) || isKnownName(last))) continue;
    }
    const r = acceptName(phrase, "medium", start);
    if (r) emit("person_name", r[0], r[1]);
  }
}
/** "Caller Astrid Håkansson", "Requester Benedikt Khan": a context word before the name is not part of it. */
function withoutLead(phrase: string): string {
  const lead = /^(\p{L}+) /u.exec(phrase);
  return lead?.[1] && FLAGS.has(lead[1].toLowerCase()) ? phrase.slice(lead[0].length) : phrase;
}
const GENERIC_POSTFIX = /^[ \t](?:fixed|merged|deployed|pushed|shipped|joined|left|agreed|accepted|declined|signed|approved|cancel(?:l)?ed|paid|ordered|booked|uploaded|shared|will)$/;

// A full name without any context: a given name, then a surname, both in the faker lists (which, unlike
// humannames, hold no "Care", "Tier" or "Check"), neither a common word nor one that operations text uses otherwise,
// and not inside a run of capitalized words ("Morgan Stanley Wealth Management", "Victoria Line Station").
const BARE = new RegExp(`(${W}) (?:(${W}) )?(${W})`, "uy");
// Candidates: capitalized words; the full pattern runs only where the first one is a given name.
// (Latin letters only and no /u flag: a scan of the whole text, several times faster than \p{Lu}.)
const CAP_WORD = /[A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u024f\u1e00-\u1eff][a-z\u00df-\u00f6\u00f8-\u00ff\u0100-\u024f\u1e00-\u1eff'’-]+(?= )/g;

const GLUE_BEFORE = new Set([95, 64, 46, 47, 35, 36, 38, 45]); // _ @ . / # $ & -
const isAlnumCode = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** True when the word before `start` (one space back) is capitalized: "Morgan Stanley" inside "Global Morgan Stanley …". */
function capitalizedBefore(s: string, start: number): boolean {
  const sp = s.charAt(start - 1);
  if (sp !== " " && sp !== "\t") return false;
  let i = start - 1;
  while (i > 0 && start - 1 - i < 30 && /\p{L}/u.test(s.charAt(i - 1))) i--;
  return i < start - 1 && /\p{Lu}/u.test(s.charAt(i));
}

const PLACE_NOUNS = new Set(
  ("park garden gardens hall house hill hills lake bay beach valley station square bridge tower towers field fields wood woods green " +
    "grove ridge springs heights point port harbor harbour island mount castle church chapel college center centre plaza mall gate cross " +
    "hotel inn arena stadium airport terminal lodge manor farm mill market quay wharf dock pier falls creek river canyon forest").split(" "),
);

function bareNames(s: string, emit: PersonalEmit) {
  BARE.lastIndex = 0;
  const given = new Map<string, boolean>(); // dense text repeats its capitalized words
  const isGiven = (w: string) => {
    let g = given.get(w);
    if (g === undefined) given.set(w, (g = isGivenName(w)));
    return g;
  };
  const leads = new Map<string, boolean>(); // surname-first or pinyin-first words
  CAP_WORD.lastIndex = 0;
  for (let c; (c = CAP_WORD.exec(s)); ) {
    const start = c.index;
    const prev = start > 0 ? s.charCodeAt(start - 1) : 32;
    if (GLUE_BEFORE.has(prev) || (prev > 127 && /\p{L}/u.test(s.charAt(start - 1))) || (prev < 128 && isAlnumCode(prev))) continue;
    if (!isGiven(c[0])) {
      let sf = leads.get(c[0]);
      if (sf === undefined) leads.set(c[0], (sf = isSurnameFirst(c[0]) || isPinyinGiven(c[0])));
      if (sf) surnameFirstAt(s, start, c[0], emit);
      continue;
    }
    BARE.lastIndex = start;
    const m = BARE.exec(s);
    if (!m) continue;
    const end = start + m[0].length;
    if (/^[ \t]?[\p{Lu}\d_@&-]|^[\p{L}\d_]/u.test(s.slice(end, end + 2)) || capitalizedBefore(s, start)) continue;
    const words = [m[1], m[2], m[3]].filter((w): w is string => !!w);
    if (words.some((w) => COMMON.has(w.toLowerCase()) || isNotName(w) || ORG.has(w.toLowerCase()))) continue;
    if (PLACE_NOUNS.has(words[words.length - 1]!.toLowerCase())) continue; // "Lincoln Park", "Victoria Station"
    const middleOk = !m[2] || isGivenName(m[2]) || isSurname(m[2]);
    if (isGivenName(words[0]!) && isSurname(words[words.length - 1]!) && middleOk) emit("person_name", start, end);
  }
}

// Surname first (Hungarian, Chinese, Korean, Vietnamese): "Kovács Levente", "Wang Yuting", "Kim Dong-hyun", "Hoàng Đức
// Trang"; and a two-syllable pinyin given name before a Chinese surname ("Yuting Wang").
const SURNAME_FIRST = new RegExp(`(${W}) (?:(${W}) )?(${W})`, "uy");
function surnameFirstAt(s: string, start: number, first: string, emit: PersonalEmit) {
  const sf = isSurnameFirst(first);
  SURNAME_FIRST.lastIndex = start;
  const m = SURNAME_FIRST.exec(s);
  if (!m) return;
  let end = start + m[0].length;
  let words = [m[1], m[2], m[3]].filter((w): w is string => !!w);
  const asianGiven = (w: string) => isPinyinGiven(w, true) || isKoreanGiven(w);
  // A third word only for Vietnamese-style triples whose middle and last are given names.
  if (words.length === 3 && !(sf && isGivenName(words[1]!) && isGivenName(words[2]!))) {
    words = words.slice(0, 2);
    end = start + words[0]!.length + 1 + words[1]!.length;
  }
  if (/^[ \t]?[\p{Lu}\d_@&-]|^[\p{L}\d_]/u.test(s.slice(end, end + 2)) && !/^[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]/.test(s.charAt(end))) return;
  if (capitalizedBefore(s, start)) return;
  if (words.some((w) => COMMON.has(w.toLowerCase()) || isNotName(w) || ORG.has(w.toLowerCase()))) return;
  const last = words[words.length - 1]!;
  const ok = sf ? isGivenName(last) || asianGiven(last) : words.length === 2 && isSurnameFirst(last);
  if (ok && !PLACE_NOUNS.has(last.toLowerCase())) emit("person_name", start, end);
}

// A name with an East Asian honorific after it ("Choiさん", "Zhang Haoさん", "Park Min-jun 様", "Yoon Su-bin 고객님") or a
// Chinese "user/customer" word before it ("用户Chen Yuting").
const HONORIFIC = /[ \t]?(?:さん|様|さま|くん|ちゃん|氏|고객님|님|씨|先生|女士|小姐)/g;
const CJK_USER = /(?:用户|用戶|客户|客戶|顾客|顧客|会员|會員|患者|お客様)[ \t:：]?(?=[A-Z])/g;
const HONORIFIC_GATE = /さん|様|さま|くん|ちゃん|氏|님|씨|先生|女士|小姐|用户|用戶|客户|客戶|顾客|顧客|会员|會員|患者|お客様/;
function honorifics(s: string, emit: PersonalEmit) {
  HONORIFIC.lastIndex = 0;
  for (let m; (m = HONORIFIC.exec(s)); ) {
    if (!/[A-Za-z\u00c0-\u024f]/.test(s.charAt(m.index - 1))) continue;
    const p = PHRASE_END.exec(s.slice(Math.max(0, m.index - WINDOW), m.index));
    const phrase = p?.[1];
    if (!phrase) continue;
    const words = phrase.split(" ");
    if (words.some((w) => isNotName(w) || COMMON.has(w.toLowerCase()) || ORG.has(w.toLowerCase()))) continue;
    emit("person_name", m.index - phrase.length, m.index);
  }
  CJK_USER.lastIndex = 0;
  for (let m; (m = CJK_USER.exec(s)); ) {
    const r = nameAt(s, m.index + m[0].length, "strong");
    if (r) emit("person_name", r[0], r[1]);
  }
}

// A name corroborated by an e-mail address of the same text whose local part spells it ("'Arash Tehrani',
// 'arash_tehrani64@…'", "Einar Ólafsdóttir … einar.olafsdottir@…"): two or three capitalized words within 256 chars
// of the "@", one of them a part of the local part, the others in the name list; none a word of another use.
const EMAIL_PHRASE = new RegExp(`(?<![\\p{L}-])${PHRASE}`, "gu");
function emailNames(s: string, emit: PersonalEmit) {
  let n = 0;
  for (let at = s.indexOf("@"); at >= 0 && n < 16; at = s.indexOf("@", at + 1)) {
    let i = at;
    while (i > 0 && at - i < 64 && /[A-Za-z0-9._%+-]/.test(s.charAt(i - 1))) i--;
    if (i === at || !/^[A-Za-z0-9-]+\.[A-Za-z]/.test(s.slice(at + 1, at + 40))) continue;
    n++;
    const parts = new Set(s.slice(i, at).toLowerCase().split(/[^a-z]+/).filter((x) => x.length >= 3));
    if (!parts.size) continue;
    const from = Math.max(0, at - 256);
    const win = s.slice(from, Math.min(s.length, at + 256));
    EMAIL_PHRASE.lastIndex = 0;
    for (let m; (m = EMAIL_PHRASE.exec(win)); ) {
      const words = m[0].split(" ").filter((w) => /^\p{Lu}/u.test(w));
      if (words.length < 2 || words.length > 3) continue;
      if (words.some((w) => isNotName(w) || COMMON.has(w.toLowerCase()) || ORG.has(w.toLowerCase()))) continue;
      const inMail = words.filter((w) => parts.has(foldName(w).replace(/[^a-z]/g, ""))).length;
      if (inMail >= 1 && words.every((w) => parts.has(foldName(w).replace(/[^a-z]/g, "")) || isKnownName(w))) emit("person_name", from + m.index, from + m.index + m[0].length);
    }
  }
}

// "/Agustina", "… no email arrives. Radu": a given name (or two listed words) that ends the message after a slash
// or a sentence.
const END_SIGN = new RegExp(`(?:[.!?][ \t]{1,2}|(?:^|[ \t])\/)(${PHRASE})[ \t.!]*$`, "u");
function endSignature(s: string, emit: PersonalEmit) {
  const tail = s.slice(-80).replace(/\s+$/, "");
  const m = END_SIGN.exec(tail);
  if (!m?.[1]) return;
  const who = m[1];
  const words = who.split(" ");
  if (words.length > 3 || words.some((w) => isNotName(w) || COMMON.has(w.toLowerCase()))) return;
  if (!(words.length === 1 ? isGivenName(who) : words.some((w) => isKnownName(w)))) return;
  const start = s.length - (s.length - s.replace(/\s+$/, "").length) - tail.length + m.index + m[0].indexOf(who);
  emit("person_name", start, start + who.length);
}

// "CRM: Ólafsdóttir, Einar": a line's value "Surname, Given" (the surname by its list or ending, the given name listed).
const LAST_FIRST_LINE = new RegExp(`(?:^|\n)[^\n:]{1,30}:[ \t]{1,4}(${W}), (${W})[ \t]*(?=\r?\n|$)`, "gu");
function lastFirstLines(s: string, emit: PersonalEmit) {
  LAST_FIRST_LINE.lastIndex = 0;
  for (let m; (m = LAST_FIRST_LINE.exec(s)); ) {
    const a = m[1]!;
    const b = m[2]!;
    if (!isSurname(a) || !isGivenName(b) || isNotName(a)) continue;
    const start = m.index + m[0].lastIndexOf(`${a}, ${b}`);
    emit("person_name", start, start + a.length + 2 + b.length);
  }
}

// Chat speakers at the start of a line (or of a JSON string): "[09:42] Marcus Chen: …", "alice.smith: …".
const SPEAKER = new RegExp(
  String.raw`[ \t]*(\[[^\]\n]{1,40}\][ \t]*|\(?(?:\d{4}-\d{2}-\d{2}[ T])?\d{1,2}:\d{2}(?::\d{2})?(?: ?[AaPp][Mm])?\)?[ \t]+)?(?:<(${PHRASE}|[a-z]{2,20}[._][a-z]{2,20})>[ \t]+|(${PHRASE}|[a-z]{2,20}[._][a-z]{2,20}) ?:[ \t]+)(?=\S)`,
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
    // One listed given name without a timestamp says anything, even one word ("Leonie: thanks"); every one-word speaker
    // counts for the dialogue rule below.
    if (single && !m[1] && m[3] && /^\p{Lu}\p{Ll}/u.test(who) && !isNotName(who) && !COMMON.has(who.toLowerCase())) {
      singles.push([start, who]);
      if (/^\S/.test(rest) && !/^\d/.test(rest) && isGivenName(who)) {
        emit("person_name", start, start + who.length);
        return;
      }
    }
    // Without a timestamp the line must go on as a sentence ("Cookie: a=b; c=d" does not); with one, a speaker
    // may say one word before a code block ("[10:48] Chloé Patel: repro:").
    if (!m[1] && !/^\S+[ \t]+\S/.test(rest)) return;
    if (single) {
      const prose = /^[^\s=:/]+[ \t]+\S+[ \t]+\S/.test(rest); // a sentence, not "Cookie: a=b; c=d"
      const plain = !m[1] && !/^\d/.test(rest) && !COMMON.has(who.toLowerCase());
      if (m[1] && isKnownName(who)) emit("person_name", start, start + who.length);
      // A given name of the lists says anything ("Leonie: done, thx"); a two-syllable pinyin one a sentence.
      else if (plain && prose && isPinyinGiven(who)) emit("person_name", start, start + who.length);
      // Another listed word ("Assunto: entrega …", "Links: runbook …" are form labels): a sentence, and another speaker.
      else if (plain && prose && isKnownName(who)) known.push([start, who]);
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
  const singles: [number, string][] = [];
  const known: [number, string][] = [];
  at(0);
  let lines = 0;
  for (let i = s.indexOf("\n"); i >= 0; i = s.indexOf("\n", i + 1)) {
    at(i + 1);
    if (lines++ < 256) slackHeader(s, i + 1, emit);
  }
  for (let i = s.indexOf("\\n"); i >= 0; i = s.indexOf("\\n", i + 2)) at(i + 2);
  slackHeader(s, 0, emit);
  // A dialogue: one word speaks on two lines, another one in between ("Marie-Ève: …\nGiorgos: …\nMarie-Ève: done").
  if (singles.length >= 2) for (const [at, w] of known) emit("person_name", at, at + w.length);
  if (singles.length >= 3) {
    const count = new Map<string, number>();
    for (const [, w] of singles) count.set(w, (count.get(w) ?? 0) + 1);
    if (count.size >= 2 && [...count.values()].some((c) => c >= 2)) for (const [at, w] of singles) emit("person_name", at, at + w.length);
  }
}

// A chat export's message header on a line of its own: "Chen Jing 14:02", "Dariush Tehrani  2:15 PM".
const SLACK_HEADER = new RegExp(`(${PHRASE})[ \t]{1,2}\\d{1,2}:\\d{2}(?: ?[AaPp][Mm])?[ \t]*(?=\\r?\\n)`, "uy");
function slackHeader(s: string, i: number, emit: PersonalEmit) {
  const c = s.charCodeAt(i);
  if (!(c >= 65 && c <= 90) && !(c > 127)) return;
  SLACK_HEADER.lastIndex = i;
  const m = SLACK_HEADER.exec(s);
  const who = m?.[1];
  if (!who || !who.includes(" ")) return;
  const words = who.split(" ");
  if (words.length > 3 || words.some((w) => isNotName(w) || COMMON.has(w.toLowerCase()) || ORG.has(w.toLowerCase())) || !words.some((w) => isKnownName(w))) return;
  emit("person_name", i, i + who.length);
}

// ---------------------------------------------------------------------------------------------------------------
// names as values of keys

const STRONG_KEYS = new Set(
  (
    "firstname lastname surname givenname familyname middlename fullname customername contactname patientname " +
    "employeename cardholder cardholdername holdername nameoncard nameonaccount accountholder accountholdername " +
    "recipientname sendername billingname shippingname passengername guestname beneficiaryname payeename " +
    "personname legalname realname callername applicantname vorname nachname nom prenom " +
    // other languages' first / last / full name keys
    "apellido apellidos cognome sobrenome achternaam voornaam nazwisko imie fornavn efternavn etternavn fornamn efternamn " +
    "etunimi sukunimi nomcomplet nombrecompleto nomecompleto vollername"
  ).split(" "),
);
const WEAK_KEYS = new Set(
  (
    "name customer client clientname recipient patient displayname author owner assignee reporter requester sender " +
    "contact beneficiary payee passenger guest user username actor approver approvedby createdby updatedby " +
    "requestedby submittedby assignedto reportedby openedby closedby resolvedby ownername agent agentname engineer " +
    "oncall employee manager technician driver courier member attendee signatory holder applicant policyholder insured " +
    "subscriber buyer traveler traveller addressee debtor creditor payer to from cc bcc replyto nombre nome naam navn namn nimi cn"
  ).split(" "),
);

// Parts of a `name` object ({"first": "Lena", "last": "Hoffmann"}): a single word, but one from the list.
const MEDIUM_KEYS = new Set("first last given family fname lname forename".split(" "));

// `<role>_name` keys name a person: emp_name, doctor_name, contactPerson, submitter_name …
const PERSON_ROLE =
  /^(?:customer|contact|contactperson|patient|user|employee|emp|owner|holder|account|card|recipient|sender|billing|shipping|legal|real|person|guest|passenger|driver|agent|member|buyer|seller|applicant|caller|requester|requestor|reporter|assignee|author|manager|approver|beneficiary|payee|doctor|physician|nurse|student|teacher|tenant|landlord|spouse|parent|submitter|signer|traveler|traveller|insured|policyholder|subscriber|subject|debtor|creditor|guarantor|witness|claimant|respondent|partner|child|mother|father|emergency|reviewer|trainee|candidate|visitor|consignee|shipper)(?:name)?$/;

function keyClass(key: string): Strength | null {
  const k = key.toLowerCase().replace(/[^a-z]/g, "");
  if (STRONG_KEYS.has(k)) return "strong";
  if (k.endsWith("name") && PERSON_ROLE.test(k.slice(0, -4))) return "strong";
  if (k === "contactperson") return "strong";
  if (MEDIUM_KEYS.has(k)) return "medium";
  if (WEAK_KEYS.has(k)) return "weak";
  if (k.endsWith("display") && PERSON_ROLE.test(k.slice(0, -7))) return "weak"; // owner-display=, user_display:
  return null;
}

const VALUE_NAME = new RegExp(`^(?:${PHRASE})$`, "u");
const CAPS_NAME = /^\p{Lu}{2,}(?:[ '-]\p{Lu}{2,}){0,3}$/u;

/** True when `value`, found under `key`, is a person's name. */
export function isNameValue(key: string, value: string): boolean {
  const cls = keyClass(key);
  if (!cls || value.length > 80) return false;
  let v = value.trim();
  // "Last, First" ("Muñoz Pérez, Nerea", "McGuinness, Saoirse"): judged as "First Last".
  const comma = v.indexOf(", ");
  if (comma > 0 && v.indexOf(",", comma + 1) < 0 && !v.slice(comma + 2).includes(" ")) v = `${v.slice(comma + 2)} ${v.slice(0, comma)}`;
  if (cls === "strong" && CAPS_NAME.test(v)) return !isNotName(v);
  // holder="TĀNE PARATA": capitals under a weaker key, two or more words, one in the list, none a word of another use.
  if (cls === "weak" && CAPS_NAME.test(v) && v.includes(" ")) {
    const ws = v.split(/[ '-]/);
    return ws.every((w) => !isNotName(w) && !COMMON.has(w.toLowerCase())) && ws.some((w) => isKnownName(w));
  }
  if (!VALUE_NAME.test(v)) return false;
  const r = acceptName(v, cls, 0);
  return r !== null && r[1] === v.length;
}

/** [A-Za-z0-9_.-], by char code (a regex test per char was a hot spot on dense key = value text). */
const isKeyChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 45;

/** Names and addresses as values of keys: `"first_name": "Lena"`, `customer="Grace O'Brien"`, `street: "Am Markt 3"`.
 *  One pass over the `:` and `=` separators; a value that does not start with a capital letter (or a quote and
 *  one) is dropped before the key is even read. */
function keyedValues(s: string, emit: PersonalEmit) {
  SEPARATOR.lastIndex = 0;
  for (let m; (m = SEPARATOR.exec(s)); ) {
    const sep = m.index; // Ruby's `"name"=>"…"`: the key ends before "=>"
    let i = sep + m[0].length;
    while (i - sep < 9 && (s.charAt(i) === " " || s.charAt(i) === "\t")) i++;
    if (s.charAt(i) === "[") i++; // "given":["Liis"]
    const esc = s.charAt(i) === "\\" && (s.charAt(i + 1) === '"' || s.charAt(i + 1) === "'");
    if (esc) i++; // \"value\": the quote after the backslash opens it
    const q = s.charAt(i) === '"' || s.charAt(i) === "'" ? s.charAt(i) : "";
    const first = s.charCodeAt(i + q.length);
    const upper = first >= 65 && first <= 90;
    const digit = first >= 48 && first <= 57;
    if (!upper && !digit && first < 128) continue; // most values: lowercase words, numbers, objects
    let ke = sep;
    if (s.charAt(ke - 1) === '"' || s.charAt(ke - 1) === "'") ke--;
    if (s.charAt(ke - 1) === "\\") ke--;
    while (ke > 0 && sep - ke < 6 && (s.charAt(ke - 1) === " " || s.charAt(ke - 1) === "\t")) ke--;
    let ks = ke;
    while (ks > 0 && ke - ks < 48 && isKeyChar(s.charCodeAt(ks - 1))) ks--;
    if (ks === ke) continue;
    const key = s.slice(ks, ke);
    let vs = i;
    let ve: number;
    if (q) {
      const close = s.indexOf(esc ? `\\${q}` : q, i + 1);
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
      if (next === "," && !p[0].includes(" ")) {
        LAST_FIRST.lastIndex = ve; // owner-display=McGuinness, Saoirse
        if (LAST_FIRST.exec(s)) ve = LAST_FIRST.lastIndex;
      }
    } else continue;
    const raw = s.slice(vs, ve);
    // "Jakub Hrub\u00fd": JSON escapes are judged decoded and masked as written.
    const v = raw.includes("\\u") ? raw.replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))) : raw;
    if (isNameValue(key, v)) emit("person_name", vs, ve);
    else if (q && isAddressValue(key, v)) emit("postal_address", vs, ve);
  }
}
// A separator followed by a value that may be a name or an address (capital, digit or non-ASCII first letter,
// maybe quoted): the lookahead runs in the regex engine, so runs of ":" or "=" never reach the loop above.
// Also inside an escaped JSON string (`{\"name\":\"Sjoerd\"}` nested in a log field).
const SEPARATOR = /(?:=>|[:=])(?=[ \t]{0,8}\[?\\?["']?[A-Z0-9\u00c0-\uffff])/g;

// ---------------------------------------------------------------------------------------------------------------
// postal addresses

// A capitalized word; a dot only inside it ("St.Gallen") or closing a short abbreviation ("St. Albans"), so a town
// at the end of a sentence does not run on into the next one ("70173 Stuttgart. Rückruf …").
const CAP = String.raw`(?:\p{Lu}\p{Ll}{0,3}\.|\p{Lu}(?:[\p{L}'’-]|\.(?=\p{L})){1,30})`;
const TOWN = `${CAP}(?: ${CAP}){0,2}`;
// US and UK: number, street words, street type, optional direction / unit, towns, then state + ZIP or postcode.
// Between the lines of an address: ", ", " ", or a line break (real or JSON-escaped).
const LINE_SEP = String.raw`(?:,? |,?(?:\r?\n|\\n)[ \t]{0,8})`;
const EN_STREET =
  "Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter|Parkway|Pkwy|Circle|Cir|Highway|Hwy|Square|Sq|Trail|Close|Crescent|Gardens|Grove|Hill|Mews|Row|Walk|Rise|Green|Park";
const EN_WORD = String.raw`(?:${CAP}|\d{1,3}(?:st|nd|rd|th)|[NSEW]\.?)`;
const US_STATES =
  "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming";
const EN_ADDRESS = new RegExp(
  String.raw`(?:\b(?:Flat|Apartment|Apt|Unit|Suite) [A-Za-z0-9-]{1,6},? )?(?:\bP\.? ?O\.? Box \d{1,6}|\b\d{1,6}[A-Z]?,? (?:${EN_WORD} ){1,3}(?:${EN_STREET})\.?(?: (?:NW|NE|SW|SE|N|S|E|W))?)` +
    String.raw`(?:${LINE_SEP}(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|Fl|#)\.? ?[A-Za-z0-9-]{1,6})?` +
    String.raw`(?:(?:${LINE_SEP}${TOWN}){1,3}?(?:${LINE_SEP}(?:(?:[A-Z]{2}|${US_STATES}) \d{5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|[A-Z]{2} [A-Z]\d[A-Z] ?\d[A-Z]\d|(?:NSW|VIC|QLD|WA|SA|TAS|ACT|NT) \d{4}|\d{4,6}(?![\d:/-]|\.\d)))|(?=[\s,.;)"']|$))`,
  "gu",
);
// Germany: "Hauptstraße 12, 10115 Berlin", "Goethestr. 7a", "Am Markt 3, 28195 Bremen".
const DE_SUFFIX = "straße|strasse|str\\.|weg|allee|platz|gasse|ring|damm|ufer|chaussee|steig|pfad|markt";
const DE_TAIL = String.raw` \d{1,4}[a-z]?(?:\/\d{1,4}[a-z]?)?(?:${LINE_SEP}(?:(?:D|A|CH)-)?\d{4,5} ${TOWN})?(?![\p{L}\d])`;
// A street with a preposition ("Am Markt 3", "Unter den Linden 77"), one scan when the text has one.
const DE_ADDRESS = new RegExp(String.raw`\b(?:Am|An der|An den|Auf der|Auf dem|Im|In der|In den|Unter den|Zum|Zur|Alt-) ?\p{Lu}[\p{Ll}ß]+${DE_TAIL}`, "gu");
// A suffixed street ("Hauptstraße 12", "Goethestr. 7a", "Konrad-Adenauer-Straße 5"): found from the suffix and the
// house number (one scan of the lowercased text), the name read back from a bounded window, the rest read forward.
// (As one pattern, \b<Name><suffix> … was tried at every capitalized word of every text with a German street.)
const DE_ANCHOR = new RegExp(`(?:${DE_SUFFIX}) \\d`, "g");
const DE_STREET_BEFORE = new RegExp(
  String.raw`(?:^|[^A-Za-z0-9_])(\p{Lu}[\p{Ll}ß]+(?:-\p{Lu}[\p{Ll}ß]+){0,3}(?:-?(?:${DE_SUFFIX})|-(?:Straße|Strasse|Weg|Allee|Platz|Gasse|Ring|Damm|Ufer)| (?:Straße|Strasse|Str\.|Weg|Allee|Platz|Gasse|Ring|Damm|Ufer|Chaussee|Markt)))$`,
  "u",
);
const DE_TAIL_AT = new RegExp(DE_TAIL, "uy");

function germanAddresses(s: string, lower: string, emit: PersonalEmit) {
  DE_ANCHOR.lastIndex = 0;
  for (let m; (m = DE_ANCHOR.exec(lower)); ) {
    const nameEnd = m.index + m[0].length - 2;
    const head = s.slice(Math.max(0, nameEnd - 140), nameEnd);
    const st = DE_STREET_BEFORE.exec(head);
    if (!st?.[1]) continue;
    DE_TAIL_AT.lastIndex = nameEnd;
    if (!DE_TAIL_AT.exec(s)) continue;
    let start = nameEnd - st[1].length;
    // An adjective before the street ("Landstraßer Hauptstraße 96", "Alte Jakobstraße 12").
    const adj = DE_ADJECTIVE_BEFORE.exec(s.slice(Math.max(0, start - 32), start));
    if (adj?.[1]) start -= adj[1].length + 1;
    emitAddress(s, start, s.slice(start, DE_TAIL_AT.lastIndex), emit);
    DE_ANCHOR.lastIndex = Math.max(DE_ANCHOR.lastIndex, DE_TAIL_AT.lastIndex);
  }
}
const DE_ADJECTIVE_BEFORE = /(?:^|[^\p{L}\d])(\p{Lu}[\p{Ll}ß]+(?:er|e|es)) $/u;
// France: "15 rue de la Paix, 75002 Paris", "3 avenue des Champs-Élysées, 75008 Paris".
const FR_ADDRESS = new RegExp(
  // A building, staircase or flat first: "Bât. A, 105 rue des Capucins", "Appt 12, Esc. B, 3 rue …".
  String.raw`(?:\b(?:Bât(?:\.|iment)|Appt\.?|Appartement|Escalier|Esc\.) [A-Z0-9]{1,4},? ){0,2}\b\d{1,4}(?: ?(?:bis|ter))?,? (?:[Rr]ue|[Aa]venue|[Aa]v\.|[Bb]oulevard|[Bb]d|[Pp]lace|[Cc]hemin|[Aa]llée|[Ii]mpasse|[Qq]uai|[Rr]oute|[Cc]ours|[Ss]quare|[Pp]assage)` +
    String.raw`(?: [\p{L}'’-]{1,30}){1,5}?${LINE_SEP}\d{4,5} ${TOWN}(?: Cedex(?: \d{1,2})?)?` +
    // Belgium and Switzerland write the number after the street: "Rue Neuve 14, 1000 Bruxelles".
    String.raw`|\b(?:Rue|Avenue|Boulevard|Chaussée|Place|Chemin|Route|Quai)(?: [\p{L}'’-]{1,30}){1,5}? \d{1,4}[a-z]?${LINE_SEP}\d{4} ${TOWN}`,
  "gu",
);
// India: "Flat 12B, Sunrise Apartments, MG Road, Bengaluru 560001", "House No. 45, Sector 21, Gurugram, Haryana 122001".
const IN_ADDRESS = new RegExp(
  String.raw`(?:\b(?:Flat|House|H\.? ?No\.?|Plot|Door|Shop|Villa|Office)(?: No\.?)? ?|#|\b)[A-Z]?-?\d{1,4}[A-Z]?(?:[/-]\d{1,4}){0,2}(?:,| \p{Lu}[^,\n"]{1,40},)(?: [^,\n"]{2,40},){0,5} ${CAP}(?: ${CAP})?(?:,? ${CAP}(?: ${CAP})?)?(?: -)? \d{3} ?\d{3}(?!\d)`,
  "gu",
);
// Netherlands: "Keizersgracht 123, 1015 CJ Amsterdam", "Van Baerlestraat 12-3, 1071 AZ Amsterdam": the 4-digit +
// 2-letter postcode carries it. Found from the postcode (one scan), the street read back from a bounded window and
// the town read forward: the single pattern \b<street> <number>,? <postcode> <town> tried every capitalized word.
const NL_POSTCODE = /\d{4} ?[A-Z]{2} /g;
const NL_STREET_BEFORE = new RegExp(
  String.raw`(?:^|[^A-Za-z0-9_])(\p{Lu}[\p{L}'’.-]{2,30}(?: (?:van|de|der|den|het|'t|\p{Lu}[\p{L}'’.-]{1,30})){0,3} \d{1,4}(?:[ -]?[A-Za-z]{1,2}\d{0,3}|-\d{1,4})?,? )$`,
  "u",
);
const TOWN_AT = new RegExp(TOWN, "uy");

function dutchAddresses(s: string, emit: PersonalEmit) {
  NL_POSTCODE.lastIndex = 0;
  for (let m; (m = NL_POSTCODE.exec(s)); ) {
    const head = s.slice(Math.max(0, m.index - 160), m.index);
    const st = NL_STREET_BEFORE.exec(head);
    if (!st?.[1]) continue;
    TOWN_AT.lastIndex = m.index + m[0].length;
    if (!TOWN_AT.exec(s)) continue;
    const start = m.index - st[1].length;
    emitAddress(s, start, s.slice(start, TOWN_AT.lastIndex), emit);
    NL_POSTCODE.lastIndex = TOWN_AT.lastIndex;
  }
}
// Italy: "Via Roma 21, 00184 Roma", "Corso Buenos Aires 407, 20124 Milano", "Piazza di Spagna, 5 - 00187 Roma (RM)".
const IT_ADDRESS = new RegExp(
  String.raw`\b(?:Via|Viale|V\.le|Corso|C\.so|Piazza|P\.za|Piazzale|Largo|Vicolo|Strada|Lungotevere|Lungomare|Borgo|Contrada)(?: (?:di|del|della|dei|degli|delle|de|d'|\p{Lu}[\p{L}'’.-]{1,30})){1,4},? (?:n\. ?)?\d{1,4}[A-Za-z]?(?:\/[A-Za-z0-9]{1,3})?(?:,? (?:scala|sc\.|interno|int\.|piano|p\.) [A-Za-z0-9]{1,4}){0,3}(?:(?:${LINE_SEP}|,? - )\d{5} ${TOWN}(?: \(?[A-Z]{2}\)?)?)?(?![\p{L}\d])`,
  "gu",
);
// Spain: "Calle Mayor 15, 28013 Madrid", "C/ de Alcalá 132, 3º B, 28009 Madrid", "Avda. Diagonal, 640, 08017 Barcelona".
const ES_ADDRESS = new RegExp(
  String.raw`(?:\b(?:Calle|Avenida|Avda\.|Paseo|Plaza|Pza\.|Carrer|Camino|Ronda|Travesía|Gran Vía|Rambla)|\bC\/)(?: (?:de|del|la|las|los|el|d'|\p{Lu}[\p{L}'’.-]{1,30})){0,4},? (?:n[º°o]\.? ?)?\d{1,4}(?:,? \d{1,2}(?:\.?[º°ª](?: ?(?:\d{1,2}\.?[º°ª]|[A-Za-z]{1,2}\.?))?|-\d{1,2}))?${LINE_SEP}\d{5} ${TOWN}`,
  "gu",
);
// Brazil: "Rua Augusta 1500, São Paulo - SP, 01304-001", "Av. Paulista, 1000 - Bela Vista, São Paulo - SP, 01310-100".
const BR_ADDRESS = new RegExp(
  String.raw`\b(?:Rua|R\.|Avenida|Av\.|Alameda|Al\.|Travessa|Tv\.|Praça|Estrada|Rodovia|Largo)(?: (?:da|das|do|dos|de|\p{Lu}[\p{L}'’.-]{1,30})){1,5},? (?:n\.?[º°]\.? ?)?\d{1,5}` +
    String.raw`(?:(?:(?:,|[ ]?-)[ ][^,\n"\d-][^,\n"-]{1,39}){0,4}?(?:,|[ ]?-)[ ](?:CEP:? ?)?\d{5}-\d{3}(?!\d)` +
    // Portugal: "Rua Augusta 100, 1100-053 Lisboa", "Avenida da Liberdade 12, 3º Esq, 1250-096 Lisboa" (the 4-3 postcode, then the town).
    String.raw`|[A-Z]?(?:,? (?:\d{1,2}\.?[º°ª] ?(?:Esq|Dto|Dt|Frt|Frente|[A-Z])?\.?|[Rr]\/[Cc]))?${LINE_SEP}\d{4}-\d{3} ${TOWN})`,
  "gu",
);
// Czech Republic, Slovakia, Greece: street words (often an adjective without a street type: "Národní 31",
// "Václavské náměstí 12"), a number (orientation "/"), then the 3+2 postcode and the town with its district ("Praha 2").
const CZ_ADDRESS = new RegExp(
  String.raw`(?<![\p{L}\d])\p{Lu}[\p{L}'’.-]{1,30}(?: [\p{L}'’.-]{1,30}){0,3} \d{1,4}[a-z]?(?:\/\d{1,4}[a-z]?)?(?:, |,?(?:\r?\n|\\n)[ \t]{0,8})\d{3} \d{2} ${TOWN}(?: \d{1,2}(?![\d.]))?`,
  "gu",
);
// Japan: "2-21-1 Shibuya, Shibuya-ku, Tokyo 150-0002" (romanized, block-lot-building first) and "〒530-0001 大阪府大阪市北区梅田2-3-4".
const JP_ADDRESS = new RegExp(
  String.raw`\b\d{1,4}-\d{1,4}(?:-\d{1,4})? \p{Lu}[\p{L}-]{1,30}(?: \p{Lu}[\p{L}-]{1,30})?${LINE_SEP}\p{Lu}\p{Ll}{1,30}-(?:ku|shi|cho|machi|gun)(?:, \p{Lu}\p{Ll}{1,30})?,? (?:\p{Lu}\p{Ll}{1,30} )?\d{3}-\d{4}(?!\d)|〒\d{3}-\d{4}(?:${LINE_SEP}|\u3000)?[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー\d０-９\-－]{2,60}`,
  "gu",
);
// Nordic: "Drottninggatan 53, 111 21 Stockholm", "Karl Johans gate 22 H0203, 0159 Oslo", "Nørrebrogade 34, 2. th.,
// 2200 København N", "Mannerheimintie 12 B 7, 00100 Helsinki": a suffixed street (or words + gate/vei/vej), a number, a
// flat (lgh 1102, 3 tr, H0203, B 7, 2. th.), then a 3+2 / 4 / 5-digit postcode and the town.
const NORDIC_SUFFIX = "gatan|gata|gate|vägen|väg|veien|vei|veg|vejen|vej|gade|stræde|allé|alle|torget|torg|plads|plass|katu|tie|kuja|polku|väylä|brink|backe";
const NORDIC_ADDRESS = new RegExp(
  String.raw`(?<![\p{L}\d])(?:\p{Lu}[\p{L}-]{1,30} ){0,2}(?:\p{Lu}[\p{L}-]{0,30}(?:${NORDIC_SUFFIX})|(?:${NORDIC_SUFFIX})) \d{1,4}[A-Za-z]?` +
    String.raw`(?:,? (?:lgh \d{4}|\d{1,2} tr|[HU]\d{4}|[A-H](?: \d{1,3})?|\d{1,2}\.(?: ?(?:th|tv|mf|sal)\.?)?))?${LINE_SEP}(?:(?:SE|S|DK|NO|N|FI)-)?(?:\d{3} \d{2}|\d{4,5}) ${TOWN}(?: [A-ZÆØÅ](?![\p{L}\d]))?`,
  "gu",
);
// Poland: "ul. Marszałkowska 84/92 m. 15, 00-514 Warszawa", "al. Jerozolimskie 65/79, 00-697 Warszawa".
const PL_ADDRESS = new RegExp(
  String.raw`\b(?:ul\.|al\.|pl\.|os\.|ulica|aleja|plac) (?:\p{Lu}[\p{L}.-]{1,30} ){1,3}\d{1,4}[A-Za-z]?(?:\/\d{1,4}[A-Za-z]?)?(?:,? (?:m\.|lok\.|lokal|m) ?\d{1,4})?${LINE_SEP}\d{2}-\d{3} ${TOWN}`,
  "gu",
);
// Postal boxes in other languages: "Postfach 10 02 34, 20001 Hamburg", "Postbus 1234, 3000 BA Rotterdam", "BP 120, 13002 Marseille".
const BOX_ADDRESS = new RegExp(
  String.raw`\b(?:Postfach|Postbus|Postboks|Box|BP|B\.P\.|CP|Apartado(?: de [Cc]orreos)?|Caixa Postal|PO Box|P\.O\. Box|Boîte postale|Casella postale|Postboks|Skrytka pocztowa) \d{1,6}(?: \d{2}){0,3}${LINE_SEP}(?:\d{4,5}|\d{4} [A-Z]{2}|\d{2}-\d{3}) ${TOWN}(?: Cedex)?`,
  "gu",
);
// Ireland: comma-separated capitalized lines ending with an Eircode: "Apt 7, The Maltings, Bray, Co. Wicklow, A98 K2T3".
const EIRCODE = String.raw`(?:[AC-FHKNPRTV-Y]\d{2}|D6W) ?[0-9AC-FHKNPRTV-Y]{4}`;
const IE_ADDRESS = new RegExp(
  String.raw`(?:\b(?:Apt|Apartment|Flat|Unit|No\.?) \d{1,4}[A-Z]?, |\b\d{1,4}[A-Z]? )?(?:(?:\p{Lu}[\p{L}.'’-]{0,30}|Co\.)(?: [\p{Lu}\d][\p{L}\d.'’-]{0,30}){0,4}(?:, |\r?\n|\\n)){1,5}${EIRCODE}(?![\p{L}\d])`,
  "gu",
);
const EIRCODE_GATE = new RegExp(`(?:, |\\n|\n)${EIRCODE}(?![\\p{L}\\d])`, "u");
// Mexico: "Av. Insurgentes Sur 1602, Col. Crédito Constructor, 03940 Ciudad de México, CDMX".
const MX_ADDRESS = new RegExp(
  String.raw`\b(?:Av\.|Avenida|Calle|Calz\.|Calzada|Blvd\.|Boulevard|Privada|Priv\.|Prol\.|Prolongación|Paseo|Circuito|Andador)(?: (?:de|del|la|las|los|\p{Lu}[\p{L}'’.-]{0,30}|\d{1,2} de \p{Lu}\p{Ll}+)){1,4} (?:No\.? ?|#)?\d{1,5}[A-Z]?(?: (?:Int\.|Interior|Depto\.|Dpto\.|Local) ?[A-Za-z0-9-]{1,5})?${LINE_SEP}(?:Col\.|Colonia|Fracc\.|Barrio)?[^,\n\d"]{2,40}${LINE_SEP}(?:C\.?P\.? ?)?\d{5},? ${CAP}(?: (?:de|del|de la) ${CAP}| ${CAP}){0,3}(?:, (?:CDMX|[A-Z][a-z]{0,4}\.(?:[A-Z]\.)?|\p{Lu}\p{L}+))?`,
  "gu",
);
// Turkey: "Atatürk Cad. No: 15, 34000 İstanbul", "Bağdat Caddesi No:120/4 Kadıköy, 34728 İstanbul".
// Found from the street type (no leading word run scanned at every position): the street name words are then
// read backwards from a bounded window.
const TR_TYPE = /(?<![\p{L}])(?:Cad(?:desi)?|Sok(?:ak|ağı)?|Sk|Bulvarı|Blv|Mah(?:allesi)?)\.?,? No: ?\d{1,4}(?:\/\d{1,3})?/gu;
const TR_REST = new RegExp(String.raw`(?:,? \p{Lu}[\p{L}'’-]{1,30}){0,2}${LINE_SEP}\d{5},? ${TOWN}(?:\/${CAP})?`, "uy");
const TR_NAME_BEFORE = /(?:^|[^\p{L}'’-])((?:\p{Lu}[\p{L}'’-]{1,30} ){1,3})$/u;

function turkishAddresses(s: string, emit: PersonalEmit) {
  TR_TYPE.lastIndex = 0;
  for (let m; (m = TR_TYPE.exec(s)); ) {
    const before = TR_NAME_BEFORE.exec(s.slice(Math.max(0, m.index - 96), m.index));
    if (!before?.[1]) continue;
    TR_REST.lastIndex = m.index + m[0].length;
    if (!TR_REST.exec(s)) continue;
    emit("postal_address", m.index - before[1].length, TR_REST.lastIndex);
    TR_TYPE.lastIndex = TR_REST.lastIndex;
  }
}
// Any grammar's match may end with the country: "…, Brighton BN2 1TW, UK", "…, 44000 Nantes, France".
const COUNTRY_AFTER =
  /^,? (?:UK|U\.K\.|United Kingdom|England|Scotland|Wales|Northern Ireland|France|Germany|Deutschland|India|Italy|Italia|Spain|España|Netherlands|The Netherlands|Nederland|Brazil|Brasil|Japan|USA|U\.S\.A\.|United States|US)(?![\p{L}])/u;
// An Indian address names a locality part; without one, "Build 12, Step 3, Job 123456" would match.
const IN_LOCALITY =
  /\bH\.? ?No\b|\b(?:Flat|House|Plot|Road|Rd|Nagar|Marg|Salai|Hills|Peth|Wadi|Ganj|Halli|Palya|Sector|Colony|Layout|Street|St|Apartments?|Apts|Society|Phase|Block|Lane|Cross|Main|Floor|Tower|Complex|Enclave|Vihar|Bagh|Puram|Gali|Chowk|Bazar|Market|East|West|North|South|Extension|Residency|Heights|Towers|Village|District|Taluk|Mandal|Post)\b/;
const MONTHS_HEAD = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|september|october|november|december";
const IN_YEAR_BEFORE = new RegExp(`(?:${MONTHS_HEAD})\\.? $|\\d[./ -]$`, "i");
const IN_PHONE_PART = /\d{3}[ .-]?\d{3}[ .-]?\d{4}[^\n]{0,80},/;
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
        while (/[,.]$/.test(v) && !DOTTED_REGION.test(v)) v = v.slice(0, -1);
        if (re === EN_ADDRESS && !/\d{5}|[A-Z]\d[A-Z\d]? ?\d[A-Z]{2}$|[A-Z]\d[A-Z] ?\d[A-Z]\d$|[A-Z]{2,3} \d{4}$|(?:, |\n|\\n)\p{Lu}[\p{L} ]{1,40}(?: |\n|\\n)\d{4}$/u.test(v) && !ADDRESS_CONTEXT.test(s.slice(Math.max(0, m.index - 40), m.index))) {
          continue; // a street alone ("12 Main St") needs a context: "ship to", "address:", …
        }
        if (re === IN_ADDRESS && !IN_LOCALITY.test(v)) continue;
        // "born 17 Sep 1972, mobile 087 700 7567, lives at 37-13 …": a year or a phone is no house number and no
        // address part; retry from the next position for the address that starts later.
        if (re === IN_ADDRESS && (IN_YEAR_BEFORE.test(s.slice(Math.max(0, m.index - 12), m.index)) || IN_PHONE_PART.test(v))) {
          re.lastIndex = m.index + 1;
          continue;
        }
        emitAddress(s, m.index, v, emit);
      }
    }
  }
}

/** A region written as dotted initials ("Monterrey, N.L.", "México, D.F.") keeps its last dot. */
const DOTTED_REGION = /(?:^|[ ,])\p{Lu}\.(?:\p{Lu}\.)+$/u;

/** Emits the address `v` found at `start`, with a country name right after it, and the recipient's name before it. */
function emitAddress(s: string, start: number, v: string, emit: PersonalEmit) {
  while (/[,.]$/.test(v) && !DOTTED_REGION.test(v)) v = v.slice(0, -1);
  let end = start + v.length;
  const country = COUNTRY_AFTER.exec(s.slice(end, end + 24));
  if (country) end += country[0].length;
  emit("postal_address", start, end);
  nameNextTo(s, start, -1, emit); // "Ship to:\nImogen Ashworth\n<address>": the recipient's line
}

// After an explicit address label, any country's address: the rest of the line (or of the quoted value), when it
// holds a house or postal number and capitalized words and is not an IP, host, e-mail, URL or memory address.
const ADDRESS_CUE =
  /\b(?:(?:shipping|billing|delivery|home|mailing|postal|street|return|registered|correspondence|residential|postal)[ _-]?address|address(?:[ _-]?line[ _-]?\d)?|ship to|deliver to|adresse(?: de livraison)?|lieferadresse|anschrift|direcci[oó]n(?: de env[ií]o)?|indirizzo|endere[cç]o|adres|adresa|osoite|adress|dirección postal)["']?[ \t]{0,4}[:=][ \t]{0,4}["']?/gi;
const CUE_VALUE = /[^\n"<>{}|]{6,160}/y;
const CONTACT_AFTER =
  /[ \t,](?:(?:y|and|und|et|e|ve|og|och|i)[ \t]+)?(?:celular|cel\.?|tel\.?|teléfono|telefone|telefono|telefon|phone|mobile|móvil|movil|handy|e-?mail|correo|tél\.?)(?=[ \t:.]|$)/i;

function cuedAddresses(s: string, emit: PersonalEmit) {
  ADDRESS_CUE.lastIndex = 0;
  for (let m; (m = ADDRESS_CUE.exec(s)); ) {
    const at = m.index + m[0].length;
    CUE_VALUE.lastIndex = at;
    const v = CUE_VALUE.exec(s);
    if (!v) continue;
    let text = v[0];
    if (!/\d/.test(text) || !/\p{Lu}\p{Ll}{2}/u.test(text)) continue; // cheap rejections first
    const q = m[0].charAt(m[0].length - 1);
    if ((q === "'" || q === '"') && text.includes(q)) text = text.slice(0, text.indexOf(q)); // 'address': 'PO Box 5933, …', 'country': …
    // End at a sentence or clause break: ". Please …", " — the customer …", "; ", " (", "\n" (escaped).
    const cut = /(?<=\p{Ll}{3})\.[ \t]+\p{Lu}\p{Ll}*[ \t]+\p{Ll}|[ \t][—–][ \t]|;[ \t]|[ \t]\(|\\[nrt]|[ \t]{2,}|,[ \t]*(?:and|but|please|pls|the|he|she|they|we|I)\b/u.exec(text);
    if (cut) text = text.slice(0, cut.index);
    // "… 40863 Monterrey, N.L. y celular 33 6574 9474": a contact detail after the address is not part of it.
    const contact = CONTACT_AFTER.exec(text);
    if (contact) text = text.slice(0, contact.index);
    text = DOTTED_REGION.test(text.trimEnd()) ? text.trimEnd() : text.replace(/[\s,.;:'"]+$/u, "");
    if (text.length < 6 || !/\d/.test(text) || !/\p{Lu}\p{Ll}{2}/u.test(text) || !/ /.test(text)) continue;
    if (/@|:\/\/|\b0x[0-9a-f]|^\d{1,3}(?:\.\d{1,3}){3}|\b[0-9a-f]{2}(?::[0-9a-f]{2}){3}|^[a-z0-9.-]+:\d/i.test(text)) continue;
    emit("postal_address", at, at + text.length);
  }
}

// After a phrase that announces an address ("I live at", "deliver to", "our office is at", "return the device to"),
// any country's street-first or number-first line with a postcode and a town: "Ilica 1, 10000 Zagreb", "Andrássy út
// 12, 1061 Budapest", "Strada Lipscani 10, 030031 București", "Calle 5 #12-40, 110111 Bogotá".
const PROSE_LEAD =
  /(?:(?:my|our|the|his|her|their|new) )?(?:ship(?:ping)? (?:it )?to|deliver(?:y|ed)? (?:it )?to|address(?:[ \t]+(?:is|to|now))?|lives? at|living at|moved to|located at|based at|(?:office|shop|store|home|house|flat) is (?:now )?at|send (?:it |them )to|return (?:it |them |the [a-z]{2,12} )to|mail (?:it |them )?to|resides at|residing at)[ \t]{0,2}:?[ \t\r\n]{1,4}/iy;
const STREET_FIRST = new RegExp(
  String.raw`(?:\p{Lu}[\p{L}'’.-]{1,30}(?: [\p{L}'’.-]{1,30}){0,3},? (?:(?:No\.?|nr\.?|n\.?º|#) ?)?\d{1,4}[A-Za-z]?(?:[/-]\d{1,4}[A-Za-z]?)?` +
    String.raw`|\d{1,5}[A-Za-z]?,? \p{Lu}[\p{L}'’.-]{1,30}(?: [\p{L}'’.-]{1,30}){0,3})` +
    String.raw`(?:,[ ][^,\n\d]{1,12}\d{1,4}[^,\n]{0,6})?${LINE_SEP}(?:(?:[A-Z]{1,2}-)?\d{4,6} ${TOWN}(?: \d{1,2}(?![\d.]))?|${TOWN} \d{4,6}(?![\d.]))`,
  "uy",
);

/** `leads`: where the context scan found a lead word ("lives", "deliver", "office", …); the phrase is matched there
 *  only (sticky), not searched for in the whole text. */
function ledAddresses(s: string, leads: readonly number[], emit: PersonalEmit) {
  for (const p of leads) {
    PROSE_LEAD.lastIndex = p;
    const m = PROSE_LEAD.exec(s);
    if (!m) continue;
    const at = p + m[0].length;
    STREET_FIRST.lastIndex = at;
    const a = STREET_FIRST.exec(s);
    if (!a) continue;
    let v = a[0];
    while (/[,.]$/.test(v)) v = v.slice(0, -1);
    if (/@|:\/\/|^\d{1,3}(?:\.\d{1,3}){3}/.test(v)) continue;
    emit("postal_address", at, at + v.length);
  }
}

const ADDRESS_CONTEXT = /(?:ship(?:ping)? to|deliver(?:y|ed)? to|address(?:[ \t]+(?:is|to|now))?|lives at|moved to|located at|send (?:it )?to|return to|mail (?:it )?to|resides at|living at|residing at|wohnt in|wohnhaft in|domicilio|domicile)[ \t:=,"'\r\n]*$/i;

/** A name right before `before` (on the line above, or ending with ", " / " (" / " — ") or right after `after`
 *  (after " — ", ", " or ") "): the person an address or a date of birth belongs to. Two or more words, one listed. */
function nameNextTo(s: string, before: number, after: number, emit: PersonalEmit) {
  if (before > 0 && NAME_BEFORE_END.test(s.slice(Math.max(0, before - 4), before))) {
    const head = s.slice(Math.max(0, before - WINDOW), before);
    const m = NAME_BEFORE.exec(head);
    const phrase = m?.[1] ? withoutLead(m[1]) : "";
    if (m?.[1] && phrase.includes(" ")) {
      const start = before - head.length + (m.indices?.[1]?.[0] ?? 0) + m[1].length - phrase.length;
      const r = acceptName(phrase, "medium", start);
      if (r && r[1] - start === phrase.length) emit("person_name", r[0], r[1]);
    }
  }
  if (after >= 0) {
    NAME_AFTER_SEP.lastIndex = after;
    if (NAME_AFTER_SEP.exec(s)) {
      const r = nameAt(s, NAME_AFTER_SEP.lastIndex, "medium");
      if (r && s.slice(r[0], r[1]).includes(" ")) emit("person_name", r[0], r[1]);
    }
  }
}
const NAME_BEFORE = new RegExp(String.raw`(?:^|\n|\\n|[:;.] |(?:for|of|from|to|by) )(${PHRASE})(?:,[ \t]{0,2}|[ \t]{1,2}\(|[ \t]{1,2}[—–-][ \t]{1,2}|[ \t]*\r?\n|[ \t]*\\n)$`, "du");
const NAME_BEFORE_END = /(?:,[ \t]{0,2}|[ \t]\(|[ \t][—–-][ \t]{1,2}|\n|\\n)$/;
const NAME_AFTER_SEP = /\)?(?:[ \t]{1,2}[—–-][ \t]{1,2}|,[ \t]{1,2})/y;

// ---------------------------------------------------------------------------------------------------------------
// dates of birth

const MONTHS =
  "jan(?:uary|uar)?|feb(?:ruary|ruar)?|m(?:ar(?:ch)?|ärz|ars)|apr(?:il)?|ma[iy]|june?|juin|juni|july?|juil(?:let)?|juli|aug(?:ust)?|ao[uû]t|sep(?:t(?:ember)?)?|oct(?:ober)?|okt(?:ober)?|nov(?:ember)?|dec(?:ember)?|dez(?:ember)?|janvier|f[ée]vrier|avril|mai|septembre|octobre|novembre|d[ée]cembre|" +
  // IT, ES, PT, NL
  "gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre|enero|febrero|abril|mayo|junio|julio|" +
  "septiembre|setiembre|octubre|noviembre|diciembre|janeiro|fevereiro|março|marco|maio|junho|julho|setembro|outubro|dezembro|januari|" +
  "februari|maart|mei|augustus|" +
  // PL (genitive), SV/DA/NO, TR, FI
  "stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|wrze[sś]nia|pa[zź]dziernika|listopada|grudnia|maj|augusti|desember|" +
  "ocak|[sş]ubat|mart|nisan|may[iı]s|haziran|temmuz|a[gğ]ustos|eyl[uü]l|ekim|kas[iı]m|aral[iı]k|" +
  "tammikuuta|helmikuuta|maaliskuuta|huhtikuuta|toukokuuta|kesäkuuta|heinäkuuta|elokuuta|syyskuuta|lokakuuta|marraskuuta|joulukuuta|" +
  // CS/SK (genitive), HU, RO
  "ledna|února|března|dubna|května|června|července|srpna|září|října|listopadu|prosince|januára|februára|marca|apríla|mája|júna|júla|augusta|septembra|októbra|novembra|decembra|" +
  "január|február|március|április|május|június|július|augusztus|szeptember|október|" +
  "ianuarie|februarie|martie|aprilie|iunie|iulie|septembrie|octombrie|noiembrie|decembrie";
const DATE =
  String.raw`(?:\d{4}(?<sep>[-/.])\d{1,2}\k<sep>\d{1,2}|\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{1,2}(?:st|nd|rd|th|er|º)?\.? (?:of |de )?(?:${MONTHS})\.?,? (?:de )?(?:\d{4}(?: r\.)?|'?\d{2}(?![\d.:]))|\d{4} ?年 ?\d{1,2} ?月 ?\d{1,2} ?日|\d{4}년 ?\d{1,2}월 ?\d{1,2}일|\d{4}\. ?(?:${MONTHS}) \d{1,2}\.|\d{4}\. ?\d{1,2}\. ?\d{1,2}\.|(?:${MONTHS})\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4}|\d{1,2}-(?:${MONTHS})-(?:\d{4}|\d{2}))(?![\d:])`;
const DOB_TRIGGER =
  /\b(?:dob(?:[_ ]?date)?|d\.o\.b\.?|b\.(?= ?\d)|geb\.-?dat(?:um|\.)|f(?:echa|ec)?\.? ?(?:de )?nac(?:\.|(?![a-z]))|date[_ ]?of[_ ]?birth|dateofbirth|birth[_ ]?(?:date|dt|day)|birthdate|birthday|b[_ ]?day|born|geb\.|geboren|née?|date de naissance|fecha de nacimiento|geburtsdatum|data de nascimento|data di nascita|geboortedatum|nat[oa] il|nacid[oa] el|nascid[oa] em|fecha[_ ]?(?:de[_ ])?nacimiento|data[_ ]?(?:di[_ ]|de[_ ])?nasc(?:ita|imento)|data urodzenia|urodzon[ya]|ur\.|syntymäaika|syntynyt|födelsedatum|född|fødselsdato|født|fødd|doğum tarihi|dogum tarihi|doğum|geburtstag|date[_ ]naissance|naissance|narozen[aáýé]?|datum narození|dátum narodenia|született|születési (?:dátum|idő)|szül\.|data nașterii|data nasterii|născut[ăa]?)|生年月日|誕生日|出生日期|出生年月日|出生于|생년월일|생일/gi;
// After a dob key also the compact 19850312; after "born" / "born in" also a bare year.
const COMPACT = String.raw`(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)`;
// Between the keyword and the date: punctuation, leaders ("birth date ....... 1978-04-04"), a format hint
// ("DOB (MM/DD/YYYY): …"), an XML tag's ">", short words ("born on the", "birthday is") and English weekdays
// ("born on Friday, 3 May 1985", "DOB: Fri 03 May 1985").
const DOB_VALUE = new RegExp(String.raw`(?:["'\\\s:=,()：.>|–—-]|\([a-zA-Z]{1,4}[/.-][a-zA-Z]{1,4}[/.-][a-zA-Z]{2,4}\)|dob\b|on\b|am\b|le\b|in\b|the\b|il\b|el\b|em\b|op\b|is\b|was\b|of\b|à\b|(?:mon|tues|wednes|thurs|fri|satur|sun)(?:day)?\b|(?:tue|wed|thu|sat)\b){0,16}?(${DATE}|${COMPACT}|(?<=(?:born|in) )(?:19|20)\d{2}(?![\d/.-]))`, "iuy");

// Words between the keyword and the date within one clause ("Geburtsdatum laut Akte 08.01.2003", "data di nascita
// corretta (indicata: 23 novembre 1962)", "field 'dateOfBirth': rejected value [02/14/1942]", "birthday list for the cake
// rota: Eero Hämäläinen 23.12.1972"): up to 48 chars without a digit or sentence end, and no verb of record-keeping
// ("DOB verified on 2024-03-01" dates the check, not the birth).
// The tail of a masked id ("data de nascimento inválida para CPF ***.***.***-94: "27 de maio de 1966"": 1-3 digits after
// `*`, `#` or `-`, so a digit run never makes the gap try a date at each digit) and a "." or "?" that does not end the
// sentence ("fecha de nacimiento de Santiago Castaño? en el sistema figura 24 de julio de 1996") may sit in the gap.
const DOB_GAP = new RegExp(String.raw`(?:[*#-]\d{1,3}(?!\d)|[^\n\d.;!?]|[.?](?=[^\s.\d]|[ \t]\p{Ll})){1,48}?(${DATE})`, "iuy");
const SENTENCE_END = /[.?][ \t]+\p{Lu}/u;
const DOB_GAP_NOT = /\b(?:verified|checked|updated|changed|confirmed|submitted|received|created|modified|expir\w*|valid|since|until|at|as of|geprüft|aktualisiert|vérifié|mis à jour|verificad[oa]|actualizad[oa])\b/i;
// A second date right after a date of birth in the same clause is the other version of it ("laut Akte 08.01.2003,
// angegeben 08.01.1971", "23.12.1972, Rasmus Mikkelsen 20.08.1964"): up to three words between, each a capitalized
// word (the next person of a list) or a word that compares ("angegeben", "given", "vs", "not", "instead of").
const DOB_NEXT = new RegExp(String.raw`[ \t]{0,2}[,;/(]?[ \t]{0,2}(?:[^\s\d.;:!?,()]{1,20}[ \t]{1,2}){0,3}(?:[(:][ \t]{0,2})?(${DATE})`, "iuy");
const THIS_YEAR = new Date().getUTCFullYear();
/** A date of this or last year is an event ("birthday party … on 12.06.2026"), not a birth found without a close cue. */
const recentYear = (d: string) => {
  const y = /(?:19|20)\d{2}(?!\d)/.exec(d);
  return y !== null && Number(y[0]) >= THIS_YEAR - 1;
};
const DOB_COMPARE = new Set(
  "angegeben eingegeben laut given stated provided entered declared claimed vs vs. versus not but instead of statt anstatt was indicated indicata indicato dichiarata indicado indiqué indiquée déclarée opgegeven or oder ou o".split(" "),
);
const PYDANTIC_INPUT = new RegExp(String.raw`[ \t]*\r?\n[^\n]{0,160}?\binput_value=['"](${DATE})['"]`, "iuy");
const DOB_KEY = /birth|^dob|dob$|nacimiento|nascita|nascimento|naissance|geburt|geboorte|urodzenia|fodelse|fodsel|syntyma|dogum/;
const DOB_KEYS = new Set(
  ("dob dateofbirth birthdate birthday geburtsdatum datedenaissance fechadenacimiento datadinascita datadenascimento geboortedatum " +
    "fechanacimiento datanascita datanascimento datenaissance dataurodzenia fodelsedatum fodselsdato syntymaaika dogumtarihi geburtstag").split(" "),
);
const DATE_ONLY = new RegExp(`^${DATE}$`, "iu");

/** True when `value`, found under `key`, is a date of birth. */
export function isDobValue(key: string, value: string): boolean {
  const k = key.toLowerCase().replace(/[^a-z]/g, "");
  return (DOB_KEYS.has(k) || (DOB_KEY.test(k) && !/place|city|country|town|ort|lugar|luogo|lieu/.test(k))) && DATE_ONLY.test(value.trim());
}

// A birth key after a prefix and "_" (`provided_dob=`, `customer_birth_date:`), which \b does not see; a scan of its own
// only when the text has one (an alternative "_" in DOB_TRIGGER made that scan slower on every text).
const DOB_TRIGGER_PREFIXED = /_(?:dob(?:[_ ]?date)?|date_?of_?birth|birth_?(?:date|dt|day)|birthdate|birthday)\b/y;

export function detectDob(s: string, lower: string, emit: PersonalEmit) {
  dobAfter(DOB_TRIGGER, s, lower, emit);
  for (const w of ["_dob", "_birth", "_date_of_birth", "_dateofbirth"]) {
    for (let p = lower.indexOf(w); p >= 0; p = lower.indexOf(w, p + w.length)) {
      DOB_TRIGGER_PREFIXED.lastIndex = p;
      const m = DOB_TRIGGER_PREFIXED.exec(lower);
      if (m) dobAt(p, p + m[0].length, s, emit);
    }
  }
}

function dobAfter(trigger: RegExp, s: string, lower: string, emit: PersonalEmit) {
  trigger.lastIndex = 0;
  for (let m; (m = trigger.exec(lower)); ) dobAt(m.index, m.index + m[0].length, s, emit);
}

function digitWithin(s: string, from: number, to: number): boolean {
  for (let i = from, end = Math.min(to, s.length); i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

/** The date after a birth keyword that ends at `after` (and starts at `at`). */
function dobAt(at: number, after: number, s: string, emit: PersonalEmit) {
  // Every date holds a digit: without one in reach (the value patterns read at most ~130 chars, the validation-error
  // form at most ~200) nothing can match, and a trigger repeated in a run of fillers costs one short scan.
  if (!digitWithin(s, after, after + 220)) return;
  DOB_VALUE.lastIndex = after;
  const v = DOB_VALUE.exec(s);
  let end = DOB_VALUE.lastIndex;
  if (!v?.[1]) {
    // A validation error names the field, then quotes the rejected input a line later (pydantic, Rails).
    PYDANTIC_INPUT.lastIndex = after;
    const p = PYDANTIC_INPUT.exec(s);
    if (p?.[1]) {
      emit("date_of_birth", PYDANTIC_INPUT.lastIndex - 1 - p[1].length, PYDANTIC_INPUT.lastIndex - 1);
      return;
    }
    DOB_GAP.lastIndex = after;
    const g = DOB_GAP.exec(s);
    const gap = g?.[1] ? g[0].slice(0, g[0].length - g[1].length) : "";
    if (!g?.[1] || DOB_GAP_NOT.test(gap) || SENTENCE_END.test(gap) || recentYear(g[1])) return;
    end = DOB_GAP.lastIndex;
    emit("date_of_birth", end - g[1].length, end);
  } else emit("date_of_birth", end - v[1].length, end);
  for (let k = 0; k < 8; k++) {
    DOB_NEXT.lastIndex = end;
    const n = DOB_NEXT.exec(s);
    if (!n?.[1] || DOB_GAP_NOT.test(n[0]) || recentYear(n[1])) break;
    const words = n[0].slice(0, n[0].length - n[1].length).split(/[\s,;/(:]+/).filter(Boolean);
    if (!words.every((w) => /^\p{Lu}/u.test(w) || DOB_COMPARE.has(w.toLowerCase()))) break;
    end = DOB_NEXT.lastIndex;
    emit("date_of_birth", end - n[1].length, end);
  }
  // "KYC check for Imogen Ashworth, DOB …", "DOB 1948/01/16 — Søren Kjær": the person whose birth date it is.
  nameNextTo(s, at, end, emit);
}

// ---------------------------------------------------------------------------------------------------------------
// entry point: one scan over the words says which contexts a text has, and only their patterns run (most log
// lines have none; the names list is never loaded for them)

type Flag = "label" | "title" | "greeting" | "role" | "weak" | "signoff" | "intro" | "postfix" | "dob" | "en" | "de" | "fr" | "in" | "it" | "es" | "br" | "lead";
const FLAGS = new Map<string, Flag[]>();
const flag = (f: Flag, words: string) => {
  for (const w of words.split(" ")) FLAGS.set(w, [...(FLAGS.get(w) ?? []), f]);
};
flag("title", "mr mrs ms mx miss dr prof herr herrn frau mme mlle monsieur madame sr sra srta señor señora shri smt sir dame m sig signor signora dott dhr mevr mevrouw meneer dona");
flag("greeting", "dear hi hello hey bonjour bonsoir hallo hola ciao salut namaste liebe lieber good hej hei moi olá oi witam buongiorno buenos buenas guten dzień beste querido querida estimado estimada cher chère caro cara thanks thank thx many merci danke gracias grazie obrigado obrigada dzięki tack");
flag(
  "role",
  "customer client caller patient employee cardholder card account recipient requester requestor reporter assignee " +
    "applicant subscriber buyer passenger user contact kunde kundin cliente utilisateur ansprechpartner " +
    "ansprechpartnerin kontaktperson spoke talked talking called call emailed texted messaged assigned reassigned escalated " +
    "handed reported opened submitted requested approved created raised filed handled signed updated behalf according " +
    "escalate assign hand handing forward forwarded watcher " +
    "thanks ping paging attn attention ship deliver named name identified verified issued processed refunded booked " +
    "registered colleague klant cliënt client utente usuário usuária usuario usuaria policyholder holder beneficiary payee " +
    "per loop looping looped owner kontakt contacto referente handover over cc cc'd cced destinatario destinataire empfänger odbiorca mottagare",
);
flag("weak", "from by with cc name");
flag("lead", "ship shipping deliver delivered delivery address live lives living moved located based office shop store home house flat send return mail resides residing");
flag("label", "full nombre nom nome nachname nazwisko naam");
flag("signoff", "thanks thank regards best cheers sincerely merci cordialement grüße grüßen gruß saludo saludos atentamente pozdrawiam pozdrowienia hälsningar hilsen hilsner mvh terveisin atenciosamente abraços saluti groet groeten greetings wishes yours tschüss lg vg slán saygılarımla saygılar üdvözlettel pozdravem poważaniem --");
flag("intro", "this i ich je me nazywam mam appelle chiamo mein mijn jag jeg meu benim mi minun soy sou ben jsem jestem sono jmeno");
flag("postfix", "dob born geb née she he they ze elle il joined left agreed accepted declined signed approved cancelled canceled paid ordered booked uploaded shared will reported called said wrote asked complained confirmed mentioned emailed replied requested commented noted says writes asks moved wants needs lives phoned disputed claims meldet signale segnala informou reclama meldt vagyok fixed merged deployed pushed shipped");
flag("dob", "nac bday b_day urodzenia urodzony urodzona ur syntymäaika syntynyt födelsedatum född fødselsdato født fødd doğum dogum geburtstag fecha_nacimiento data_nascita fecha_de_nacimiento date_naissance dob birth birthdate birthday born geb geboren née nee naissance nacimiento geburtsdatum dateofbirth nascimento nascita geboortedatum nato nata nacido nacida nascido nascida né narozen narozena narozený narozená narození narodenia született születési szül nașterii nasterii născut născută");
flag(
  "en",
  "street st avenue ave road rd boulevard blvd lane ln drive dr court ct way place pl terrace ter parkway pkwy circle " +
    "cir highway hwy square sq trail close crescent gardens grove hill mews row walk rise green park",
);
flag("en", "box");
flag("fr", "rue avenue av boulevard bd place chemin chaussée allée impasse quai route cours square passage");
flag(
  "in",
  "flat house plot door shop villa office road rd nagar marg sector colony layout street st apartments apartment apts " +
    "society phase block lane cross main floor tower complex enclave vihar bagh puram gali chowk bazar market salai hills " +
    "extension residency heights towers village district taluk mandal post",
);
flag("it", "via viale corso piazza piazzale largo vicolo strada lungotevere lungomare borgo contrada");
flag("es", "calle avenida avda paseo plaza pza carrer camino ronda travesía rambla gran");
flag("br", "rua r avenida av alameda al travessa tv praça estrada rodovia largo");
// The Japanese ward/city suffix gates its grammar.
// The Czech/Slovak/Greek 3+2 postcode before a town.
const CZ_GATE = /(?:, |\n|\\n)\d{3} \d{2} [A-Z\u00c0-\u017f]/;
const ADDRESS_CUE_GATE = /address|ship to|deliver to|adress|anschrift|direcci|indirizzo|endere|adres|osoite/;
const NORDIC_GATE = new RegExp(`(?:${NORDIC_SUFFIX}) \\d`);
const JP_GATE = /[a-z]-(?:ku|shi|cho|machi|gun),/;
// A German street is a suffixed name or a preposition phrase, then a house number.
const DE_PREPOSITION_GATE = /\b(?:Am|An|Auf|Im|In|Unter|Zum|Zur|Alt)[ -](?:(?:der|dem|den) )?[A-ZÄÖÜ][a-zäöüß]+ \d/;
const CJK_DOB_GATE = /出生|생년월일|생일/;
const CJK_CHAR = /[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]/;
// The context words as one alternation (about twice as fast as looking every word up).
const CONTEXT_WORD = new RegExp(
  `(?<![a-z\\u00c0-\\u024f])(?:${[...FLAGS.keys()].sort((a, b) => b.length - a.length).join("|")})(?![a-z\\u00c0-\\u024f])`,
  "g",
);

/** The given name of a detected full name, to be masked where it recurs alone ("Customer Brigid Fitzgerald called …
 *  Brigid was polite"): the first word ("Last, First": the word after the comma), capitalized, 3+ letters, not a
 *  common word or a word operations text uses otherwise. Null for one-word names. */
export function reusableGivenName(name: string): string | null {
  const comma = name.indexOf(", ");
  const words = (comma > 0 ? name.slice(comma + 2) : name).split(" ");
  if (comma < 0 && words.length < 2) return null;
  const first = words[0] ?? "";
  if (first.length < 3 || !/^\p{Lu}\p{Ll}/u.test(first) || COMMON.has(first.toLowerCase()) || isNotName(first)) return null;
  // Surname first ("Zhao Yuxin", "Kovács Levente"): the given name is the last word.
  const last = words[words.length - 1] ?? "";
  if (comma < 0 && words.length === 2 && isSurnameFirst(first) && last.length >= 3 && (isPinyinGiven(last) || isKoreanGiven(last) || isGivenName(last))) return last;
  return first;
}

/** Person names, postal addresses and dates of birth in `s` (`lower`: its ASCII-lowercased twin). */
export function detectPersonal(s: string, lower: string, emit: PersonalEmit) {
  const seen = new Set<Flag>();
  CONTEXT_WORD.lastIndex = 0;
  const leads: number[] = [];
  for (let m; (m = CONTEXT_WORD.exec(lower)); ) {
    for (const x of FLAGS.get(m[0]) ?? []) {
      seen.add(x);
      if (x === "lead" && leads.length < 1024) leads.push(m.index);
    }
  }
  const dePreposition = DE_PREPOSITION_GATE.test(s);
  if (seen.has("title")) afterTriggers(s, TITLE, "strong", emit);
  if (seen.has("greeting")) afterTriggers(s, GREETING, "medium", emit);
  if (seen.has("role")) afterTriggers(s, ROLE, "medium", emit);
  if (seen.has("label")) labelledNames(s, emit);
  if (seen.has("weak")) afterTriggers(s, WEAK, "weak", emit);
  if (seen.has("signoff")) afterTriggers(s, SIGN_OFF, "medium", emit);
  if (seen.has("intro")) intros(s, emit);
  if (seen.has("postfix")) beforeTriggers(s, POSTFIX, emit);
  if ((s.includes(" <") || s.includes(" (")) && s.includes("@")) beforeTriggers(s, ANGLE_EMAIL, emit);
  if (s.includes(" (+") || s.includes(" (00")) beforeTriggers(s, PAREN_PHONE, emit);
  if (s.includes("— ") || s.includes("– ")) dashSignoffs(s, emit);
  mentions(s, emit);
  speakers(s, emit);
  keyedValues(s, emit);
  const cjk = CJK_CHAR.test(s); // one scan for a kana, Han or Hangul character gates the CJK rules
  if (cjk && HONORIFIC_GATE.test(s)) honorifics(s, emit);
  if (s.includes("@")) emailNames(s, emit);
  endSignature(s, emit);
  if (s.includes(", ")) lastFirstLines(s, emit);
  if (s.includes(", +")) beforeTriggers(s, COMMA_PHONE, emit);
  if (/\p{Lu}\p{Ll}+ \p{Lu}\p{Ll}/u.test(s)) bareNames(s, emit);
  const grammars: RegExp[] = [];
  if (seen.has("en")) grammars.push(EN_ADDRESS);
  if (dePreposition) grammars.push(DE_ADDRESS);
  if (/\d/.test(s)) germanAddresses(s, lower, emit);
  if (seen.has("fr")) grammars.push(FR_ADDRESS);
  if (seen.has("in") || /\bH\.? ?No\b/.test(s)) grammars.push(IN_ADDRESS);
  if (NORDIC_GATE.test(lower)) grammars.push(NORDIC_ADDRESS);
  if (/\b(?:ul|al|pl|os)\.|ulica|aleja|plac /.test(lower) && /\d{2}-\d{3} /.test(s)) grammars.push(PL_ADDRESS);
  if (/postfach|postbus|postboks|\bbox |\bb\.?p\.? |\bcp |apartado|caixa postal|skrytka/.test(lower)) grammars.push(BOX_ADDRESS);
  if (EIRCODE_GATE.test(s)) grammars.push(IE_ADDRESS);
  if (/\b(?:av|avenida|calle|calz|calzada|blvd|boulevard|privada|priv|prol|prolongación|paseo|circuito|andador)\b/.test(lower) && /\d{5}/.test(s)) grammars.push(MX_ADDRESS);
  dutchAddresses(s, emit);
  if (seen.has("it")) grammars.push(IT_ADDRESS);
  if (seen.has("es") || s.includes("C/")) grammars.push(ES_ADDRESS);
  if (seen.has("br")) grammars.push(BR_ADDRESS);
  if (CZ_GATE.test(s)) grammars.push(CZ_ADDRESS);
  if (s.includes("〒") || JP_GATE.test(lower)) grammars.push(JP_ADDRESS);
  if (grammars.length) detectAddresses(s, grammars, emit);
  if (/\b(?:cad|caddesi|sok|sokak|sokağı|sk|bulvarı|blv|mah|mahallesi)\.?,? no:/.test(lower)) turkishAddresses(s, emit);
  if (ADDRESS_CUE_GATE.test(lower)) cuedAddresses(s, emit);
  if (leads.length) ledAddresses(s, leads, emit);
  if (seen.has("dob") || lower.includes("d.o.b") || /\bb\. ?\d/.test(lower) || s.includes("生年月日") || s.includes("誕生日") || (cjk && CJK_DOB_GATE.test(s))) detectDob(s, lower, emit);
}
