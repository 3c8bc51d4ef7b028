#!/usr/bin/env python3
"""Seeded generator for corpus-dev4 (see README.md). Run: python3 generate.py <out-dir>"""
import json, random, sys, string, hashlib, uuid, base64, os

R = random.Random(20261207)
OUT = sys.argv[1] if len(sys.argv) > 1 else "."

def pick(xs): return R.choice(xs)
def hexs(n): return "".join(R.choice("0123456789abcdef") for _ in range(n))
def alnum(n, chars=string.ascii_letters + string.digits): return "".join(R.choice(chars) for _ in range(n))
def digits(n): return "".join(R.choice("0123456789") for _ in range(n))
def ts(): return f"2026-{R.randint(1,11):02d}-{R.randint(1,28):02d}T{R.randint(0,23):02d}:{R.randint(0,59):02d}:{R.randint(0,59):02d}.{R.randint(0,999):03d}Z"
def uid(): return str(uuid.UUID(int=R.getrandbits(128), version=4))

# ---------- people ----------
PEOPLE = {
 "US": [("Emily","Johnson"),("Marcus","Whitfield"),("Dana","Kowalczyk"),("Tyrone","Jackson"),("Rebecca","Holloway")],
 "UK": [("Oliver","Hughes"),("Siobhan","Fairclough"),("Harriet","Pembridge"),("Callum","McAllister")],
 "DE": [("Lukas","Schmidt"),("Annika","Bergmann"),("Jürgen","Wolff"),("Friederike","Hoffmann")],
 "FR": [("Camille","Dubois"),("Théo","Lefèvre"),("Margaux","Rousseau"),("Benoît","Girard")],
 "IN": [("Arjun","Mehta"),("Priyanka","Iyer"),("Sandeep","Kulkarni"),("Lakshmi","Venkatesan")],
 "ES": [("José","García López"),("Lucía","Fernández"),("Alejandro","Ruiz Moreno"),("Carmen","Navarro")],
 "IT": [("Giulia","Bianchi"),("Matteo","Esposito"),("Francesca","Romano"),("Lorenzo","Colombo")],
 "NL": [("Daan","de Vries"),("Sanne","van den Berg"),("Thijs","Jansen"),("Femke","Bakker")],
 "BR": [("João","Pereira da Silva"),("Ana Beatriz","Souza"),("Thiago","Oliveira"),("Larissa","Carvalho")],
 "JP": [("Haruto","Sato"),("Yuki","Tanaka"),("Aoi","Watanabe"),("Ren","Kobayashi")],
}
COUNTRIES = list(PEOPLE)
def person(c=None):
    c = c or pick(COUNTRIES)
    f, l = pick(PEOPLE[c]); return c, f, l

def email_for(f, l):
    dom = pick(["gmail.com","outlook.com","yahoo.co.uk","web.de","orange.fr","rediffmail.com","hotmail.es","libero.it","ziggo.nl","uol.com.br","docomo.ne.jp","proton.me"])
    base = (f.split()[0] + "." + l.split()[-1]).lower()
    tr = str.maketrans("éèêëáàâãíîóôõúüçñöäß", "eeeeaaaaiiooouucnoas")
    return base.translate(tr).replace(" ", "") + str(R.randint(1, 99)) + "@" + dom

# ---------- phones (fictional where a range exists) ----------
def phone(c):
    if c == "US": return pick([f"(415) 555-01{R.randint(10,99)}", f"415.555.01{R.randint(10,99)}", f"+1 212-555-01{R.randint(10,99)}", f"1-646-555-01{R.randint(10,99)}"])
    if c == "UK": return pick([f"07700 900{R.randint(100,999)}", f"+44 20 7946 0{R.randint(100,999)}", f"+44 (0)161 496 0{R.randint(100,999)}"])
    if c == "DE": return pick([f"0171 {digits(8)}", f"+49 (0)89 {digits(4)}-{digits(2)}", f"0151/{digits(7)}", f"+49 30 {digits(8)}"])
    if c == "FR": return pick([f"06.{digits(2)}.{digits(2)}.{digits(2)}.{digits(2)}", f"+33 6 {digits(2)} {digits(2)} {digits(2)} {digits(2)}", f"04 {digits(2)} {digits(2)} {digits(2)} {digits(2)}", f"+33 (0)1 {digits(2)} {digits(2)} {digits(2)} {digits(2)}"])
    if c == "IN": return pick([f"98{digits(3)} {digits(5)}", f"+91-97{digits(8)}", f"+91 88{digits(3)} {digits(5)}", f"096{digits(2)}{digits(6)}"])
    if c == "ES": return pick([f"+34 6{digits(2)} {digits(2)} {digits(2)} {digits(2)}", f"91{digits(1)} {digits(3)} {digits(3)}", f"+34 612 {digits(3)} {digits(3)}"])
    if c == "IT": return pick([f"+39 33{digits(1)} {digits(3)} {digits(4)}", f"06 {digits(4)} {digits(4)}", f"347-{digits(7)}"])
    if c == "NL": return pick([f"06-{digits(8)}", f"+31 6 {digits(8)}", f"020-{digits(7)}", f"+31 (0)20 {digits(3)} {digits(4)}"])
    if c == "BR": return pick([f"+55 11 9{digits(4)}-{digits(4)}", f"(21) 9{digits(4)}-{digits(4)}", f"+55 (11) 9{digits(4)}-{digits(4)}"])
    if c == "JP": return pick([f"090-{digits(4)}-{digits(4)}", f"+81 80-{digits(4)}-{digits(4)}", f"03-{digits(4)}-{digits(4)}", f"+81 3-{digits(4)}-{digits(4)}"])

