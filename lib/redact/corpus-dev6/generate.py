#!/usr/bin/env python3
"""Seeded generator for corpus-dev6 (see README.md). Run: python3 generate.py [out-dir]

Written for round 6 BEFORE its fixes, without reading the redactor code. Families: secrets under any secret-like key in
env/YAML/JSON/TOML/INI/CLI/SQL/Helm/URL query/HTTP headers/prose; phones in ~26 national formats after many cues;
dates of birth in many formats and languages; postal addresses in many countries (single line, multi-line, JSON \\n);
names after cues/keys/signatures. About a third of the records hold only look-alikes (pii: [])."""
import json, random, sys, string, os

R = random.Random(20270206)
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))

def pick(xs): return R.choice(xs)
def alnum(n, chars=string.ascii_letters + string.digits): return "".join(R.choice(chars) for _ in range(n))
def digits(n): return "".join(R.choice("0123456789") for _ in range(n))
def hexs(n): return "".join(R.choice("0123456789abcdef") for _ in range(n))
def ts(): return f"2027-{R.randint(1,12):02d}-{R.randint(1,28):02d}T{R.randint(0,23):02d}:{R.randint(0,59):02d}:{R.randint(0,59):02d}Z"

class T:
    def __init__(self): self.parts, self.pii = [], []
    def t(self, s): self.parts.append(s); return self
    def p(self, typ, v): self.parts.append(v); self.pii.append({"type": typ, "value": v}); return self
    def text(self): return "".join(self.parts)

def secret(n=None):
    n = n or R.randint(14, 32)
    s = alnum(n, string.ascii_letters + string.digits + "-_")
    return s if not s[0] in "-_" else "Q" + s[1:]
def pw():
    return alnum(R.randint(3, 6)) + pick(["!", "#", "$", "%", "*", "&", "^", "+", "~"]) + alnum(R.randint(4, 8))

# ---------------- secrets ----------------
KEYS = ["client_secret", "webhook_secret", "signing_key", "encryption_key", "master_key", "private_key_passphrase",
        "refresh_token", "access_token", "session_secret", "app_secret", "otp_secret", "totp_seed", "mfa_secret",
        "recovery_code", "db_pass", "smtp_passwd", "redis_pwd", "ldap_bind_password", "credentials", "auth_token",
        "hmac_key", "jwt_signing_secret", "cookie_secret", "api_secret", "consumer_secret", "secret_access_token",
        "ENCRYPTION_KEY", "MASTER_KEY", "SIGNING_SECRET", "WEBHOOK_SIGNING_SECRET", "DJANGO_SECRET_KEY", "NEXTAUTH_SECRET",
        "MYSQL_ROOT_PASSWORD", "RABBITMQ_DEFAULT_PASS", "VAULT_TOKEN", "CONSUL_HTTP_TOKEN", "SENTRY_AUTH_TOKEN", "PASSPHRASE",
        "backupCodes", "clientSecret", "signingKey", "encryptionKey", "totpSecret", "webhookSecret", "apiSecret", "privateKeyPassword"]

