// Redaction must stay linear in the length of its input. Log lines are attacker-controlled (anyone can make a
// service log "login" followed by 64 KiB of spaces), and one pattern that backtracks quadratically on such a line
// stalls an export or embedding job for seconds to minutes per record.
//
// The bound is CPU time, 200 ms per 64 KiB: ordinary text takes a few ms on a shared 2-core machine, the quadratic
// cases this guards against took 4 to 48 s, so the margin is wide both ways.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createRedactor } from "@/lib/redact";

const KEY = new Uint8Array(Buffer.from("linear-time-test-key-0123456789ab"));
const SIZE = 64 * 1024;
const BUDGET_MS_PER_64K = 200;

/** CPU milliseconds `fn` takes (user + system), so a busy machine does not make the test flaky. */
function cpuMs(fn: () => void): number {
  const t0 = process.cpuUsage();
  fn();
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000;
}

/**
 * Milliseconds of one call on the clock, best of `n` after a warm-up: the 50 ms per 256 KiB line is the latency a
 * line adds to an export. Process CPU time would also count V8's concurrent GC and compiler threads; the best of
 * several runs, in a stage of its own (scripts/test.ts `timing`), drops the stalls of a shared machine.
 */
function lineMs(fn: () => void, n = 5): number {
  fn();
  let best = Infinity;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

/** The text of every record of a corpus folder beside this file. */
function corpusTexts(folder: string): string[] {
  const dir = path.join(import.meta.dirname, folder);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".jsonl"))
    .flatMap((f) => fs.readFileSync(path.join(dir, f), "utf8").split("\n").filter(Boolean))
    .map((l) => (JSON.parse(l) as { text: string }).text);
}

const budget = (s: string) => (BUDGET_MS_PER_64K * Math.max(s.length, SIZE)) / SIZE;

/** Every input over its budget, as "label: ms" (an empty list is the pass). */
function overBudget(inputs: Iterable<[label: string, s: string]>): string[] {
  const redactor = createRedactor({ key: KEY });
  const slow: string[] = [];
  for (const [label, s] of inputs) {
    const ms = cpuMs(() => redactor.text(s));
    if (ms > budget(s)) slow.push(`${label}: ${Math.round(ms)} ms for ${s.length} chars`);
  }
  return slow;
}

const fill = (unit: string, n = SIZE) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);

// What the detectors key on: secret words, prose forms, client command lines, token prefixes, shapes.
const TRIGGERS = [
  "login", "login is", "credentials", "creds", "password", "password is", "password:", "passwd", "pwd", "secret",
  "secret is", "token", "token is", "api_key", "apikey", "private_key", "basic", "Basic", "bearer", "Bearer",
  "identified by", "PASSWORD", "aws", "secret_access_key", "secret_access_key=", '"auth"', '"auth":', "mysql -p",
  "redis-cli -a", "ldapsearch -w", "sshpass -p", "docker login -p", "mongo --password", "openssl rand -hex 32",
  "openssl rand -hex 32 :", "vault kv get -field=password x\n", "curl -u", "curl\n -u a:b", "-----BEGIN PRIVATE KEY-----",
  "LS0tLS1CRUdJTi", "eyJ", "eyJhbGciOiJub25lIn0.ey", "xoxb-", "hooks.slack.com/services/",
  "discord.com/api/webhooks/12345678901234567/", "ghp_", "github_pat_", "sk_live_", "sk-", "AIza", "ya29.", "hvs.",
  "AKIA", "://", "://a:", "+1", "(415) ", "020 ", "4111 ", "DE89", "123-45-", "10.0.0.", "fe80::", "a@", "a%40",
  "<a@bc.io> ", "Message-ID: ",
];
// What follows them: whitespace runs, digits, dots, separators, and repeated small units.
const FILLERS = [" ", "\t", "a", "A", "1", ".", "=", ":", "-", "@", "/", "\n", '"', ")", "+", "1 ", "a:", "<a@bc.io> ", " -u a:b"];