# ---------- addresses ----------
def address(c):
    n = R.randint(2, 480)
    if c == "US": return pick([f"{n} Maple Avenue, Springfield, IL 62704", f"{n} W 34th St Apt {R.randint(2,20)}B, New York, NY 10001", f"{n} Cedar Ridge Rd, Austin, TX 78745", f"{n} Pine Street, Suite {R.randint(100,900)}, Seattle, WA 98101"])
    if c == "UK": return pick([f"{n} Baker Street, London NW1 6XE", f"Flat {R.randint(1,12)}, {n} Deansgate, Manchester M3 4LQ", f"{n} Rose Lane, Leeds LS6 2QT", f"{n} High Street, Oxford OX1 4BG"])
    if c == "DE": return pick([f"Hauptstraße {n}, 10115 Berlin", f"Lindenallee {n}a, 50968 Köln", f"Schillerstr. {n}, 80336 München", f"Am Markt {n}, 04109 Leipzig"])
    if c == "FR": return pick([f"{n} rue de la République, 69002 Lyon", f"{n} avenue des Champs-Élysées, 75008 Paris", f"{n}, boulevard Victor Hugo, 06000 Nice", f"{n} bis rue Nationale, 59000 Lille"])
    if c == "IN": return pick([f"Flat {R.randint(101,904)}, {n} MG Road, Bengaluru 560001", f"{n}, Sector {R.randint(10,60)}, Gurugram, Haryana 122001", f"Plot No. {n}, Banjara Hills, Hyderabad 500034", f"{n} Linking Road, Bandra West, Mumbai 400050"])
    if c == "ES": return pick([f"Calle Mayor {n}, 28013 Madrid", f"Avenida Diagonal {n}, 08019 Barcelona", f"C/ de Alcalá {n}, 3º B, 28009 Madrid"])
    if c == "IT": return pick([f"Via Roma {n}, 00184 Roma", f"Corso Buenos Aires {n}, 20124 Milano", f"Via Toledo {n}, 80134 Napoli"])
    if c == "NL": return pick([f"Keizersgracht {n}, 1015 CJ Amsterdam", f"Coolsingel {n}, 3012 AD Rotterdam", f"Oudegracht {n}, 3511 AZ Utrecht"])
    if c == "BR": return pick([f"Rua Augusta {n}, São Paulo - SP, 01304-001", f"Av. Atlântica {n}, Copacabana, Rio de Janeiro - RJ, 22021-001", f"Rua das Flores {n}, Curitiba - PR, 80010-020"])
    if c == "JP": return pick([f"2-{R.randint(1,30)}-{R.randint(1,20)} Shibuya, Shibuya-ku, Tokyo 150-0002", f"〒530-0001 大阪府大阪市北区梅田{R.randint(1,3)}-{R.randint(1,9)}-{R.randint(1,20)}", f"1-{R.randint(1,9)}-{R.randint(1,9)} Marunouchi, Chiyoda-ku, Tokyo 100-0005"])

MONTHS = ["January","February","March","April","May","June","July","August","September","October","November","December"]
def dob_parts():
    return R.randint(1950, 2004), R.randint(1, 12), R.randint(1, 28)

# ---------- secrets ----------
def luhn_ok(num):
    s, alt = 0, False
    for d in reversed(num):
        d = int(d)
        if alt:
            d *= 2
            if d > 9: d -= 9
        s += d; alt = not alt
    return s % 10 == 0
def card(prefix=None, length=16):
    prefix = prefix or pick(["4", "51", "55", "2221", "6011"])
    while True:
        body = prefix + digits(length - len(prefix) - 1)
        for c in "0123456789":
            if luhn_ok(body + c): return body + c
def amex(): return card(pick(["34","37"]), 15)
def ssn():
    while True:
        a = R.randint(100, 665)
        if a != 666: return f"{a:03d}", f"{R.randint(10,99):02d}", f"{R.randint(1000,9999):04d}"
def session_val(): return alnum(R.choice([26, 32, 40]), string.ascii_lowercase + string.digits)
def pw(special=False):
    p = alnum(R.randint(4, 7)) + pick(["!", "_", "-", ".", "$", "%", "^"]) + alnum(R.randint(3, 6))
    if special:
        i = R.randint(2, len(p) - 2); p = p[:i] + pick(["#", "?", "@", "%23", "#!", "?x="]) + p[i:]
    return p
def aws_akid(): return "AKIA" + alnum(16, string.ascii_uppercase + "234567")
def aws_secret(): return alnum(40, string.ascii_letters + string.digits + "/+")
def ghp(): return "ghp_" + alnum(36)
def jwt():
    h = base64.urlsafe_b64encode(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()).decode().rstrip("=")
    p = base64.urlsafe_b64encode(json.dumps({"sub": digits(6), "iat": 1760000000 + R.randint(0, 9999999)}).encode()).decode().rstrip("=")
    return f"{h}.{p}.{alnum(43, string.ascii_letters + string.digits + '-_')}"