def sec_templates():
    k = pick(KEYS); v = secret()
    f = R.randint(0, 21); t = T()
    if f == 0: t.t(f"{k.upper()}=").p("secret_pair", v)
    elif f == 1: t.t(f"  {k}: ").p("secret_pair", v).t("\n  timeout: 30")
    elif f == 2: t.t(f'{{"service":"billing","{k}":"').p("secret_pair", v).t('","region":"eu-west-1"}')
    elif f == 3: t.t(f'[auth]\n{k} = "').p("secret_pair", v).t('"\nenabled = true')
    elif f == 4: t.t(f"[database]\nhost=db01.internal\n{k}=").p("secret_pair", v)
    elif f == 5: t.t(f"$ ./deploy --{k.replace('_','-').lower()}=").p("secret_pair", v).t(" --env prod")
    elif f == 6: t.t(f"$ mycli --{k.replace('_','-').lower()} ").p("secret_pair", v).t(" --verbose")
    elif f == 7:
        p = pw(); t.t(f"CREATE USER 'app_{digits(2)}'@'%' IDENTIFIED BY '").p("secret_pair", p).t("';")
    elif f == 8: t.t(f"helm upgrade api ./chart --set auth.{k}=").p("secret_pair", v).t(" -n prod")
    elif f == 9:
        q = pick(["token", "api_key", "access_token", "sig", "signature", "key", "apikey", "secret", "auth"])
        t.t(f"GET /v1/export?user=42&{q}=").p("secret_pair", v).t(f"&fmt=csv HTTP/1.1\" 200 {R.randint(100,9999)}")
    elif f == 10:
        h = pick(["X-Api-Key", "X-Auth-Token", "Private-Token", "X-Vault-Token", "X-Access-Token", "Api-Key", "X-Secret"])
        t.t(f"curl -H '{h}: ").p("secret_pair", v).t("' https://api.example.net/v2/items")
    elif f == 11:
        t.t("Cookie: lang=en; remember_me=").p("secret_pair", v).t("; theme=dark")
    elif f == 12:
        t.t(f"        - name: {k.upper()}\n          value: \"").p("secret_pair", v).t("\"")
    elif f == 13:
        p = pw(); t.t(f"mysql -h db.internal -u admin -p").p("secret_pair", p).t(" orders")
    elif f == 14:
        p = pw(); pick_l = R.randint(0, 7)
        pre = ["my password is ", "the new pass is ", "Passwort: ", "mot de passe : ", "contraseña: ", "la password è ",
               "wachtwoord is ", "hasło: "][pick_l]
        t.t(f"chat> {pre}").p("secret_pair", p).t(" (please change it)")
    elif f == 15:
        p = pw(); t.t(f"{k} => '").p("secret_pair", p).t("',")
    elif f == 16:
        t.t(f"export {k.upper()}='").p("secret_pair", v).t("'")
    elif f == 17:
        codes = [f"{digits(4)}-{digits(4)}" for _ in range(3)]
        t.t("recovery codes: ")
        for i, c in enumerate(codes):
            if i: t.t(", ")
            t.p("secret_pair", c)
    elif f == 18:
        s = alnum(32, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        t.t("otpauth://totp/Acme:").p("email", "ops@acme.io").t("?secret=").p("secret_pair", s).t("&issuer=Acme")
    elif f == 19:
        t.t(f"{k}: '").p("secret_pair", v).t("'  # rotate quarterly")
    elif f == 20:
        t.t(f"docker run -e {k.upper()}=").p("secret_pair", v).t(" registry.local/app:1.4.2")
    else:
        t.t(f"<add key=\"{k}\" value=\"").p("secret_pair", v).t("\" />")
    return t, "config", f"sec_{f}"

# ---------------- phones ----------------
def ph():
    c = R.randint(0, 27)
    d = digits
    return [
        lambda: f"+1 ({R.randint(201,989)}) {R.randint(200,989)}-{d(4)}",
        lambda: f"{R.randint(201,989)}.{R.randint(200,989)}.{d(4)}",
        lambda: f"+44 7{d(3)} {d(6)}",
        lambda: f"020 {d(4)} {d(4)}",
        lambda: f"+353 8{R.randint(3,9)} {d(3)} {d(4)}",
        lambda: f"06 {d(2)} {d(2)} {d(2)} {d(2)}",
        lambda: f"+33 6 {d(2)} {d(2)} {d(2)} {d(2)}",
        lambda: f"+49 (0)30 {d(8)}",
        lambda: f"0151 {d(8)}",
        lambda: f"+34 6{d(2)} {d(3)} {d(3)}",
        lambda: f"+39 3{d(2)} {d(3)} {d(4)}",
        lambda: f"06-{d(8)}",
        lambda: f"+32 4{d(2)} {d(2)} {d(2)} {d(2)}",
        lambda: f"+41 79 {d(3)} {d(2)} {d(2)}",
        lambda: f"+43 664 {d(7)}",
        lambda: f"+48 {d(3)} {d(3)} {d(3)}",
        lambda: f"070-{d(3)} {d(2)} {d(2)}",
        lambda: f"+47 {d(3)} {d(2)} {d(3)}",
        lambda: f"+45 {d(2)} {d(2)} {d(2)} {d(2)}",
        lambda: f"+358 40 {d(3)} {d(4)}",
        lambda: f"+91 9{d(4)} {d(5)}",
        lambda: f"+55 11 9{d(4)}-{d(4)}",
        lambda: f"+52 55 {d(4)} {d(4)}",
        lambda: f"090-{d(4)}-{d(4)}",
        lambda: f"+61 4{d(2)} {d(3)} {d(3)}",
        lambda: f"+234 80{d(1)} {d(3)} {d(4)}",
        lambda: f"+254 7{d(2)} {d(3)} {d(3)}",
        lambda: f"+90 5{d(2)} {d(3)} {d(2)} {d(2)}",
    ][c]()

PHONE_CUES = ["tel: ", "Tel. ", "phone: ", "Phone ", "mobile: ", "cell ", "call me at ", "Handy: ", "móvil: ", "portable : ",
              "Mob. ", "ph: ", "reach me on ", "text me at ", "tlf. ", "puh. ", "telefono: ", "telefon: ", "WhatsApp: ", "contact no. "]

def phone_t():
    f = R.randint(0, 5); t = T(); v = ph()
    if f <= 2: t.t(f"Customer asked for a callback, {pick(PHONE_CUES)}").p("phone", v).t(" after 5pm.")
    elif f == 3:
        k = pick(["phone", "mobile", "phoneNumber", "phone_number", "contact_phone", "tel", "msisdn", "cell"])
        t.t(f'{{"id":{R.randint(1000,99999)},"{k}":"').p("phone", v).t('","opt_in":true}')
    elif f == 4: t.t(f"Signature:\nOps desk\nT ").p("phone", v).t("\nwww.example.org")
    else: t.t(f"ticket #{R.randint(10000,99999)} caller ").p("phone", v).t(" reports outage since 09:40")
    return t, "contact", f"phone_{f}"

# ---------------- DOB ----------------
MONTHS_EN = ["January","February","March","April","May","June","July","August","September","October","November","December"]
def dob():
    y, m, dd = R.randint(1940, 2005), R.randint(1, 12), R.randint(1, 28)
    f = R.randint(0, 9)
    return [f"{y}-{m:02d}-{dd:02d}", f"{dd:02d}/{m:02d}/{y}", f"{m:02d}/{dd:02d}/{y}", f"{dd:02d}.{m:02d}.{y}",
            f"{dd} {MONTHS_EN[m-1]} {y}", f"{MONTHS_EN[m-1]} {dd}, {y}", f"{dd:02d}-{MONTHS_EN[m-1][:3]}-{y}",
            f"{dd}/{m}/{str(y)[2:]}", f"{MONTHS_EN[m-1][:3]} {dd} {y}", f"{y}/{m:02d}/{dd:02d}"][f]
DOB_CUES = ["DOB: ", "D.O.B. ", "date of birth: ", "born ", "born on ", "birthday: ", "b. ", "geb. ", "geboren am ", "née le ", "né le ",
            "nacido el ", "nacida el ", "data di nascita: ", "geboortedatum: ", "urodzony ", "urodzona: ", "født ", "född ", "syntynyt ",
            "doğum tarihi: ", "生年月日: ", "fecha de nacimiento: ", "Geburtsdatum: ", "date de naissance : ", "data de nascimento: "]
def dob_t():
    f = R.randint(0, 3); t = T(); v = dob()
    if f <= 1: t.t(f"Patient intake: {pick(DOB_CUES)}").p("date_of_birth", v).t(f", visit {ts()[:10]}")
    elif f == 2:
        k = pick(["dob", "birth_date", "birthDate", "date_of_birth", "birthday", "bday", "dateOfBirth", "DOB"])
        t.t(f'{{"member":{R.randint(100,9999)},"{k}":"').p("date_of_birth", v).t(f'","created_at":"{ts()}"}}')
    else: t.t(f"KYC check failed: {pick(DOB_CUES)}").p("date_of_birth", v).t(" does not match document")
    return t, "people", f"dob_{f}"

# ---------------- addresses ----------------
def addr():
    f = R.randint(0, 19); n = R.randint(1, 240)
    A = [
        (f"{n} {pick(['Maple','Cedar','Lakeview','Hillcrest','Sunset'])} {pick(['Street','St','Ave','Road','Rd','Lane','Blvd','Drive','Way','Court','Place'])}", f"{pick(['Apt','Suite','Unit'])} {R.randint(1,40)}", f"{pick(['Springfield, IL','Austin, TX','Portland, OR','Albany, NY'])} {digits(5)}-{digits(4)}"),
        (f"Flat {R.randint(1,30)}, {n} {pick(['Harbour','Station','Mill','Church'])} {pick(['Road','Lane','Street'])}", pick(["Leeds", "Bristol", "Cardiff"]), f"{pick(['LS','BS','CF'])}{R.randint(1,19)} {R.randint(1,9)}{pick(['AB','QT','HX'])}"),
        (f"{pick(['Hauptstraße','Lindenallee','Am Markt','Birkenweg','Schillerplatz','Goethestr.'])} {n}", f"{digits(5)} {pick(['Berlin','Köln','Leipzig'])}", None),
        (f"{n} {pick(['rue','avenue','boulevard','chemin'])} {pick(['des Lilas','Victor Hugo','de la Gare'])}", f"{digits(5)} {pick(['Lyon','Nantes','Lille'])}", None),
        (f"{pick(['Calle','Avenida'])} {pick(['Mayor','de la Constitución','del Sol'])} {n}, {R.randint(1,9)}º {pick('ABCD')}", f"{digits(5)} {pick(['Madrid','Sevilla','Valencia'])}", None),
        (f"{pick(['Via','Viale','Piazza'])} {pick(['Garibaldi','Roma','dei Mille'])} {n}", f"{digits(5)} {pick(['Milano','Torino','Bologna'])} ({pick(['MI','TO','BO'])})", None),
        (f"{pick(['Keizersgracht','Stationsstraat','Dorpsplein','Lindelaan'])} {n}", f"{digits(4)} {pick(['AB','KL','XZ'])} {pick(['Amsterdam','Utrecht','Leiden'])}", None),
        (f"ul. {pick(['Marszałkowska','Długa','Polna'])} {n}/{R.randint(1,60)}", f"{digits(2)}-{digits(3)} {pick(['Warszawa','Kraków','Gdańsk'])}", None),
        (f"{pick(['Storgatan','Kungsvägen','Drottninggatan'])} {n}", f"{digits(3)} {digits(2)} {pick(['Stockholm','Göteborg','Uppsala'])}", None),
        (f"{pick(['Storgata','Bergveien','Kirkegata'])} {n}", f"{digits(4)} {pick(['Oslo','Bergen'])}", None),
        (f"{pick(['Mannerheimintie','Hämeentie','Aleksanterinkatu'])} {n} {pick('ABC')} {R.randint(1,30)}", f"00{digits(3)} {pick(['Helsinki','Espoo'])}", None),
        (f"{n} {pick(['Bloor Street West','Rue Sainte-Catherine','Granville St'])}", f"{pick(['Toronto, ON','Montréal, QC','Vancouver, BC'])} {pick('KMHV')}{R.randint(1,9)}{pick('ABCE')} {R.randint(1,9)}{pick('JKLN')}{R.randint(1,9)}", None),
        (f"Rua {pick(['das Flores','Augusta','XV de Novembro'])}, {n}", f"{pick(['São Paulo - SP','Curitiba - PR'])}, {digits(5)}-{digits(3)}", None),
        (f"{n}, {pick(['MG Road','Brigade Road','Park Street'])}", f"{pick(['Bengaluru','Kolkata','Pune'])} {pick(['560001','700016','411001'])}", None),
        (f"〒{digits(3)}-{digits(4)}", f"{pick(['東京都渋谷区神南','大阪府大阪市北区梅田'])}{R.randint(1,5)}-{R.randint(1,20)}-{R.randint(1,9)}", None),
        (f"PO Box {R.randint(100,9999)}", f"{pick(['Reno, NV','Boise, ID'])} {digits(5)}", None),
        (f"Postfach {R.randint(100,9999)}", f"{digits(5)} {pick(['München','Hamburg'])}", None),
        (f"Apartado de Correos {R.randint(10,999)}", f"{digits(5)} {pick(['Bilbao','Málaga'])}", None),
        (f"BP {R.randint(10,999)}", f"{digits(5)} {pick(['Rennes','Dijon'])} Cedex", None),
        (f"{n} {pick(['Queen Street','Lambton Quay','Ponsonby Road'])}", f"{pick(['Auckland','Wellington'])} {digits(4)}", None),
    ]
    return [x for x in A[f] if x], f
def addr_t():
    parts, af = addr(); f = R.randint(0, 4); t = T()
    if f == 0: t.t("Ship to: ").p("postal_address", ", ".join(parts)).t(f" — order {R.randint(100000,999999)}")
    elif f == 1: t.t("Please update my address to\n").p("postal_address", "\n".join(parts)).t("\nThanks")
    elif f == 2:
        k = pick(["address", "shipping_address", "billingAddress", "home_address", "postal_address", "street_address", "mailing_address"])
        v = json.dumps("\n".join(parts), ensure_ascii=False)[1:-1]
        t.t(f'{{"customer_id":{R.randint(1,99999)},"{k}":"').p("postal_address", v).t('"}')
    elif f == 3: t.t("I moved, new address is ").p("postal_address", ", ".join(parts)).t(".")
    else: t.t("Adresse: ").p("postal_address", ", ".join(parts))
    return t, "people", f"addr_{af}_{f}"

# ---------------- names ----------------
NAMES = [("Saoirse","Mulcahy"),("Björn","Ekström"),("Ana Lúcia","Pereira"),("Kenji","Watanabe"),("Oksana","Kovalenko"),
         ("Tunde","Afolabi"),("Priya","Venkataraman"),("Matteo","Colombo"),("Jolanda","Visser"),("Hamza","Özdemir"),
         ("Camille","Rousseau"),("Lukas","Hofbauer"),("Marta","Zielińska"),("Ingeborg","Halvorsen"),("Mikko","Laaksonen"),
         ("Zanele","Dlamini"),("Wanjiku","Njoroge"),("Rodrigo","Villanueva"),("Freya","Albrechtsen"),("Callum","Baird")]
def name_t():
    fn, ln = pick(NAMES); f = R.randint(0, 7); t = T()
    if f == 0: t.t("Hi team,\nthe export is stuck again.\n\nBest regards,\n").p("person_name", f"{fn} {ln}").t("\nSenior Analyst")
    elif f == 1: t.t(f'{{"ticket":{R.randint(1,9999)},"requester":{{"fullName":"').p("person_name", f"{fn} {ln}").t('","tier":"gold"}}')
    elif f == 2: t.t("Escalated by ").p("person_name", f"{fn} {ln}").t(" from finance, see thread.")
    elif f == 3: t.t(f'{{"givenName":"').p("person_name", fn).t('","familyName":"').p("person_name", ln).t('"}')
    elif f == 4: t.t("Contact person: ").p("person_name", f"{fn} {ln}").t(", ext 4410")
    elif f == 5: t.t(f"[{ts()}] ").p("person_name", f"{fn} {ln}").t(": can someone reset my MFA?")
    elif f == 6: t.t("Account holder ").p("person_name", f"{ln}, {fn}").t(" requested closure")
    else: t.t("Kind regards / Mit freundlichen Grüßen\n").p("person_name", f"{fn} {ln}")
    return t, "people", f"name_{f}"

def combo_t():
    fn, ln = pick(NAMES); parts, _ = addr(); t = T()
    t.t("New customer: ").p("person_name", f"{fn} {ln}").t(", DOB ").p("date_of_birth", dob()).t(", tel ").p("phone", ph()).t(", address ").p("postal_address", ", ".join(parts))
    return t, "people", "combo"

# ---------------- look-alikes ----------------
def la():
    f = R.randint(0, 29); t = T()
    s = [
        lambda: f"token_ttl=3600\nsecret_rotation_days=90\npassword_min_length=12",
        lambda: f"auth.enabled: true\nauth.provider: oidc\nclient_secret: ${{CLIENT_SECRET}}",
        lambda: f'{{"api_key":"<redacted>","webhook_secret":"********","signing_key":null}}',
        lambda: f"--password-file=/run/secrets/db_pass --token-path /var/run/token",
        lambda: f"Order #{digits(3)}-{digits(3)}-{digits(4)} shipped; part no. {digits(4)}-{digits(3)}-{digits(3)}",
        lambda: f"build {R.randint(2020,2027)}.{R.randint(1,12)}.{R.randint(1,28)}.{R.randint(1000,9999)} took {R.randint(100,999)} ms on port {R.randint(1024,65000)}",
        lambda: f"version 4.{R.randint(0,20)}.{R.randint(0,99)}.{R.randint(100,9999)} released {ts()}",
        lambda: f'{{"created_at":"{ts()[:10]}","expires":"{R.randint(1,28):02d}/{R.randint(1,12):02d}/2028","updated":"{ts()}"}}',
        lambda: f"Invoice date: 12 March 2027, due March 30, 2027",
        lambda: f"Born in the USA is playing on the radio; birthday party on Friday",
        lambda: f"Listen on 10.{R.randint(0,255)}.{R.randint(0,255)}.{R.randint(1,254)}:8443, metrics on 127.0.0.1:9090",
        lambda: f"sha256:{hexs(64)}",
        lambda: f"trace_id={hexs(32)} span_id={hexs(16)} duration=00:0{R.randint(1,9)}:{R.randint(10,59)}.{digits(3)}",
        lambda: f"Deploy to Main Street region failed; see Church Road shard and Park Lane queue",
        lambda: f"Call center volume: {R.randint(1000,9999)} calls, avg {R.randint(100,599)} sec, SLA 95.5%",
        lambda: f"Tel Aviv office closes early; Phone team standup at 10:30",
        lambda: f"ISBN 978-{digits(1)}-{digits(3)}-{digits(5)}-{digits(1)}; EAN {digits(13)}",
        lambda: f"timestamp 1{digits(9)} epoch ms 1{digits(12)}",
        lambda: f"Street Fighter 6 patch notes; Abbey Road Studios remaster",
        lambda: f"The baker and the hunter met the carpenter at the mill.",
        lambda: f"postcode lookup service latency p99={R.randint(10,99)}ms, 3 retries",
        lambda: f'{{"password_policy":{{"min":12,"require_symbol":true}},"token_type":"bearer","expires_in":3600}}',
        lambda: f"Set VAULT_TOKEN from the CI secret store; never commit MASTER_KEY values",
        lambda: f"uuid {hexs(8)}-{hexs(4)}-4{hexs(3)}-a{hexs(3)}-{hexs(12)} mac 3c:22:fb:{hexs(2)}:{hexs(2)}:{hexs(2)}",
        lambda: f"Room 4.12, Building 7, Level 3 — rack B{R.randint(1,40)} slot {R.randint(1,42)}",
        lambda: f"PR #{R.randint(1000,9999)} by dependabot: bump lodash from 4.17.20 to 4.17.21",
        lambda: f"Retry-After: 120\nX-RateLimit-Remaining: {R.randint(0,999)}\nX-Request-Id: {hexs(16)}",
        lambda: f"key_id=k-{digits(4)} key_version=3 keyring=prod-eu",
        lambda: f"ext. {R.randint(1000,9999)} or room {R.randint(100,999)}; fax queue id {digits(6)}",
        lambda: f"Dear customer, thank you for contacting Support. Best regards, The Billing Team",
    ][f]()
    t.t(s); return t, "lookalike", f"la_{f}"

def main():
    recs = {}
    plan = [(sec_templates, 48), (phone_t, 34), (dob_t, 26), (addr_t, 30), (name_t, 14), (combo_t, 6), (la, 66)]
    seen = set()
    for fn, n in plan:
        made = 0
        while made < n:
            t, f, tmpl = fn()
            txt = t.text()
            if txt in seen: continue
            seen.add(txt); made += 1
            for p in t.pii: assert p["value"] in txt
            recs.setdefault(f, []).append({"text": txt, "pii": t.pii, "tags": [f, "pii" if t.pii else "lookalike"], "template": f"{f}/{tmpl}"})
    for f, rs in recs.items():
        with open(os.path.join(OUT, f + ".jsonl"), "w", encoding="utf-8") as fh:
            for i, r in enumerate(rs, 1):
                fh.write(json.dumps({"id": f"d6-{f}-{i:03d}", **r}, ensure_ascii=False) + "\n")

if __name__ == "__main__":
    main()