// Issue 15: the contexts the newer detectors key on (cookies, SSN labels, env and prose passwords, URL passwords
// with # and ?, Authorization schemes, national phones, names, addresses, dates of birth, version chains,
// private ranges). Each is held to 50 ms of CPU for a 256 KiB line: once followed by a 256 KiB run of a filler,
// and repeated with 32 fillers between. Denser repetitions (a trigger every few chars) are held to the 64 KiB
// budget below, with the other triggers: a span every 8 chars costs more than 50 ms per 256 KiB in rendering alone.
const CONTEXT_TRIGGERS = [
  "sessionid=", "JSESSIONID=", "sid=", "connect.sid=", "laravel_session=", "remember_web_1=", '"sessionid": "', "Cookie: ",
  "ssn=", "SSN: ", "social security number ", "PGPASSWORD=", "DB_PASS=", "pass=", "pw=", "auth=", "passphrase is ",
  "password for role x is ", "password is now ", "with password ", " as the password", "mot de passe : ", "Kennwort: ",
  "--db-password ", "echo x | docker login --password-stdin", "chpasswd <<< u:", 'ConvertTo-SecureString "',
  "- name: DB_PASSWORD\n  value: ", "postgres://u:p#?@", "redis://:", '"pan":', "Authorization: Token ", "Authorization: ",
  "04.19.", "0171 ", "0049 171 ", "(020) ", "098450 ", "mobile ", "phone: ", "call back on ", "customer ", "Dear ", "Hi ",
  "Mr. ", "Thanks,\n", "[09:42] ", "alice.smith: ", "@alice.smith ", "<Priya Raman> ", "Priya: ", '"first_name": "', "name=",
  '"name":"', " reported", " <a@b.io>", "This is ", "742 Evergreen Terrace, ", "Hauptstraße 12, ", "15 rue de la ",
  "Flat 12B, ", '"shipping_address":"', "street=", "dob=", "born ", "geb. ", "DOB: ", "version 3.2.1.9 (was ", "Chrome/",
  "acme/api:", "checksum/secret: ", "10.0.0.0/", "fd00::",
  // round 4: signed proofs, foreign and shorthand prose passwords, phone contexts, version verbs, more name and
  // address grammars (NL, IT, ES, BR, JP), more DOB labels
  'Authorization: Digest response="', "X-Amz-Signature=", "pw is ", "Das neue Passwort lautet ", "la password del db è ",
  "パスワード: ", "senha provisória é ", "recipient=", '"to":"', "reach me on ", "OTP dispatched to ", "rollback of x to ",
  '"version":"', "TIN: ", "Sig.ra ", "Mr. van der ", "identified as ", "applicant '", " moved", " (dob ", ", born ",
  "Keizersgracht 12, ", "12, 1015 CJ ", "Via Roma 21, ", "Calle Mayor 15, ", "C/ de ", "Rua Augusta 1500, ", "01304-",
  "2-21-1 Shibuya, ", "Shibuya-ku, ", "〒530-0001 ", "data di nascita ", "生年月日: ", "1987年", '"line1":"', "debtor=",
  "registry.internal:5000/acme/api:", "Hans-Peter ", "Stuttgart. ",
  "kubectl get secret x -o jsonpath='{.data.password}' | base64 -d\n", "Matched Data: ", "PDO->__construct('", "session id is ",
  "password the partner gave us: ", '"name"=>"', "date_of_birth\n input_value='", "2a00:23c6:c97b:4c90:5f5a:4c93:fc96:e41:", "phone=%2B", "phone=05%20",
  // round 5: name lists, "Last, First", lowercase names, more greetings/sign-offs/postfix verbs, names next to an
  // address or a birth date, Nordic/PL/IE/MX/box addresses, multi-line US addresses, more DOB labels
  "cc: ", "assigned to ", "reassigned from queue x to ", "thanks ", "Hej ", "Pozdrawiam,\n", "--\n", " joined", " will",
  " (she/her) ", "Georgiou, ", "@xiaoling.", "ul. Długa 12, ", "00-514 ", "Drottninggatan 53, ", "111 21 ",
  "Nørrebrogade 34, 2. th., ", "Postfach 10 02 34, ", "Apt 7, The Maltings, ", ", A98 K2T3", "Av. Insurgentes Sur 1602, Col. ",
  "320 W 85th St\n", "data urodzenia: ", "doğum tarihi: ", "syntymäaika ", "H.No. 17-7-892, ", "KYC check for Priya Raman, DOB ",
  "Address: ", "shipping_address=", "Aino Virtanen ", "acme_live_", "x_", "key-", "-us12", ":AA", ".atlasv1.", "&sig=",
  "Authorization: AWS ", "<add key=\"db.password\" value=\"", '{"name":"koa.sess","value":"', "set signing_secret ", "lösenordet är ", "b_day=", '"apellidos":"',
  // round 6: recovery codes, OTP seeds, glued secret keys, more phone cues and trunk shapes, id labels
  "RECOVERY_CODE=", "recovery codes: 1810-2379", ", 1810-2379", "totp_seed=", "--clientsecret=", "Mob. ", "caller ", "\nT ",
  "070-701 ", "06-", "Order #", "part no. ",
  // round 6: DOB leaders, format hints and cues; multi-line and 4-digit-postcode addresses; Turkish streets
  "b. 1", "DOB (MM/DD/YYYY): ", "birth date ....", "<dob>", "Geb.-Datum: ", "Fecha nac.: ", "DOB 12 Mar ", "birthday is ",
  "12 Long Street, ", "Lane\\nUnit 8\\n", "avenue de la Gare\n", "Rue Neuve 14, ", "Straße 45, ", "Atatürk Cad. No: 15, ",
  "〒092-5427, ", "Apartado de Correos 870, ", "credentials: ", '"credentials":"', "móvil: ", "tlf 22 ", "GSM: ", "cel. ",
  "Contact person: ", "Full name: ", "Nombre completo: ",
  "<password>", "<a:secret>", "SECRET_KEY_BASE=", "Saygılarımla,\n",
  // round 7: ':=', key qualifiers, dotted compounds, XML key attributes, '&' in values, glued lower-case keys and
  // directives, foreign verbs and arrows, dashed area codes, bracketed country codes, prefixed birth keys, weekdays,
  // AT/CZ/PT/ES/SG/ZA address shapes, addresses after a lead phrase, a given name reused
  "root_shared_secret := ", "PASSWORD_NEW=", "backup.secret.key : ", '<entry key="authToken">', "DB_PASS=a&", "CREDENTIAL=",
  "rpcpassword=", "requirepass ", "-Dpassword=", "el password nuevo es ", "new passphrase → ", "020-972 ", "(+44) ",
  "provided_dob=", "born on Friday, ", "Mariahilfer Straße 204/", "Landstraßer Hauptstraße 96", "Národní 31, 120 00 ",
  "Rua de Santa Catarina 271, 3º Esq, ", "Gran Vía, 34, 5.º ", "Anson Road #11-08, ", "I live at ", "Keizersgracht 12, 1015 ",
  "Customer Brigid Fitzgerald; Brigid ", "@Ifeoma Okafor ", '{\\"dob\\":\\"', '{\\"name\\":\\"', '\\"phone_number\\":\\"',
  // round 8: words before a foreign verb and a foreign word's bare value, glued flags, exec arrays, CONFIG SET, echo into
  // a secret store, auth_header keys and named schemes, scheme-less userinfo, Turkish phones, words before a phone
  // colon, "call <name> on", JSON phone arrays, Squid codes, file-name versions, words and a second date after a DOB cue
  "mot de passe du compte admin de la box c'est ", "şifresi ", "--requirepass ", '["--requirepass", "', '"--db-password", "',
  "CONFIG SET requirepass ", "echo x | gh secret set ", '"auth_header":"ApiKey ', "DeepL-Auth-Key ", "SSWS ", "ci-bot:a(b",
  "0555 248 ", "Teléfono de contacto: ", "call Ayşe Şahin back on ", '"phone":["', "HIER_DIRECT/", "agent-2.0.183.43",
  "Geburtsdatum laut Akte ", "DOB: 1985-03-12, Rasmus Mikkelsen ", "nazywam się ", "call Ayşe ", "Ingrid Søreide (+47 430 05 201)",
  "Regards,\n> ", " — Ayşe", "Anaïs : ", "Estimado/a ", "owner-display=McGuinness, ", '"beneficiary":"Muñoz Pérez, ', "Bât. A, ",
  "Piazza San Cosimato 144, scala B, ", "Av. Revolución 753\nCol. ", "dirección: Calle Durango 542, N.L. y celular ",
];
const CONTEXT_FILLERS = [" ", "a", "A", "1", ".", "=", ":", "@", "/", "\n", '"', "Aa ", "1 ", "Priya ", "12, ", "a.b", "-", "1-", "Aa, ", "'"];
const LINE = 256 * 1024;
const LINE_BUDGET_MS = 50;