PUBLIC_V4 = lambda: pick([f"81.2.{R.randint(60,90)}.{R.randint(2,250)}", f"151.101.{R.randint(1,200)}.{R.randint(2,250)}", f"89.{R.randint(100,200)}.{R.randint(1,250)}.{R.randint(2,250)}", f"177.{R.randint(10,90)}.{R.randint(1,250)}.{R.randint(2,250)}", f"49.{R.randint(32,47)}.{R.randint(1,250)}.{R.randint(2,250)}", f"126.{R.randint(1,200)}.{R.randint(1,250)}.{R.randint(2,250)}", f"83.{R.randint(40,60)}.{R.randint(1,250)}.{R.randint(2,250)}", f"5.{R.randint(100,200)}.{R.randint(1,250)}.{R.randint(2,250)}"])
PUBLIC_V6 = lambda: pick([f"2a02:8108:{hexs(4)}:{hexs(4)}::{hexs(3)}", f"2405:201:{hexs(4)}::{hexs(4)}", f"2804:14c:{hexs(3)}:{hexs(4)}:{hexs(4)}:{hexs(4)}:{hexs(4)}:{hexs(4)}"])
PRIV_V4 = lambda: pick([f"10.{R.randint(0,255)}.{R.randint(0,255)}.{R.randint(1,254)}", f"172.{R.randint(16,31)}.{R.randint(0,255)}.{R.randint(1,254)}", f"192.168.{R.randint(0,255)}.{R.randint(1,254)}", "127.0.0.1", "169.254.169.254", f"169.254.{R.randint(1,254)}.{R.randint(1,254)}", f"100.{R.randint(64,127)}.{R.randint(0,255)}.{R.randint(1,254)}"])
PRIV_V6 = lambda: pick([f"fd{hexs(2)}:{hexs(4)}:{hexs(4)}::{hexs(2)}", f"fe80::{hexs(4)}:{hexs(2)}ff:fe{hexs(2)}:{hexs(4)}", "::1", f"fd00:{hexs(3)}::{R.randint(1,99)}"])
CIDR = lambda: pick(["10.0.0.0/8", f"10.{R.randint(0,255)}.0.0/16", "172.16.0.0/12", f"192.168.{R.randint(0,255)}.0/24", "100.64.0.0/10", f"fd{hexs(2)}:{hexs(4)}::/48", f"52.{R.randint(0,99)}.0.0/16", f"35.{R.randint(180,240)}.{R.randint(0,255)}.0/24"])
SVC = ["checkout", "payments", "orders-api", "ledger", "notifier", "billing-worker", "search", "auth-gateway", "inventory"]
def pod(): return f"{pick(SVC)}-{hexs(9)[:9]}-{alnum(5, string.ascii_lowercase + string.digits)}"
def version(): return f"{R.randint(1,9)}.{R.randint(0,12)}.{R.randint(0,30)}.{R.randint(1,99)}"

records = {}
def add(fname, text, pii, tags, template):
    for l in pii:
        assert l["value"] in text, (template, l, text)
        assert l["value"] == l["value"].strip()
    records.setdefault(fname, []).append({"text": text, "pii": pii, "tags": tags, "template": template})
def L(t, v): return {"type": t, "value": v}
def J(o): return json.dumps(o, ensure_ascii=False, separators=(",", ":"))
def lvl(): return pick(["INFO", "WARN", "ERROR", "DEBUG"])

# ================= PII templates =================
def t_cookie():
    v = session_val(); f = pick(["access", "app", "k8s", "json"])
    name = pick(["sessionid", "JSESSIONID", "sid", "connect.sid", "laravel_session", "PHPSESSID", "_session_id", "ASP.NET_SessionId", "SESSION", "_myapp_session", "ci_session", "session_token"])
    if name == "JSESSIONID": v = hexs(32).upper() + pick(["", ".node1", ".worker-3"])
    if name == "connect.sid": v = "s%3A" + alnum(32, string.ascii_letters + string.digits + "-_") + "." + alnum(43, string.ascii_letters + string.digits + "%")
    if name == "laravel_session": v = "eyJpdiI6" + alnum(60, string.ascii_letters + string.digits)
    ip = PUBLIC_V4()
    if f == "access":
        t = f'{ip} - - [07/Dec/2026:09:{R.randint(10,59)}:{R.randint(10,59)} +0000] "GET /account/orders?page=2 HTTP/1.1" 200 {R.randint(300,9000)} "-" "Mozilla/5.0 (X11; Linux x86_64) Chrome/124.0.0.0" cookie="{name}={v}; theme=dark"'
        add("access-logs", t, [L("ipv4", ip), L("secret_pair", v)], ["session_cookie", "public_ip"], "cookie_access")
    elif f == "app":
        t = f'{ts()} {lvl()} [http-nio-8080-exec-{R.randint(1,20)}] c.a.web.SessionFilter - rejected stale session: Cookie: lang=en; {name}={v}; _ga=GA1.2.{digits(9)}.{digits(10)}'
        add("app-logs", t, [L("secret_pair", v)], ["session_cookie"], "cookie_app")
    elif f == "k8s":
        t = f'{ts()} ingress-nginx-controller-{hexs(10)}-{alnum(5, string.ascii_lowercase)} controller {PRIV_V4()} upstream={pod()} Set-Cookie: {name}={v}; Path=/; HttpOnly; Secure; SameSite=Lax'
        add("k8s-events", t, [L("secret_pair", v)], ["session_cookie"], "cookie_setcookie")
    else:
        t = J({"ts": ts(), "level": "debug", "svc": pick(SVC), "msg": "request headers", "headers": {"cookie": f"{name}={v}", "user-agent": "okhttp/4.12.0", "x-request-id": uid()}})
        add("json-lines", t, [L("secret_pair", v)], ["session_cookie"], "cookie_json")

def t_ssn():
    a, b, c = ssn(); form = pick(["nodash", "space", "dash"])
    v = {"nodash": a + b + c, "space": f"{a} {b} {c}", "dash": f"{a}-{b}-{c}"}[form]
    k = pick(["ssn=", "SSN: ", "ssn_number=", "social_security_number=", "tax_id="])
    fm = pick(["app", "json", "trace", "ticket"])
    if fm == "app":
        t = f'{ts()} {lvl()} kyc-verifier applicant_id={digits(7)} {k}{v} match=partial score=0.{digits(2)}'
        add("app-logs", t, [L("ssn", v)], ["ssn_" + form], "ssn_app")
    elif fm == "json":
        t = J({"event": "kyc.submitted", "applicant": {"id": uid(), "ssn": v, "state": "OH"}, "ts": ts()})
        add("json-lines", t, [L("ssn", v)], ["ssn_" + form], "ssn_json")
    elif fm == "trace":
        t = f'com.acme.kyc.ValidationException: invalid applicant Applicant{{id={digits(6)}, ssn={v}, status=PENDING}}\n\tat com.acme.kyc.Validator.check(Validator.java:{R.randint(40,300)})\n\tat com.acme.kyc.KycService.submit(KycService.java:{R.randint(40,300)})'
        add("stack-traces", t, [L("ssn", v)], ["ssn_" + form], "ssn_trace")
    else:
        t = f'Ticket #{digits(5)}: customer says the SSN on file ({v}) has a typo, please update before the W-2 run'
        add("chat-tickets", t, [L("ssn", v)], ["ssn_" + form], "ssn_ticket")

def t_shell_pw():
    p = pw(); f = pick(range(9))
    if f == 0: t, v = f"$ PGPASSWORD='{p}' psql -h {PRIV_V4()} -U app_rw -d orders -c 'select 1'", p
    elif f == 1: t, v = f"+ export DB_PASSWORD={p}\n+ ./migrate up --env production", p
    elif f == 2: t, v = f"deploy@bastion:~$ mysql -u root -p{p} -h db-primary.internal inventory", p
    elif f == 3: t, v = f'docker run -d -e POSTGRES_PASSWORD="{p}" -e POSTGRES_USER=app -p 5432:5432 postgres:16.4', p
    elif f == 4: t, v = f"REDIS_PASSWORD={p} redis-cli -h cache-01 ping", p
    elif f == 5: t, v = f"set MSSQL_SA_PASSWORD={p} && sqlcmd -S tcp:db01,1433 -U sa", p
    elif f == 6: t, v = f"kubectl create secret generic db-creds --from-literal=password={p} -n payments", p
    elif f == 7: t, v = f"Step 4/9 : ENV ADMIN_PASS={p}", p
    else: t, v = f"$ curl -u ops:{p} https://grafana.internal/api/health", p
    fname = pick(["app-logs", "k8s-events"]) if f in (6, 7) else "app-logs"
    add(fname, t, [L("secret_pair", v)], ["shell_password"], f"shell_pw_{f}")

PROSE_PW = [
 ("EN", "new password for role {r} is {p} — please rotate after the migration"),
 ("EN", "temp password: {p} (expires in 24h)"),
 ("EN", "I reset it, the password is now {p}, can you try again?"),
 ("EN", "login for the staging admin: admin / {p}"),
 ("DE", "Das neue Passwort lautet {p}, bitte nach dem ersten Login ändern."),
 ("FR", "Votre mot de passe temporaire : {p}"),
 ("ES", "La contraseña nueva es {p}, cámbiala al entrar."),
 ("IT", "la password del database è {p}"),
 ("NL", "Je tijdelijke wachtwoord is {p}"),
 ("BR", "Sua senha provisória é {p}"),
 ("JP", "仮パスワード: {p}"),
 ("EN", "pw is {p} fyi"),
 ("EN", "use passphrase \"{p}\" for the gpg key"),
]
def t_prose_pw():
    p = pw(); lang, tmpl = pick(PROSE_PW)
    who = pick(["deploy-bot", "ops-oncall", "<@U0" + alnum(8, string.ascii_uppercase + string.digits) + ">"])
    t = f"[{R.randint(8,18):02d}:{R.randint(10,59)}] {who}: " + tmpl.format(r=pick(["reporting_ro", "app_rw", "etl"]), p=p)
    add("chat-tickets", t, [L("secret_pair", p)], ["prose_password", "lang_" + lang.lower()], "prose_pw")

def t_url_pw():
    p = pw(special=True); host = pick(["db-primary.internal", "pg.payments.svc.cluster.local", "10.20.3.14", "mongo-0.mongo", "rabbitmq.prod.internal", "redis-master"])
    scheme, port, path = pick([("postgresql", 5432, "/orders"), ("postgres", 5432, "/ledger?sslmode=require"), ("mysql", 3306, "/inventory"), ("mongodb", 27017, "/app?authSource=admin"), ("amqp", 5672, "/vhost"), ("redis", 6379, "/0")])
    user = pick(["app", "svc_orders", "admin", ""]) if scheme == "redis" else pick(["app", "svc_orders", "admin"])
    url = f"{scheme}://{user}:{p}@{host}:{port}{path}"
    fm = pick(["app", "k8s", "trace", "json"])
    if fm == "app": t, fn = f"{ts()} ERROR pool: could not connect to {url}: connection refused", "app-logs"
    elif fm == "k8s": t, fn = f"Warning  BackOff  pod/{pod()}  Back-off restarting failed container: DATABASE_URL={url} invalid", "k8s-events"
    elif fm == "trace": t, fn = f"sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) could not translate host name\n(Background on this error at: https://sqlalche.me/e/20/e3q8) url={url}", "stack-traces"
    else: t, fn = J({"level": "error", "msg": "broker unreachable", "dsn": url, "retry": R.randint(1, 9)}), "json-lines"
    add(fn, t, [L("url_password", p)], ["url_password_special"], "url_pw")