describe("a 256 KiB line of real-looking records takes ≤ 50 ms", () => {
  // PII-dense text, not adversarial: every record of corpus-dev4 (10 countries, every category) joined into one
  // line until 256 KiB, so values recur and propagation, rendering and every family do real work. Measured by
  // bench/redact-line.ts in a process of its own: the product's code as Node runs it, not through vitest's module
  // runner (which turns every cross-module call into a property read) nor in a heap the adversarial lines filled;
  // best of 25 (about 1.5 s), because this shared 2-core machine's speed drifts by 10% and more from second to second;
  // a process over budget is followed by up to two more (as the trigger lines below are measured again), so a
  // stretch of a few seconds when the machine is slow does not decide it.
  it("corpus-dev4 records joined into one line", () => {
    const root = path.join(import.meta.dirname, "..", "..");
    const measure = () => {
      const out = execFileSync(process.execPath, ["--import", "tsx", "bench/redact-line.ts", "--corpus", "lib/redact/corpus-dev4", "--runs", "25"], { cwd: root, encoding: "utf8" });
      return JSON.parse(out.trim().split("\n").pop()!) as { bestMs: number; bytes: number };
    };
    const tries = [measure()];
    while (tries.length < 3 && tries[tries.length - 1]!.bestMs > LINE_BUDGET_MS) tries.push(measure());
    expect(tries[0]!.bytes).toBe(LINE);
    expect(Math.min(...tries.map((t) => t.bestMs)), `best of 25 in each of ${tries.length} processes: ${tries.map((t) => t.bestMs.toFixed(1)).join(", ")} ms`).toBeLessThanOrEqual(LINE_BUDGET_MS);
  }, 180_000);
});