def t_card_json():
    v = pick([card, card, amex])(); key = pick(["pan", "card_number", "cardNumber", "cc", "primary_account_number"])
    t = J({"ts": ts(), "svc": "payments", "event": "authorize", "amount": R.randint(100, 99999), "currency": pick(["EUR", "USD", "GBP", "INR", "BRL", "JPY"]), key: int(v), "last4": v[-4:], "order_id": int(digits(10))})
    add("json-lines", t, [L("card", v)], ["card_json_number"], "card_json")
    if R.random() < 0.5:
        sp = " ".join([v[i:i+4] for i in range(0, len(v), 4)]) if len(v) == 16 else f"{v[:4]} {v[4:10]} {v[10:]}"
        t = f"Customer read out the card number {sp} over the phone, I did not store it."
        add("chat-tickets", t, [L("card", sp)], ["card_spaced"], "card_prose")

def t_auth():
    s = pick(["Token", "Basic", "ApiKey", "Digest", "SSWS", "Bearer", "token-gh", "Api-Key", "AWS4"])
    ip = PUBLIC_V4()
    if s == "Token": v = hexs(40); hdr, lab = f"Authorization: Token {v}", L("api_key", v)
    elif s == "Basic":
        v = base64.b64encode(f"{pick(['svc','ci','admin'])}:{pw()}".encode()).decode(); hdr, lab = f"Authorization: Basic {v}", L("basic_auth", v)
    elif s == "ApiKey": v = alnum(32); hdr, lab = f"Authorization: ApiKey {v}", L("api_key", v)
    elif s == "Api-Key": v = alnum(8) + "." + alnum(32); hdr, lab = f"Authorization: Api-Key {v}", L("api_key", v)
    elif s == "SSWS": v = "00" + alnum(40, string.ascii_letters + string.digits + "-_"); hdr, lab = f"Authorization: SSWS {v}", L("api_key", v)
    elif s == "Digest":
        v = hexs(32); hdr, lab = f'Authorization: Digest username="svc", realm="api", nonce="{hexs(16)}", uri="/v1/x", response="{v}"', L("secret_pair", v)
    elif s == "AWS4":
        v = hexs(64); hdr, lab = f"Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261207/eu-west-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature={v}", L("secret_pair", v)
    elif s == "token-gh": v = ghp(); hdr, lab = f"Authorization: token {v}", L("github_token", v)
    else: v = alnum(48, string.ascii_letters + string.digits); hdr, lab = f"Authorization: Bearer {v}", L("bearer", v)
    fm = pick(["dump", "json"])
    if fm == "dump":
        t = f"> GET /api/v2/orders HTTP/1.1\n> Host: api.example-shop.com\n> {hdr}\n> X-Forwarded-For: {ip}\n> User-Agent: curl/8.5.0"
        add("access-logs", t, [lab, L("ipv4", ip)], ["auth_" + s.lower(), "public_ip"], "auth_dump")
    else:
        name, val = hdr.split(": ", 1)
        t = J({"level": "warn", "msg": "upstream 401", "request": {"method": "POST", "path": "/v1/charges", "headers": {"authorization": val}}, "trace_id": hexs(32)})
        add("json-lines", t, [lab], ["auth_" + s.lower()], "auth_json")

def t_phone():
    c = pick(COUNTRIES); ph = phone(c); cc, f, l = person(c); nm = f"{f} {l}"
    fm = pick(["ticket", "json", "app", "chat"])
    if fm == "ticket":
        t = f"Ticket {R.randint(10000,99999)} ({c}): {nm} asked for a callback on {ph} about the failed refund."
        add("chat-tickets", t, [L("person_name", nm), L("phone", ph)], ["phone_" + c.lower(), "name_prose"], "phone_ticket")
    elif fm == "json":
        t = J({"event": "sms.failed", "to": ph, "country": c, "provider_code": R.randint(30000, 30010), "msg_id": uid()})
        add("json-lines", t, [L("phone", ph)], ["phone_" + c.lower()], "phone_json")
    elif fm == "app":
        t = f"{ts()} WARN otp-sender delivery failed recipient={ph} carrier_status=UNDELIVERABLE attempt={R.randint(1,3)}"
        add("app-logs", t, [L("phone", ph)], ["phone_" + c.lower()], "phone_app")
    else:
        t = f"{nm}: you can reach me on {ph} until 6pm"
        add("chat-tickets", t, [L("person_name", nm), L("phone", ph)], ["phone_" + c.lower(), "name_chat"], "phone_chat")

NAME_PROSE = [
 "customer {n} reported that the invoice total is wrong",
 "Dear {n},\nyour order has shipped.",
 "Hi {f}, thanks for getting back to us.",
 "Spoke with {n} on the phone; they confirmed the double charge.",
 "assigned to {n} (tier 2)",
 "Escalated by {n} after the third failed payout.",
 "Merchant contact {n} wants a copy of the logs.",
 "Refund approved for {n}, amount 42.10 EUR.",
 "Caller identified as {n}, verified with last4 only.",
 "{n} from the customer side says the webhook never arrived.",
 "Cliente {n} segnala un addebito doppio.",
 "Kunde {n} meldet, dass die Rechnung fehlt.",
 "Le client {n} signale une erreur de paiement.",
 "El cliente {n} no recibe el correo de confirmación.",
 "Klant {n} meldt een dubbele afschrijving.",
 "O cliente {n} informou que o boleto não foi gerado.",
 "Thanks, {n}! I'll update the ticket.",
]
def t_name_prose():
    c, f, l = person(); n = f"{f} {l}"; tmpl = pick(NAME_PROSE)
    lab = [L("person_name", f)] if "{f}" in tmpl else [L("person_name", n)]
    t = f"#{R.randint(10000,99999)} " + tmpl.format(n=n, f=f)
    add("chat-tickets", t, lab, ["name_prose", "country_" + c.lower()], "name_prose")

def t_name_title():
    c, f, l = person(); title = pick(["Mr.", "Ms.", "Mrs.", "Dr.", "Herr", "Frau", "Mme", "M.", "Sig.ra", "Sr.", "Sra."])
    t = f"Dear {title} {l},\nwe have reset your account. Regards, Support"
    add("chat-tickets", t, [L("person_name", l)], ["name_title"], "name_title")

def t_name_field():
    c, f, l = person(); key = pick(["name", "customer", "full_name", "customer_name", "cardholder", "contact_name", "recipient", "holder_name", "account_holder"])
    fm = pick(["json", "kv", "split", "trace"])
    if fm == "json":
        t = J({"ts": ts(), "event": "order.created", "order_id": int(digits(9)), key: f"{f} {l}", "total": R.randint(100, 9000)})
        add("json-lines", t, [L("person_name", f"{f} {l}")], ["name_field", "key_" + key], "name_json")
    elif fm == "kv":
        t = f'{ts()} INFO checkout order={digits(8)} {key}="{f} {l}" items={R.randint(1,9)} region=eu-west-1'
        add("app-logs", t, [L("person_name", f"{f} {l}")], ["name_field", "key_" + key], "name_kv")
    elif fm == "split":
        t = J({"user": {"id": R.randint(1000, 99999), "first_name": f, "last_name": l, "locale": pick(["en-GB", "de-DE", "fr-FR", "pt-BR", "ja-JP", "es-ES", "it-IT", "nl-NL", "en-IN", "en-US"])}})
        add("json-lines", t, [L("person_name", f), L("person_name", l)], ["name_field_split"], "name_split")
    else:
        t = f"org.hibernate.exception.ConstraintViolationException: could not execute statement; Customer(id={digits(6)}, fullName={f} {l}, tier=GOLD)\n\tat org.hibernate.exception.internal.SQLStateConversionDelegate.convert(SQLStateConversionDelegate.java:112)"
        add("stack-traces", t, [L("person_name", f"{f} {l}")], ["name_field"], "name_trace")

def t_name_chat():
    c, f, l = person(); n = f"{f} {l}"
    t = f"[{R.randint(8,18):02d}:{R.randint(10,59)}] {n}: checkout is throwing 502s again for {pick(SVC)}\n[{R.randint(8,18):02d}:{R.randint(10,59)}] deploy-bot: rollback of {pick(SVC)} to {version()} started"
    add("chat-tickets", t, [L("person_name", n)], ["name_chat"], "name_chat")

def t_address():
    c = pick(COUNTRIES); a = address(c); cc, f, l = person(c); n = f"{f} {l}"
    fm = pick(["ship", "json", "ticket", "struct", "k8s"])
    if fm == "ship":
        t = f"#{digits(5)} please ship to {a} instead, the old address bounced"
        add("chat-tickets", t, [L("postal_address", a)], ["address_" + c.lower()], "addr_ship")
    elif fm == "json":
        t = J({"event": "address.updated", "customer_id": int(digits(7)), "shipping_address": a, "changed_by": "self-service"})
        add("json-lines", t, [L("postal_address", a)], ["address_" + c.lower(), "address_field"], "addr_json")
    elif fm == "ticket":
        t = f"Ticket {digits(5)}: {n} moved to {a} and the invoice still goes to the old place."
        add("chat-tickets", t, [L("person_name", n), L("postal_address", a)], ["address_" + c.lower(), "name_prose"], "addr_ticket")
    elif fm == "struct":
        line1 = a.split(",")[0]
        t = J({"billing_address": {"line1": line1, "country": c, "postal_code_hint": "on file"}, "event": "invoice.generated"})
        add("json-lines", t, [L("postal_address", line1)], ["address_" + c.lower(), "address_structured"], "addr_struct")
    else:
        t = f'{ts()} WARN geocoder failed for address="{a}" provider=here status=ZERO_RESULTS'
        add("app-logs", t, [L("postal_address", a)], ["address_" + c.lower()], "addr_app")