describe("256 KiB lines of the context detectors' triggers take ≤ 50 ms each", () => {
  it.each(CONTEXT_TRIGGERS)("%j", (trigger) => {
    const redactor = createRedactor({ key: KEY });
    redactor.text("Dear Priya Raman, customer Lena"); // loads the name list outside the timing
    const slow: string[] = [];
    for (const f of CONTEXT_FILLERS) {
      for (const [label, s] of [
        [`${JSON.stringify(trigger)} + ${JSON.stringify(f)} × 256 KiB`, trigger + fill(f, LINE)],
        [`(${JSON.stringify(trigger)} + ${JSON.stringify(f)} × 32) × 256 KiB`, fill(trigger + f.repeat(32), LINE)],
      ] as const) {
        // Best of several: a busy shared machine (or a major GC of the lines before) can stall a run, never make
        // a linear pass quadratic. A line over budget in the best of 2 is measured again, best of 7, before it counts.
        let ms = lineMs(() => redactor.text(s), 2);
        if (ms > LINE_BUDGET_MS) ms = Math.min(ms, lineMs(() => redactor.text(s), 7));
        if (ms > LINE_BUDGET_MS) slow.push(`${label}: ${Math.round(ms)} ms`);
      }
    }
    expect(slow).toEqual([]);
  }, 120_000);
});

describe("redaction runs in linear time", () => {
  it.each([...TRIGGERS, ...CONTEXT_TRIGGERS])("%j followed by 64 KiB of each filler, once or repeated", (trigger) => {
    const inputs: [string, string][] = [];
    for (const f of FILLERS) {
      inputs.push([`${JSON.stringify(trigger)} + ${JSON.stringify(f)} × 64 KiB`, trigger + fill(f)]);
      inputs.push([`(${JSON.stringify(trigger)} + ${JSON.stringify(f)} × 3) × 64 KiB`, fill(trigger + f.repeat(3))]);
    }
    expect(overBudget(inputs)).toEqual([]);
  }, 120_000);

  it("values under secret-looking keys (redacted whole) are checked in linear time too", () => {
    const redactor = createRedactor({ key: KEY });
    const slow: string[] = [];
    for (const v of [`@${fill(".")}!`, `@${fill("a/")}!`, fill(" "), `${fill("*")}x`, `sha256:${fill("a")}!`]) {
      const ms = cpuMs(() => redactor.value({ password: v, nested: { client_secret: v } }));
      if (ms > 2 * budget(v)) slow.push(`${JSON.stringify(v.slice(0, 12))}…: ${Math.round(ms)} ms`);
    }
    expect(slow).toEqual([]);
  }, 120_000);

  it("1 MiB of corpus text mixed with adversarial runs", () => {
    const lines = corpusTexts("corpus");
    let text = "";
    for (let i = 0; text.length < 1024 * 1024; i++) {
      text += `${lines[i % lines.length]}\n`;
      if (i % 50 === 0) text += `${TRIGGERS[i % TRIGGERS.length]}${fill(FILLERS[i % FILLERS.length]!, 4096)}\n`;
    }
    expect(overBudget([["1 MiB mixed", text]])).toEqual([]);
  }, 120_000);

  it("random strings over the detectors' alphabet (seeded, reproducible)", () => {
    // Pieces the patterns are made of; random runs of them probe combinations no list above anticipates.
    const pieces = [...TRIGGERS, ...FILLERS, "  ", "\t\t", "is ", "was ", ": ", "=> ", "'", "`", "(", "]", "%", "eyJ", "."];
    let seed = 0x9e3779b9;
    const rand = (n: number) => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    const inputs: [string, string][] = [];
    for (let k = 0; k < 40; k++) {
      let s = "";
      const label = `random #${k}`;
      while (s.length < SIZE) {
        const p = pieces[rand(pieces.length)]!;
        // Long runs of one piece are where backtracking hurts: sometimes repeat it a lot.
        s += rand(4) === 0 ? p.repeat(1 + rand(4096)) : p;
      }
      inputs.push([label, s.slice(0, SIZE)]);
    }
    expect(overBudget(inputs)).toEqual([]);
  }, 120_000);
});