def t_dob():
    y, m, d = dob_parts(); fm = pick(range(12))
    if fm == 0: v = f"{y}-{m:02d}-{d:02d}"; t = f"{ts()} INFO kyc user={digits(6)} dob={v} result=pass"; fn = "app-logs"
    elif fm == 1: v = f"{d:02d}.{m:02d}.{y}"; t = f"Die Kundin (geb. {v}) bittet um Löschung ihrer Daten"; fn = "chat-tickets"
    elif fm == 2: v = f"{d} {MONTHS[m-1]} {y}"; t = f"Applicant was born {v} according to the uploaded passport scan"; fn = "chat-tickets"
    elif fm == 3: v = f"{y}-{m:02d}-{d:02d}"; t = J({"patient": {"mrn": digits(8), "date_of_birth": v}, "event": "record.viewed"}); fn = "json-lines"
    elif fm == 4: v = f"{m:02d}/{d:02d}/{y}"; t = J({"birthdate": v, "event": "signup", "plan": "pro"}); fn = "json-lines"
    elif fm == 5: v = f"{d:02d}/{m:02d}/{y}"; t = f"Le client est né le {v}, merci de vérifier l'identité."; fn = "chat-tickets"
    elif fm == 6: v = f"{d:02d}/{m:02d}/{y}"; t = f"fecha de nacimiento: {v} — documento verificado"; fn = "chat-tickets"
    elif fm == 7: v = f"{d:02d}/{m:02d}/{y}"; t = f"data di nascita {v}, codice cliente {digits(6)}"; fn = "chat-tickets"
    elif fm == 8: v = f"{d:02d}-{m:02d}-{y}"; t = f"geboortedatum: {v}"; fn = "chat-tickets"
    elif fm == 9: v = f"{d:02d}/{m:02d}/{y}"; t = f"Data de nascimento: {v}"; fn = "chat-tickets"
    elif fm == 10: v = f"{y}年{m}月{d}日"; t = f"生年月日: {v} 本人確認済み"; fn = "chat-tickets"
    else: v = f"{MONTHS[m-1]} {d}, {y}"; t = f"com.acme.kyc.AgeCheckException: applicant under minimum age (DOB {v})\n\tat com.acme.kyc.AgeRule.apply(AgeRule.java:{R.randint(20,90)})"; fn = "stack-traces"
    add(fn, t, [L("date_of_birth", v)], ["dob_" + str(fm)], "dob")

def t_misc_secret():
    f = pick(range(8))
    if f == 0:
        a, s = aws_akid(), aws_secret(); t = f"aws_access_key_id = {a}\naws_secret_access_key = {s}"
        add("app-logs", t, [L("aws_access_key", a), L("aws_secret_key", s)], ["aws"], "aws")
    elif f == 1:
        g = ghp(); t = f"remote: Invalid username or password. fatal: Authentication failed for 'https://x-access-token:{g}@github.com/acme/infra.git/'"
        add("app-logs", t, [L("github_token", g)], ["gh"], "gh_url")
    elif f == 2:
        j = jwt(); t = f"{ts()} DEBUG auth token={j} exp_check=ok"
        add("app-logs", t, [L("jwt", j)], ["jwt"], "jwt_kv")
    elif f == 3:
        c, fn_, l = person(); e = email_for(fn_, l); ip = PUBLIC_V4()
        t = f'{ip} - - [07/Dec/2026:10:{R.randint(10,59)}:{R.randint(10,59)} +0000] "POST /login HTTP/2.0" 401 52 "-" "Mozilla/5.0" user={e}'
        add("access-logs", t, [L("ipv4", ip), L("email", e)], ["public_ip"], "email_access")
    elif f == 4:
        ip6 = PUBLIC_V6(); t = f'{ip6} - - [07/Dec/2026:11:{R.randint(10,59)}:{R.randint(10,59)} +0000] "GET /health HTTP/1.1" 200 2 "-" "kube-probe/1.30"'
        add("access-logs", t, [L("ipv6", ip6)], ["public_ip"], "ipv6_access")
    elif f == 5:
        k = "sk_live_" + alnum(24); t = J({"level": "error", "msg": "stripe call failed", "api_key": k})
        add("json-lines", t, [L("api_key", k)], ["stripe"], "stripe_json")
    elif f == 6:
        k = alnum(32); t = f'{PRIV_V4()} - - [07/Dec/2026:12:00:{R.randint(10,59)} +0000] "GET /v1/geo?apikey={k}&q=berlin HTTP/1.1" 200 812'
        add("access-logs", t, [L("api_key", k)], ["apikey_param"], "apikey_param")
    else:
        bban = digits(18); chk = 98 - int("".join(str(int(ch, 36)) for ch in bban + "DE00")) % 97; ib = f"DE{chk:02d}{bban}"; t = f"Payout failed: IBAN {ib} rejected by bank (code AC04)"
        add("app-logs", t, [L("iban", ib)], ["iban"], "iban")

# ================= look-alike templates =================
def la():
    f = pick(range(20))
    if f == 0:
        t = f"{ts()} INFO k8s-sync upserted endpoints {pick(SVC)} addrs=[{PRIV_V4()}:8080 {PRIV_V4()}:8080] podCIDR={CIDR()} serviceCIDR={CIDR()}"; fn = "k8s-events"; tag = "la_private_ip"
    elif f == 1:
        t = f"  annotations:\n    checksum/secret: {hashlib.sha256(os.urandom(8)).hexdigest()}\n    checksum/config: {hashlib.sha256(os.urandom(8)).hexdigest()}"; fn = "k8s-events"; tag = "la_checksum_secret"
    elif f == 2:
        a = version(); b = a.rsplit(".", 1)[0] + "." + str(int(a.rsplit(".", 1)[1]) - 1)
        t = f"{ts()} INFO updater agent version {a} (was {b}) build {digits(5)} image=acme/{pick(SVC)}:{version()}"; fn = "app-logs"; tag = "la_version"
    elif f == 3:
        t = J({"trace_id": hexs(32), "span_id": hexs(16), "request_id": uid(), "duration_ms": R.randint(1, 4000), "status": pick([200, 404, 503])}); fn = "json-lines"; tag = "la_trace_id"
    elif f == 4:
        t = f"Normal   Scheduled  pod/{pod()}  Successfully assigned payments/{pod()} to ip-10-{R.randint(0,255)}-{R.randint(0,255)}-{R.randint(1,254)}.eu-west-1.compute.internal"; fn = "k8s-events"; tag = "la_k8s_names"
    elif f == 5:
        t = f"{PRIV_V6()} - - [07/Dec/2026:08:00:{R.randint(10,59)} +0000] \"GET /readyz HTTP/1.1\" 200 2 \"-\" \"kube-probe/1.30\" upstream={PRIV_V4()}:9000"; fn = "access-logs"; tag = "la_ipv6_internal"
    elif f == 6:
        t = f"{ts()} ERROR db FATAL: password authentication failed for user \"{pick(['app_rw','reporting_ro','postgres'])}\" host={PRIV_V4()}"; fn = "app-logs"; tag = "la_password_reference"
    elif f == 7:
        t = f"env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef:\n        name: {pick(SVC)}-db\n        key: password"; fn = "k8s-events"; tag = "la_secret_name"
    elif f == 8:
        t = J({"event": "charge.succeeded", "payment_method": "pm_" + alnum(24), "customer": "cus_" + alnum(14), "last4": digits(4), "fingerprint": alnum(16), "order_id": int(digits(10))}); fn = "json-lines"; tag = "la_card_last4"
    elif f == 9:
        t = f"{ts()} INFO kafka consumer group=orders partition={R.randint(0,11)} offset={digits(10)} lag={R.randint(0,999)} ts={1760000000000 + R.randint(0, 10**9)}"; fn = "app-logs"; tag = "la_long_number"
    elif f == 10:
        t = f"java.lang.IllegalStateException: Connection pool exhausted (max=50) after 30000ms\n\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:{R.randint(100,200)})\n\tat com.acme.orders.OrderRepository.save(OrderRepository.java:{R.randint(10,99)})\n\tat java.base/java.lang.Thread.run(Thread.java:1583)"; fn = "stack-traces"; tag = "la_stack"
    elif f == 11:
        t = f"{ts()} WARN config reload: DB_PASSWORD=$DB_PASSWORD API_TOKEN=******** session cookie sessionid=\"\"; Max-Age=0"; fn = "app-logs"; tag = "la_masked_secret"
    elif f == 12:
        t = J({"kind": "Deployment", "name": f"{pick(SVC)}-canary", "namespace": "payments", "replicas": 3, "image": f"registry.internal:5000/{pick(SVC)}@sha256:{hexs(64)}"}); fn = "json-lines"; tag = "la_name_field_not_person"
    elif f == 13:
        t = f"[{R.randint(8,18):02d}:{R.randint(10,59)}] deploy-bot: Jenkins build #{R.randint(1000,9999)} of {pick(SVC)} passed; Cassandra repair finished on cass-{R.randint(0,5)}"; fn = "chat-tickets"; tag = "la_software_names"
    elif f == 14:
        t = f"{ts()} INFO cert-manager certificate {pick(SVC)}-tls renewed notBefore=2026-11-0{R.randint(1,9)} notAfter=2027-02-0{R.randint(1,9)} serial={hexs(32)}"; fn = "k8s-events"; tag = "la_date"
    elif f == 15:
        t = f"Warning  FailedMount  pod/{pod()}  MountVolume.SetUp failed for volume \"{pick(SVC)}-secrets\" : secret \"{pick(SVC)}-tls\" not found"; fn = "k8s-events"; tag = "la_k8s_names"
    elif f == 16:
        t = f"{ts()} INFO invoice INV-{digits(8)} total=1299.00 ref={digits(16)} created_at=2026-{R.randint(1,11):02d}-{R.randint(1,28):02d}"; fn = "app-logs"; tag = "la_order_id"
    elif f == 17:
        t = f"{ts()} INFO listener bound 0.0.0.0:8443 and [::]:8443, metrics on 127.0.0.1:9090, node {PRIV_V4()} lease renewed in {R.randint(1,900)}ms"; fn = "app-logs"; tag = "la_loopback"
    elif f == 18:
        t = f"  File \"/app/worker/tasks.py\", line {R.randint(10,400)}, in run\n    result = client.fetch(url, timeout=30)\nrequests.exceptions.ConnectTimeout: HTTPConnectionPool(host='{PRIV_V4()}', port=8080): Max retries exceeded with url: /internal/v1/sync (Caused by ConnectTimeoutError)"; fn = "stack-traces"; tag = "la_private_ip"
    else:
        t = f"{ts()} INFO dns resolved {pick(SVC)}.payments.svc.cluster.local -> {PRIV_V4()} via 169.254.20.10 (node-local-dns), git sha {hexs(40)}"; fn = "app-logs"; tag = "la_hostname"
    add(fn, t, [], [tag], f"la_{f}")

PII_PLAN = [(t_cookie, 22), (t_ssn, 14), (t_shell_pw, 16), (t_prose_pw, 14), (t_url_pw, 14), (t_card_json, 12), (t_auth, 18), (t_phone, 30), (t_name_prose, 26), (t_name_title, 6), (t_name_field, 22), (t_name_chat, 8), (t_address, 26), (t_dob, 18), (t_misc_secret, 16)]
for fn, n in PII_PLAN:
    for _ in range(n): fn()
for _ in range(110): la()

os.makedirs(OUT, exist_ok=True)
total = 0
for fname, recs in sorted(records.items()):
    R.shuffle(recs)
    with open(os.path.join(OUT, fname + ".jsonl"), "w") as fh:
        for i, r in enumerate(recs, 1):
            r = {"id": f"d4-{fname}-{i:03d}", **r}
            fh.write(json.dumps(r, ensure_ascii=False) + "\n"); total += 1
    print(fname, len(recs), sum(1 for r in recs if r["pii"]))
print("total", total)
