#!/usr/bin/env python3
"""Seeded generator for corpus-dev7 (see README.md). Run: python3 generate.py [out-dir]

Written for round 7 BEFORE its fixes and without reading the redactor code. Aims at variety of phrasing rather than
cue words: secrets under generated key names (prefix x secret word x case style) in ~40 syntaxes; phones of ~35 countries
in E.164/national/dotted/parenthesised forms with and without extensions in ~25 contexts; names in prose, log fields, git
and HL7 records; postal addresses of ~24 countries single- and multi-line; dates of birth in ~20 formats and ~12 languages.
About a third of the records hold only look-alikes (pii: [])."""
import json, random, sys, string, os

R = random.Random(20271207)
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))

def pick(xs): return R.choice(xs)
def alnum(n, chars=string.ascii_letters + string.digits): return "".join(R.choice(chars) for _ in range(n))
def digits(n): return "".join(R.choice("0123456789") for _ in range(n))
def nz(n): return str(R.randint(1, 9)) + digits(n - 1)
def hexs(n): return "".join(R.choice("0123456789abcdef") for _ in range(n))
def ts(): return f"2027-{R.randint(1,12):02d}-{R.randint(1,28):02d}T{R.randint(0,23):02d}:{R.randint(0,59):02d}:{R.randint(0,59):02d}Z"
def ip_priv(): return pick([f"10.{R.randint(0,255)}.{R.randint(0,255)}.{R.randint(1,254)}", f"192.168.{R.randint(0,255)}.{R.randint(1,254)}", f"172.{R.randint(16,31)}.{R.randint(0,255)}.{R.randint(1,254)}"])

class T:
    def __init__(self): self.parts, self.pii = [], []
    def t(self, s): self.parts.append(s); return self
    def p(self, typ, v): self.parts.append(v); self.pii.append({"type": typ, "value": v}); return self
    def text(self): return "".join(self.parts)

# ---------------- secrets ----------------
def opaque():
    n = R.randint(16, 40); kind = R.randint(0, 3)
    if kind == 0: return alnum(n)
    if kind == 1: return hexs(n) + pick("abcdef") + digits(1)
    if kind == 2:
        s = alnum(n, string.ascii_letters + string.digits + "+/"); return s[:-2] + "=="
    s = alnum(n, string.ascii_letters + string.digits + "-_"); return "k" + s[1:]
def passwd():
    return alnum(R.randint(3, 6)) + pick(["!", "#", "%", "*", "&", "^", "+", "~", "@", "?"]) + alnum(R.randint(3, 7)) + digits(R.randint(1, 3))
def value():
    return opaque() if R.random() < 0.6 else passwd()

PREFIX = ["db", "database", "pg", "mysql", "mongo", "redis", "smtp", "mail", "ldap", "admin", "root", "app", "api", "client",
          "oauth", "github_webhook", "stripe_webhook", "kafka_sasl", "minio", "s3", "backup", "gpg", "jwt", "session", "cookie",
          "vault", "registry", "sftp", "ftp", "elastic", "grafana_admin", "rabbit", "mq", "broker", "hmac", "encryption", "master",
          "signing", "service_account", "partner", "upstream", "proxy", "wifi", "keystore", "truststore", "", ""]
WORD = ["password", "passwd", "pwd", "pass", "secret", "token", "api_key", "apikey", "passphrase", "credential", "auth_token",
        "secret_key", "access_token", "refresh_token", "signing_key", "private_token", "shared_secret", "bearer_token", "key_secret",
        "client_secret", "app_secret", "pin", "passcode", "auth", "session_token"]

def keyname(style=None):
    pre = pick(PREFIX); w = pick(WORD)
    if w == "pin" and not pre: pre = "sim"
    parts = ([pre] if pre else []) + [w]
    words = "_".join(parts).split("_")
    style = style if style is not None else R.randint(0, 4)
    if style == 0: return "_".join(words)
    if style == 1: return "_".join(words).upper()
    if style == 2: return words[0] + "".join(x.capitalize() for x in words[1:])
    if style == 3: return "-".join(words)
    return ".".join(words)

def sec_t():
    v = value(); f = R.randint(0, 41); t = T(); k = keyname()
    K = keyname(1); kc = keyname(2); kk = keyname(3); ks = keyname(0); kd = keyname(4)
    if f == 0: t.t(f"{K}=").p("secret_pair", v)
    elif f == 1: t.t(f"# generated {ts()[:10]}\n{K}=\"").p("secret_pair", v).t("\"\nLOG_LEVEL=info")
    elif f == 2: t.t(f"export {K}=").p("secret_pair", v).t(f" && ./run.sh --port {R.randint(3000,9000)}")
    elif f == 3: t.t(f"C:\\app> set {K}=").p("secret_pair", v)
    elif f == 4: t.t(f"PS> $env:{K} = \"").p("secret_pair", v).t("\"")
    elif f == 5: t.t(f"setenv {K} ").p("secret_pair", v)
    elif f == 6: t.t(f"set -gx {K} ").p("secret_pair", v).t("  # fish")
    elif f == 7: t.t(f"$ ./bin/worker --{kk}=").p("secret_pair", v).t(" --replicas=3")
    elif f == 8: t.t(f"[{ts()}] exec: /usr/local/bin/sync --{kk} ").p("secret_pair", v).t(" --dry-run=false")
    elif f == 9:
        p = passwd(); t.t(f"mysqldump -u backup -p").p("secret_pair", p).t(f" --single-transaction shop > /tmp/shop.sql")
    elif f == 10:
        p = passwd(); t.t(f"redis-cli -h cache-01 -a '").p("secret_pair", p).t("' --no-auth-warning PING")
    elif f == 11:
        p = passwd(); t.t("sshpass -p '").p("secret_pair", p).t(f"' ssh deploy@bastion-{R.randint(1,9)} uptime")
    elif f == 12: t.t(f"spring:\n  datasource:\n    url: jdbc:postgresql://db:5432/app\n    {pick(['password','pass','secret'])}: ").p("secret_pair", v).t("\n    pool: 10")
    elif f == 13: t.t(f"{ks}: \"").p("secret_pair", v).t("\"")
    elif f == 14: t.t(f"[upstream]\nurl = \"https://partner.example.net\"\n{ks} = \"").p("secret_pair", v).t("\"\ntimeout_ms = 2500")
    elif f == 15: t.t(f"[client]\nuser=report\n{ks} = ").p("secret_pair", v).t("\n")
    elif f == 16: t.t(f"app.{kd}=").p("secret_pair", v)
    elif f == 17: t.t(f"{kd} : ").p("secret_pair", v).t("\nserver.port : 8080")
    elif f == 18: t.t(f"resource \"db_instance\" \"main\" {{\n  engine   = \"postgres\"\n  {ks} = \"").p("secret_pair", v).t("\"\n}")
    elif f == 19: t.t(f"{{\"host\": \"db.internal\", \"{kc}\": \"").p("secret_pair", v).t(f"\", \"retries\": {R.randint(1,5)}}}")
    elif f == 20: t.t(f"{{\"config\":{{\"{kc}\":\"").p("secret_pair", v).t("\",\"debug\":false}}")
    elif f == 21: t.t(f"<{kc}>").p("secret_pair", v).t(f"</{kc}>")
    elif f == 22: t.t(f"<entry key=\"{kc}\">").p("secret_pair", v).t("</entry>")
    elif f == 23: t.t(f"\tcfg := Config{{Host: \"db\", {kc[0].upper()+kc[1:]}: \"").p("secret_pair", v).t("\"}")
    elif f == 24: t.t(f"{ks} := \"").p("secret_pair", v).t("\"")
    elif f == 25: t.t(f"client = Client(base_url=BASE, {ks}=\"").p("secret_pair", v).t("\", timeout=30)")
    elif f == 26: t.t(f"const {kc} = '").p("secret_pair", v).t("';")
    elif f == 27: t.t(f"config.{ks} = \"").p("secret_pair", v).t("\"")
    elif f == 28: t.t(f"    '{ks}' => '").p("secret_pair", v).t("',")
    elif f == 29:
        h = pick(["X-Api-Key", "X-API-KEY", "x-auth-token", "X-Access-Token", "Api-Token", "X-Upstream-Secret", "Ocp-Apim-Subscription-Key", "X-Partner-Secret", "apikey", "X-Client-Secret"])
        t.t(f"> GET /v3/orders HTTP/1.1\n> Host: api.example.org\n> {h}: ").p("secret_pair", v).t("\n> Accept: */*")
    elif f == 30:
        c = pick(["sessionid", "JSESSIONID", "PHPSESSID", "laravel_session", "_shop_session", "ASP.NET_SessionId", "AUTH_SESSION_ID", "KEYCLOAK_SESSION", "_gitlab_session", "session", "sid", "remember_token", "auth_token"])
        t.t(f"Set-Cookie: {c}=").p("secret_pair", opaque().replace("=", "").replace("+", "").replace("/", "")).t("; Path=/; HttpOnly; Secure; SameSite=Lax")
    elif f == 31:
        c = pick(["sessionid", "JSESSIONID", "PHPSESSID", "_app_session", "connect.sid", "remember_me", "auth"])
        val = opaque().replace("=", "").replace("+", "").replace("/", "")
        t.t(f"Cookie: _ga=GA1.2.{digits(9)}.{digits(10)}; {c}=").p("secret_pair", val).t("; theme=dark")
    elif f == 32:
        q = pick(["token", "api_key", "apikey", "access_token", "client_secret", "password", "auth", "secret", "key", "signature"])
        val = opaque().replace("=", "").replace("+", "").replace("/", "")
        t.t(f"{ip_priv()} - - [07/Dec/2027:10:{digits(1)}2:11 +0000] \"GET /api/v1/report?id={R.randint(10,99999)}&{q}=").p("secret_pair", val).t(f"&format=json HTTP/1.1\" 200 {R.randint(100,9000)}")
    elif f == 33:
        val = opaque().replace("=", "").replace("+", "").replace("/", "")
        t.t(f"redirecting to https://hooks.example.com/cb?{pick(['token','access_token','auth_token','sig'])}=").p("secret_pair", val)
    elif f == 34: t.t(f"Server=sql-{R.randint(1,9)}.corp;Database=crm;User Id=crm_app;{pick(['Password','Pwd','pwd','PASSWORD'])}=").p("secret_pair", passwd()).t(";Encrypt=True;")
    elif f == 35:
        p = passwd(); pre = pick(["the staging password is ", "pw for the printer admin: ", "new passphrase → ", "Kennwort lautet ",
               "el password nuevo es ", "le mot de passe est ", "use this pwd: ", "password is now ", "hasło do VPN to ", "lösenordet är "])
        t.t(f"{pre}").p("secret_pair", p).t(pick([" (temporary)", ", change after login", "", " — don't share"]))
    elif f == 36: t.t(f"  - name: {K}\n    value: ").p("secret_pair", v)
    elif f == 37: t.t(f"docker run --rm -e {K}=").p("secret_pair", v).t(" -p 8080:8080 ghcr.io/acme/api:2.3.1")
    elif f == 38: t.t(f"level=info msg=\"loaded settings\" {ks}=").p("secret_pair", v).t(f" pid={R.randint(100,40000)}")
    elif f == 39: t.t(f"WARN settings dump: {{'{ks}': '").p("secret_pair", v).t("', 'debug': False}")
    elif f == 40: t.t(f"kubectl create secret generic app --from-literal={ks}=").p("secret_pair", v)
    else: t.t(f"terraform apply -var '{ks}=").p("secret_pair", v).t("'")
    return t, "secrets", f"sec_{f}"

def sec_la():
    f = R.randint(0, 35); t = T()
    s = [
        lambda: f"DB_PASSWORD=${{DB_PASSWORD}}\nREDIS_PASSWORD=\"${{REDIS_PASSWORD:-}}\"",
        lambda: f"token_ttl: {R.randint(60,86400)}\nmax_tokens: 4096\npassword_min_length: 12",
        lambda: f"--password-file=/run/secrets/db --token-path=/var/run/secrets/token",
        lambda: f"partition_key: tenant_id\nsort_key: created_at\ncache_key=users:{R.randint(1,999)}",
        lambda: f"keyboard=us layout=qwerty primary_key=id foreign_key=order_id",
        lambda: f"tests: passed={R.randint(10,400)} failed=0 skipped={R.randint(0,9)} duration={R.randint(10,99)}.{digits(1)}s",
        lambda: f"{{\"apiKeyHeader\":\"X-Api-Key\",\"tokenType\":\"Bearer\",\"expiresIn\":3600}}",
        lambda: f"secretName: db-credentials\nsecretKeyRef:\n  name: app-secrets\n  key: password",
        lambda: f"password: <redacted>\napi_key: '********'\nsecret: null",
        lambda: f"client_secret = var.client_secret\npassword = data.vault_generic_secret.db.data[\"password\"]",
        lambda: f"password_reset_enabled=true passthrough=false token_refresh=true",
        lambda: f"secret_ref: vault://kv/data/app#password\ntoken_source: file",
        lambda: f"auth: none\nauth_method: oidc\nsession_timeout: 30m",
        lambda: f"key_id=kms-{digits(4)} key_version={R.randint(1,9)} key_rotation_period=90d",
        lambda: f"Set-Cookie: lang=de; Path=/; Max-Age=31536000\nSet-Cookie: theme=dark; Path=/",
        lambda: f"Cookie: _ga=GA1.2.{digits(9)}.{digits(10)}; locale=en_GB; consent=true",
        lambda: f"GET /search?q=password+reset&page={R.randint(1,9)}&sort=desc HTTP/1.1\" 200 {R.randint(100,9000)}",
        lambda: f"GET /api/tokens?limit=50&offset={R.randint(0,500)} HTTP/1.1\" 200 {R.randint(100,9000)}",
        lambda: f"error: --password requires a value\nusage: dbtool [-p PASSWORD] [--token TOKEN]",
        lambda: f"Password: ******** (hidden)\nToken: [REDACTED]",
        lambda: f"{{\"password\":\"{{{{ .Values.db.password }}}}\",\"apiKey\":\"$(API_KEY)\"}}",
        lambda: f"signing_key_algorithm: RS256\nencryption_key_length: 256\nsecret_engine: kv-v2",
        lambda: f"[{ts()}] rotated secret 'payments/api' version {R.randint(2,40)} -> {R.randint(41,90)}",
        lambda: f"export PATH=$HOME/bin:$PATH\nexport KUBECONFIG=~/.kube/config\nexport TOKEN_FILE=/etc/app/token",
        lambda: f"mysql -u root -p   # prompts for the password",
        lambda: f"commit {hexs(40)}\n    fix: rename api_key column to api_key_hash",
        lambda: f"checksum/secret: {hexs(64)}",
        lambda: f"password_hash_algo=argon2id iterations=3 memory=65536 parallelism=4",
        lambda: f"ssh-keygen -t ed25519 -C deploy -f ~/.ssh/id_ed25519 -N ''",
        lambda: f"CSRF check failed for POST /login (token missing)",
        lambda: f"pin_count: {R.randint(2,9)}\npinned_version: 3.{R.randint(0,9)}.{R.randint(0,20)}",
        lambda: f"X-Request-Id: {hexs(8)}-{hexs(4)}-{hexs(4)}-{hexs(4)}-{hexs(12)}\nX-RateLimit-Remaining: {R.randint(0,999)}",
        lambda: f"passes={R.randint(1,9)} keys_scanned={R.randint(100,99999)} tokens_per_second={R.randint(10,999)}.{digits(1)}",
        lambda: f"The password policy requires 12 characters; tokens expire after 15 minutes.",
        lambda: f"secret.yaml unchanged; configmap/app-config configured; key rotation scheduled for {ts()[:10]}",
        lambda: f"image: registry.local/auth-service:{R.randint(1,5)}.{R.randint(0,30)}.{R.randint(0,9)}@sha256:{hexs(64)}",
    ][f]()
    t.t(s); return t, "secrets", f"la_sec_{f}"

# ---------------- phones ----------------
def ph():
    d, c = digits, R.randint(0, 47)
    area = R.randint(201, 989); ex = R.randint(200, 989)
    return [
        lambda: f"({area}) {ex}-{d(4)}", lambda: f"{area}-{ex}-{d(4)}", lambda: f"{area}.{ex}.{d(4)}",
        lambda: f"+1-{area}-{ex}-{d(4)}", lambda: f"+1{area}{ex}{d(4)}", lambda: f"1 ({area}) {ex}-{d(4)}",
        lambda: f"+44 (0)20 {d(4)} {d(4)}", lambda: f"07{nz(3)} {d(6)}", lambda: f"+447{nz(9)}", lambda: f"0161 {d(3)} {d(4)}",
        lambda: f"+49 30 {nz(8)}", lambda: f"030/{nz(7)}", lambda: f"0170-{nz(7)}", lambda: f"+49 (0) 89 {d(3)} {d(3)}-{d(2)}",
        lambda: f"01 {d(2)} {d(2)} {d(2)} {d(2)}", lambda: f"+33 (0)1 {d(2)} {d(2)} {d(2)} {d(2)}", lambda: f"06.{d(2)}.{d(2)}.{d(2)}.{d(2)}",
        lambda: f"+31 6 {d(4)} {d(4)}", lambda: f"020-{nz(3)} {d(4)}",
        lambda: f"+34 91{d(1)} {d(3)} {d(3)}", lambda: f"6{d(2)} {d(2)} {d(2)} {d(2)}",
        lambda: f"+39 06 {d(4)} {d(4)}", lambda: f"347 {d(3)} {d(4)}",
        lambda: f"+41 44 {d(3)} {d(2)} {d(2)}", lambda: f"+43 1 {nz(7)}", lambda: f"+32 2 {d(3)} {d(2)} {d(2)}",
        lambda: f"+48 22 {d(3)} {d(2)} {d(2)}", lambda: f"08-{nz(3)} {d(3)} {d(2)}", lambda: f"+46 70 {d(3)} {d(2)} {d(2)}",
        lambda: f"+47 {nz(3)} {d(2)} {d(3)}", lambda: f"+358 9 {d(4)} {d(3)}", lambda: f"+353 1 {nz(3)} {d(4)}",
        lambda: f"087 {nz(3)} {d(4)}", lambda: f"+351 91{d(1)} {d(3)} {d(3)}",
        lambda: f"(11) 9{d(4)}-{d(4)}", lambda: f"+52 1 55 {d(4)} {d(4)}", lambda: f"+54 9 11 {d(4)}-{d(4)}",
        lambda: f"+91 9{d(4)} {d(5)}", lambda: f"03-{d(4)}-{d(4)}", lambda: f"+81 90-{d(4)}-{d(4)}", lambda: f"+86 13{d(1)} {d(4)} {d(4)}",
        lambda: f"+82 10-{d(4)}-{d(4)}", lambda: f"+65 6{d(3)} {d(4)}", lambda: f"(02) 9{d(3)} {d(4)}", lambda: f"04{d(2)} {d(3)} {d(3)}",
        lambda: f"+27 82 {d(3)} {d(4)}", lambda: f"+7 (495) {d(3)}-{d(2)}-{d(2)}", lambda: f"+972-52-{d(3)}-{d(4)}",
    ][c]()

def phone_t():
    f = R.randint(0, 24); t = T(); v = ph()
    if f == 0: t.t("you can reach me on ").p("phone", v).t(" most afternoons")
    elif f == 1: t.t("My number's ").p("phone", v).t(", text first pls")
    elif f == 2: t.t(f"[{ts()}] INFO sms.sender: delivered OTP to ").p("phone", v).t(f" in {R.randint(100,2000)}ms")
    elif f == 3: t.t(f"{{\"event\":\"call.completed\",\"from\":\"").p("phone", v).t(f"\",\"duration\":{R.randint(5,900)}}}")
    elif f == 4: t.t("BEGIN:VCARD\nVERSION:3.0\nTEL;TYPE=CELL:").p("phone", v).t("\nEND:VCARD")
    elif f == 5: t.t("--\nOps On-Call\nM: ").p("phone", v).t("\nE: ").p("email", "oncall@example.org")
    elif f == 6: t.t("Please call back on ").p("phone", v).t(f" {pick(['ext. ','x','ext ','#'])}{R.randint(10,9999)} re: invoice")
    elif f == 7: t.t("Kontakt: ").p("phone", v).t(" (Mo–Fr 9–17 Uhr)")
    elif f == 8: t.t("Rappelez-moi au ").p("phone", v).t(" merci")
    elif f == 9: t.t("llámame al ").p("phone", v).t(" cuando puedas")
    elif f == 10: t.t("callback_number=").p("phone", v.replace(" ", ""))
    elif f == 11: t.t(f"level=warn msg=\"carrier rejected\" to=").p("phone", v.replace(" ", "")).t(" code=30007")
    elif f == 12: t.t("☎ ").p("phone", v).t(" · support hours 8–20")
    elif f == 13: t.t(f"{{\"customer\":{{\"id\":{R.randint(1,99999)},\"{pick(['mobile','phoneNumber','contact_no','tel','msisdn','landline','cell_phone','whatsapp'])}\":\"").p("phone", v).t("\"}}")
    elif f == 14: t.t("Customer left a voicemail from ").p("phone", v).t(f" at 14:{R.randint(10,59)} asking about ticket #{R.randint(10000,99999)}.")
    elif f == 15: t.t("Numer telefonu: ").p("phone", v)
    elif f == 16: t.t("Ring mig på ").p("phone", v).t(" imorgon")
    elif f == 17: t.t(f"update users set phone='").p("phone", v).t(f"' where id={R.randint(1,99999)};")
    elif f == 18: t.t("fax ").p("phone", v).t(" / office ").p("phone", ph())
    elif f == 19: t.t("Emergency contact (spouse): ").p("phone", v)
    elif f == 20: t.t(f"contact:\n  name: on-call\n  phone: \"").p("phone", v).t("\"")
    elif f == 21:
        enc = v.replace("+", "%2B").replace(" ", "%20").replace("(", "%28").replace(")", "%29")
        t.t("POST /twilio/status Body=delivered&To=").p("phone", enc).t(f"&MessageSid=SM{hexs(32)}")
    elif f == 22: t.t("WhatsApp me → ").p("phone", v)
    elif f == 23: t.t("telefone para contato ").p("phone", v).t(", obrigado")
    else: t.t("Tel.: ").p("phone", v).t(" | Fax: ").p("phone", ph())
    return t, "phones", f"phone_{f}"

def phone_la():
    f = R.randint(0, 24); t = T()
    s = [
        lambda: f"Order {digits(3)}-{digits(7)}-{digits(7)} shipped via DHL",
        lambda: f"part no. {digits(3)}-{digits(3)}-{digits(4)} (rev C), batch {digits(8)}",
        lambda: f"ISBN 978-{digits(1)}-{digits(4)}-{digits(4)}-{digits(1)}",
        lambda: f"build 2027.{R.randint(1,12)}.{R.randint(1,28)}.{digits(4)} finished in {R.randint(1,59)}m{R.randint(1,59)}s",
        lambda: f"epoch_ms={nz(13)} seq={digits(6)}",
        lambda: f"pages {R.randint(100,300)}-{R.randint(301,400)} of {R.randint(401,900)}",
        lambda: f"GET /metrics 200 {R.randint(10,999)} {R.randint(1000,9999)} {R.randint(100,999)}ms",
        lambda: f"pid {R.randint(1000,99999)} rss {R.randint(100,999)} {R.randint(100,999)} {R.randint(100,999)} bytes",
        lambda: f"amount: 1 {digits(3)} {digits(3)},{digits(2)} EUR",
        lambda: f"tracking 1Z {digits(3)} {digits(3)} {digits(2)} {digits(4)} {digits(3)} {digits(1)}",
        lambda: f"inode {nz(9)} blocks {nz(7)}",
        lambda: f"{ip_priv()}:{R.randint(1024,65535)} -> {ip_priv()}:{R.randint(1024,65535)}",
        lambda: f"valid {R.randint(1,28):02d}.{R.randint(1,12):02d}.2027 - {R.randint(1,28):02d}.{R.randint(1,12):02d}.2028",
        lambda: f"Call volume today: {R.randint(100,999)} inbound, {R.randint(10,99)} missed; avg handle time {R.randint(100,600)} s",
        lambda: f"ticket #{digits(6)} merged into #{digits(6)}",
        lambda: f"k8s: pod/api-{hexs(10)}-{alnum(5, string.ascii_lowercase + string.digits)} restarted {R.randint(1,9)} times",
        lambda: f"coords {R.randint(10,60)}.{digits(6)}, {R.randint(1,30)}.{digits(6)}",
        lambda: f"range 0x{hexs(8)}-0x{hexs(8)}",
        lambda: f"account ref ACC-{digits(4)}-{digits(4)} closed; balance 0.00",
        lambda: f"Order ID: {nz(3)}-{digits(3)}-{digits(4)}",
        lambda: f"SKU {nz(2)}.{digits(3)}.{digits(3)}.{digits(2)}",
        lambda: f"uptime {R.randint(1,400)} days, {R.randint(0,23)}:{R.randint(10,59)}, load average: 0.{digits(2)}, 0.{digits(2)}, 0.{digits(2)}",
        lambda: f"Phone team standup moved to 10:30; call-center KPI 95.5%",
        lambda: f"version {R.randint(1,9)}.{R.randint(0,40)}.{R.randint(0,200)}-{digits(4)} ({digits(8)})",
        lambda: f"invoice INV-{digits(4)}-{digits(6)} due {R.randint(1,28):02d}/{R.randint(1,12):02d}/2028 total {R.randint(10,9999)}.{digits(2)}",
    ][f]()
    t.t(s); return t, "phones", f"la_phone_{f}"

# ---------------- people ----------------
NAMES = [("Margit","Halvorsen"),("Tomasz","Wróbel"),("Ifeoma","Okafor"),("Rui","Carvalho"),("Chen","Wei"),("Ngozi","Eze"),
         ("Sebastián","Ortega"),("Akosua","Mensah"),("Lars-Erik","Lindqvist"),("Niamh","O'Brien-Walsh"),("Mehmet","Yılmaz"),
         ("Anneliese","Brandt"),("Giulia","Ferraro"),("Pieter","van der Berg"),("Aarav","Khanna"),("Hiroshi","Tanaka"),
         ("Élodie","Garnier"),("Oluwaseun","Adeyemi"),("Kasia","Nowakowska"),("Dmitri","Sokolov"),("Fatima","Al-Sayed"),
         ("Joaquín","Fernández de la Vega"),("Siobhan","Kearney"),("Thabo","Nkosi"),("Ewa","Kowalczyk"),("Mateus","dos Reis"),
         ("Ingrid","Søndergaard"),("Valentina","Russo"),("Kwame","Boateng"),("Yuki","Sato"),("Brigid","Fitzgerald"),("Arjun","Pillai")]

def name_t():
    fn, ln = pick(NAMES); full = f"{fn} {ln}"; f = R.randint(0, 19); t = T()
    if f == 0: t.t("I spoke with ").p("person_name", full).t(" yesterday and she confirmed the refund.")
    elif f == 1: t.t(f"cc: ").p("person_name", full).t(", finance")
    elif f == 2: t.t(f"[{ts()}] audit: ticket reassigned to ").p("person_name", full).t(f" by admin")
    elif f == 3: t.t(f"Approved by Dr. ").p("person_name", full).t(f" on {ts()[:10]}.")
    elif f == 4: t.t(f"level=info msg=\"profile updated\" owner=\"").p("person_name", full).t(f"\" plan=pro")
    elif f == 5:
        em = f"{fn.lower()[0]}{ln.lower().replace(' ', '').replace(chr(39), '')[:6]}@example.org"
        em = em.encode("ascii", "ignore").decode()
        t.t(f"commit {hexs(40)}\nAuthor: ").p("person_name", full).t(" <").p("email", em).t(f">\nDate:   Tue Dec 7 10:{R.randint(10,59)}:00 2027 +0100")
    elif f == 6: t.t("Hi ").p("person_name", fn).t(",\nthe report is attached. Cheers")
    elif f == 7: t.t("@").p("person_name", full).t(" can you take a look at the failing job?")
    elif f == 8: t.t("Meeting notes — attendees: ").p("person_name", full).t(", ").p("person_name", " ".join(pick(NAMES))).t(", the platform team")
    elif f == 9: t.t("Customer ").p("person_name", full).t(" called about a double charge; ").p("person_name", fn).t(" was polite but firm.")
    elif f == 10: t.t(f"{{\"author\":{{\"display_name\":\"").p("person_name", full).t(f"\",\"id\":{R.randint(1,9999)}}}}}")
    elif f == 11: t.t("— ").p("person_name", fn).t("\nSent from my phone")
    elif f == 12: t.t(f"PID|1||{digits(7)}^^^HOSP||").p("person_name", ln).t("^").p("person_name", fn).t("||").p("date_of_birth", f"{R.randint(1940,2004)}{R.randint(1,12):02d}{R.randint(1,28):02d}").t("|F")
    elif f == 13: t.t(f"Guten Tag Frau ").p("person_name", ln).t(",\nvielen Dank für Ihre Nachricht.")
    elif f == 14: t.t(f"Bonjour Monsieur ").p("person_name", ln).t(", votre dossier est en cours.")
    elif f == 15: t.t(f"user_name=\"").p("person_name", full).t(f"\" login_ok=true ip={ip_priv()}")
    elif f == 16: t.t(f"Name: ").p("person_name", f"{ln}, {fn}").t(f"\nAccount: {digits(8)}")
    elif f == 17: t.t(f"Thanks for the quick fix, ").p("person_name", fn).t("!")
    elif f == 18: t.t(f"<").p("person_name", full).t("> joined the channel")
    else: t.t(f"recipient: ").p("person_name", full).t(f"\ncarrier: DHL\nweight: {R.randint(1,20)} kg")
    return t, "people", f"name_{f}"

MON = {"en": ["January","February","March","April","May","June","July","August","September","October","November","December"],
       "de": ["Januar","Februar","März","April","Mai","Juni","Juli","August","September","Oktober","November","Dezember"],
       "fr": ["janvier","février","mars","avril","mai","juin","juillet","août","septembre","octobre","novembre","décembre"],
       "es": ["enero","febrero","marzo","abril","mayo","junio","julio","agosto","septiembre","octubre","noviembre","diciembre"],
       "it": ["gennaio","febbraio","marzo","aprile","maggio","giugno","luglio","agosto","settembre","ottobre","novembre","dicembre"],
       "nl": ["januari","februari","maart","april","mei","juni","juli","augustus","september","oktober","november","december"],
       "pl": ["stycznia","lutego","marca","kwietnia","maja","czerwca","lipca","sierpnia","września","października","listopada","grudnia"],
       "sv": ["januari","februari","mars","april","maj","juni","juli","augusti","september","oktober","november","december"],
       "pt": ["janeiro","fevereiro","março","abril","maio","junho","julho","agosto","setembro","outubro","novembro","dezembro"],
       "tr": ["Ocak","Şubat","Mart","Nisan","Mayıs","Haziran","Temmuz","Ağustos","Eylül","Ekim","Kasım","Aralık"]}

def dob_pair():
    y, m, d = R.randint(1938, 2006), R.randint(1, 12), R.randint(1, 28)
    def sfx(n): return "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    f = R.randint(0, 21)
    en = MON["en"][m-1]
    opts = [
        ("en", f"{y}-{m:02d}-{d:02d}"), ("en", f"{m:02d}/{d:02d}/{y}"), ("en", f"{d:02d}/{m:02d}/{y}"), ("de", f"{d:02d}.{m:02d}.{y}"),
        ("en", f"{d:02d}-{m:02d}-{y}"), ("en", f"{y}.{m:02d}.{d:02d}"), ("en", f"{d} {en[:3]} {y}"), ("en", f"{en} {d}{sfx(d)}, {y}"),
        ("en", f"{d}{sfx(d)} of {en} {y}"), ("en", f"{y}{m:02d}{d:02d}"), ("en", f"{d:02d}/{m:02d}/{str(y)[2:]}"),
        ("fr", f"{d} {MON['fr'][m-1]} {y}"), ("de", f"{d}. {MON['de'][m-1]} {y}"), ("es", f"{d} de {MON['es'][m-1]} de {y}"),
        ("it", f"{d} {MON['it'][m-1]} {y}"), ("nl", f"{d} {MON['nl'][m-1]} {y}"), ("pl", f"{d} {MON['pl'][m-1]} {y}"),
        ("sv", f"{d} {MON['sv'][m-1]} {y}"), ("pt", f"{d} de {MON['pt'][m-1]} de {y}"), ("tr", f"{d} {MON['tr'][m-1]} {y}"),
        ("ja", f"{y}年{m}月{d}日"), ("en", f"{en[:3].upper()} {d:02d} {y}"),
    ]
    return opts[f]

DOB_CUE = {"en": ["DOB: ", "D.O.B ", "Date of birth - ", "birthdate=", "born ", "I was born on ", "Birth date: ", "dob ", "DOB (MM/DD/YYYY): ", "date_of_birth: "],
           "de": ["Geburtsdatum: ", "geb. am ", "geboren am "], "fr": ["né le ", "née le ", "date de naissance : "],
           "es": ["fecha de nacimiento: ", "nacida el ", "F. nac.: "], "it": ["nato il ", "data di nascita ", "nata il "],
           "nl": ["geboren op ", "geboortedatum: "], "pl": ["data urodzenia: ", "urodzona "], "sv": ["född ", "födelsedatum: "],
           "pt": ["nascido em ", "data de nascimento: "], "tr": ["doğum tarihi: ", "doğum: "], "ja": ["生年月日：", "生年月日 "]}

def dob_t():
    lang, v = dob_pair(); f = R.randint(0, 7); t = T()
    cue = pick(DOB_CUE[lang])
    if f <= 2: t.t(pick(["Patient ", "Applicant ", "Member ", "Policyholder ", ""]) + cue).p("date_of_birth", v).t(pick([f", admitted {ts()[:10]}", "; verified", "", f" — case {digits(6)}"]))
    elif f == 3:
        k = pick(["dob", "dateOfBirth", "birth_date", "birthDate", "DOB", "date_of_birth", "geburtsdatum", "fecha_nacimiento", "bornOn"])
        t.t(f"{{\"applicant\":{{\"id\":\"A-{digits(6)}\",\"{k}\":\"").p("date_of_birth", v).t(f"\"}},\"received\":\"{ts()}\"}}")
    elif f == 4: t.t(f"kyc.verify failed reason=dob_mismatch provided_dob=\"").p("date_of_birth", v).t("\"")
    elif f == 5: t.t(f"Hi, I need to update my record, my {pick(['date of birth','DOB','birthday'])} is wrong, it should be ").p("date_of_birth", v).t(" not the one on file.")
    elif f == 6: t.t(f"patient:\n  mrn: {digits(8)}\n  birth_date: ").p("date_of_birth", v).t("\n  sex: F")
    else: t.t(f"Identity check ✔ — {cue}").p("date_of_birth", v)
    return t, "people", f"dob_{f}"

def addr():
    n = R.randint(1, 299); f = R.randint(0, 23)
    A = [
        [f"{n} {pick(['Birch','Willow','Oak Hollow','Riverside','Pleasant'])} {pick(['Street','St.','Avenue','Rd','Lane','Ct','Terrace','Pkwy'])} {pick(['#4B','Apt 12','Suite 300','Unit 7',''])}".strip(), f"{pick(['Columbus, OH','Tacoma, WA','Durham, NC','Tempe, AZ'])} {digits(5)}"],
        [f"{n} {pick(['High Street','Station Road','Victoria Road','Mill Lane'])}", pick(["Guildford", "Harrogate", "Stockport"]), pick(["Surrey", "North Yorkshire", "Greater Manchester"]), f"{pick(['GU','HG','SK'])}{R.randint(1,9)} {R.randint(1,9)}{pick(['AB','NW','TJ'])}"],
        [f"{pick(['Bahnhofstrasse','Seestrasse','Rue du Rhône'])} {n}", f"{pick(['8001 Zürich','6003 Luzern','1204 Genève'])}"],
        [f"{pick(['Mariahilfer Straße','Landstraßer Hauptstraße'])} {n}/{R.randint(1,30)}", f"{pick(['1060','1030'])} Wien"],
        [f"{pick(['Rua Augusta','Avenida da Liberdade','Rua de Santa Catarina'])} {n}, {R.randint(1,6)}º {pick(['Esq','Dto'])}", f"{digits(4)}-{digits(3)} {pick(['Lisboa','Porto'])}"],
        [f"{pick(['Nørrebrogade','Vesterbrogade','Østergade'])} {n}, {R.randint(1,5)}. th.", f"{pick(['2200 København N','1620 København V','8000 Aarhus C'])}"],
        [f"{pick(['Václavské náměstí','Vinohradská','Národní'])} {n}", f"{pick(['110 00 Praha 1','120 00 Praha 2'])}"],
        [f"Av. {pick(['Insurgentes Sur','Reforma','Revolución'])} {n}", f"Col. {pick(['Del Valle','Juárez','Roma Norte'])}", f"{digits(5)} Ciudad de México, CDMX"],
        [f"{n} {pick(['Anson Road','Orchard Road','Tanjong Pagar Road'])} #{R.randint(2,40):02d}-{R.randint(1,99):02d}", f"Singapore {digits(6)}"],
        [f"{n} {pick(['George Street','Collins St','Queen St'])}", f"{pick(['Sydney NSW 2000','Melbourne VIC 3000','Brisbane QLD 4000'])}"],
        [f"{n} {pick(['Long Street','Jan Smuts Avenue'])}", pick(["Cape Town", "Johannesburg"]), f"{digits(4)}"],
        [f"Apartment {R.randint(1,40)}, {pick(['Grand Canal Dock','Ringsend Road'])}", "Dublin 4", f"D0{R.randint(1,8)} {pick('ACDEFHKNPRTVWXY')}{digits(1)}{pick('ACDEFHKNPRTVWXY')}{digits(1)}"],
        [f"{pick(['Rue de la Loi','Avenue Louise','Chaussée de Wavre'])} {n}", f"{pick(['1000','1050','1040'])} {pick(['Bruxelles','Ixelles','Etterbeek'])}"],
        [f"{pick(['Kurfürstendamm','Sonnenallee','Leopoldstraße','Königsallee'])} {n}{pick(['','a','b'])}", f"{digits(5)} {pick(['Berlin','München','Düsseldorf'])}"],
        [f"{n}, {pick(['rue du Faubourg Saint-Antoine','avenue Jean Jaurès','place Bellecour'])}", f"{digits(5)} {pick(['Paris','Lyon','Toulouse'])}"],
        [f"{pick(['Carrer de Mallorca','Calle de Alcalá','Gran Vía'])}, {n}, {R.randint(1,8)}.º {R.randint(1,4)}.ª", f"{digits(5)} {pick(['Barcelona','Madrid'])}"],
        [f"{pick(['Corso Buenos Aires','Via Toledo','Via del Corso'])}, {n}", f"{digits(5)} {pick(['Milano MI','Napoli NA','Roma RM'])}"],
        [f"{pick(['Prinsengracht','Oudegracht','Coolsingel'])} {n}-{pick(['I','II','hs'])}", f"{digits(4)} {pick(['AB','CD','XK'])} {pick(['Amsterdam','Utrecht','Rotterdam'])}"],
        [f"ul. {pick(['Piotrkowska','Floriańska','Świętojańska'])} {n} m. {R.randint(1,80)}", f"{digits(2)}-{digits(3)} {pick(['Łódź','Kraków','Gdynia'])}"],
        [f"{pick(['Sveavägen','Vasagatan','Linnégatan'])} {n}, lgh {R.randint(1001,1999)}", f"{digits(3)} {digits(2)} {pick(['Stockholm','Göteborg'])}"],
        [f"{n} {pick(['Yonge Street','Rue Saint-Denis','Jasper Avenue'])}, Unit {R.randint(100,2500)}", f"{pick(['Toronto ON','Montréal QC','Edmonton AB'])} {pick('KMHT')}{R.randint(1,9)}{pick('ABCE')} {R.randint(1,9)}{pick('JKLN')}{R.randint(1,9)}"],
        [f"Av. {pick(['Paulista','Brigadeiro Faria Lima'])}, {n} - {pick(['Bela Vista','Pinheiros'])}", f"São Paulo - SP, {digits(5)}-{digits(3)}"],
        [f"P.O. Box {R.randint(100,99999)}", f"{pick(['Anchorage, AK','Cheyenne, WY'])} {digits(5)}-{digits(4)}"],
        [f"{R.randint(1,99)}-{R.randint(1,30)} {pick(['Koramangala 5th Block','Banjara Hills Road No. 12'])}", f"{pick(['Bengaluru, Karnataka 560095','Hyderabad, Telangana 500034'])}"],
    ]
    return [x for x in A[f] if x], f

def addr_t():
    parts, af = addr(); f = R.randint(0, 7); t = T()
    one = ", ".join(parts); multi = "\n".join(parts)
    if f == 0: t.t("Please deliver to ").p("postal_address", one).t(" — leave with the neighbour if out.")
    elif f == 1: t.t("Billing address:\n").p("postal_address", multi).t(f"\nVAT ID: pending")
    elif f == 2:
        k = pick(["address", "shippingAddress", "addr", "billing_addr", "residence", "deliveryAddress", "home", "mailing"])
        v = json.dumps(multi, ensure_ascii=False)[1:-1]
        t.t(f"{{\"order\":\"SO-{digits(6)}\",\"{k}\":\"").p("postal_address", v).t(f"\",\"items\":{R.randint(1,9)}}}")
    elif f == 3: t.t("We've moved! Our new office is at ").p("postal_address", one).t(".")
    elif f == 4: t.t(f"Lieferanschrift: ").p("postal_address", one)
    elif f == 5: t.t(f"[{ts()}] WARN geocode failed for address=\"").p("postal_address", one).t("\" provider=osm")
    elif f == 6: t.t("Return the device to:\n\n").p("postal_address", multi).t("\n\nInclude the RMA number on the box.")
    else: t.t("I live at ").p("postal_address", one).t(", is that in your delivery area?")
    return t, "people", f"addr_{af}_{f}"

def combo_t():
    fn, ln = pick(NAMES); parts, _ = addr(); _, dv = dob_pair(); t = T()
    f = R.randint(0, 2)
    if f == 0:
        t.t("New signup — ").p("person_name", f"{fn} {ln}").t(", born ").p("date_of_birth", dv).t(", mobile ").p("phone", ph()).t(", lives at ").p("postal_address", ", ".join(parts))
    elif f == 1:
        t.t("Dear ").p("person_name", fn).t(",\nyour parcel will be sent to\n").p("postal_address", "\n".join(parts)).t("\nQuestions? Call ").p("phone", ph()).t(".")
    else:
        t.t(f"{{\"first_name\":\"").p("person_name", fn).t("\",\"last_name\":\"").p("person_name", ln).t("\",\"dob\":\"").p("date_of_birth", dv).t("\",\"phone\":\"").p("phone", ph()).t("\"}")
    return t, "people", f"combo_{f}"

def people_la():
    f = R.randint(0, 29); t = T()
    s = [
        lambda: "Dijkstra's algorithm beats Bellman-Ford here; see the Levenshtein distance helper too.",
        lambda: "Jackson serializer failed on field createdAt (Jenkins job baker-nightly #" + str(R.randint(100, 999)) + ")",
        lambda: "Dear team, please review. Thanks all!",
        lambda: "Hi all — Grafana dashboard 'Victoria Metrics overview' is back.",
        lambda: f"Deploy to Santa Clara region failed; San Francisco canary healthy",
        lambda: f"created: {ts()[:10]}\nupdated: {ts()[:10]}\nexpires: {R.randint(1,12):02d}/{R.randint(1,28):02d}/2029",
        lambda: f"Release date {R.randint(1,28)} {MON['en'][R.randint(0,11)]} 2026; GA on {MON['en'][R.randint(0,11)]} {R.randint(1,28)}, 2027",
        lambda: "Born in the USA plays in the lobby; the birthday paradox explains the hash collisions.",
        lambda: f"date_of_incident: {R.randint(2019,2027)}-{R.randint(1,12):02d}-{R.randint(1,28):02d} severity=2",
        lambda: f"cron: \"0 3 1 * *\" next run {ts()}",
        lambda: f"Station Road shard rebalanced; High Street queue drained ({R.randint(10,999)} msgs)",
        lambda: f"Room {R.randint(1,9)}.{R.randint(10,40)}, Building {R.randint(1,12)}, Floor {R.randint(1,9)}",
        lambda: f"rack B{R.randint(1,40)} unit {R.randint(1,42)}, row {R.randint(1,12)} — datacenter fra-{R.randint(1,3)}",
        lambda: f"Monte Carlo sim: {R.randint(1000,99999)} runs, p95={R.randint(10,99)}.{digits(2)}",
        lambda: f"Rose chart v{R.randint(1,9)}.{R.randint(0,9)} installed in namespace hunter-prod",
        lambda: "Debian Bookworm and Ubuntu Noble images rebuilt by ci-bot",
        lambda: f"user=svc-deploy uid={R.randint(1000,9999)} gid={R.randint(1000,9999)} home=/var/lib/deploy",
        lambda: f"Valid from {R.randint(1,28):02d}.{R.randint(1,12):02d}.2027 until {R.randint(1,28):02d}.{R.randint(1,12):02d}.2028",
        lambda: f"cert not_before=2027-0{R.randint(1,9)}-1{R.randint(0,9)} not_after=2028-0{R.randint(1,9)}-1{R.randint(0,9)}",
        lambda: f"{R.randint(1,299)} tests in {R.randint(1,9)} suites, {R.randint(1,99)} snapshots, {R.randint(1,9)}.{digits(2)}s",
        lambda: "Thanks team, great work on the Main Street migration.",
        lambda: f"Address already in use: bind 0.0.0.0:{R.randint(1024,65535)}",
        lambda: f"address_line_count=3 address_validation=strict postcode_regex enabled",
        lambda: "Payment for order processed by Adyen; Klarna fallback disabled",
        lambda: f"Founded in {R.randint(1950,1999)}, the company moved to cloud in {R.randint(2010,2020)}.",
        lambda: f"backup window 01:00–03:00 UTC, retention {R.randint(7,90)} days, last run {ts()}",
        lambda: "Mercedes fleet API and Tesla charger integration deprecated",
        lambda: "Ask Victoria in Finance? No — ask the finance mailbox.",
        lambda: f"PID|1||{digits(7)}^^^HOSP||^^^||||U",
        lambda: f"Hello World example updated; Lorem ipsum placeholder removed",
    ][f]()
    t.t(s); return t, "people", f"la_people_{f}"

def misc_la():
    f = R.randint(0, 14); t = T()
    s = [
        lambda: f"trace_id={hexs(32)} span_id={hexs(16)} parent={hexs(16)}",
        lambda: f"uuid={hexs(8)}-{hexs(4)}-4{hexs(3)}-{pick('89ab')}{hexs(3)}-{hexs(12)}",
        lambda: f"sha1 {hexs(40)} md5 {hexs(32)}",
        lambda: f"deployment.apps/checkout-{alnum(5, string.ascii_lowercase)} scaled to {R.randint(1,12)} replicas",
        lambda: f"replicaset api-7d{hexs(7)} pod api-7d{hexs(7)}-{alnum(5, string.ascii_lowercase + string.digits)} OOMKilled",
        lambda: f"listening on {ip_priv()}:{R.randint(1024,65535)} and [::1]:{R.randint(1024,65535)}",
        lambda: f"timeout after {R.randint(1,59)}m{R.randint(1,59)}s (PT{R.randint(1,59)}M) retry in {R.randint(100,9999)}ms",
        lambda: f"go1.{R.randint(18,23)}.{R.randint(0,9)} linux/amd64 build {digits(8)}.{digits(6)}",
        lambda: f"order_id=ORD-{digits(4)}-{digits(6)} cart={hexs(24)}",
        lambda: f"X-Amzn-Trace-Id: Root=1-{hexs(8)}-{hexs(24)}",
        lambda: f"ETag: \"{hexs(32)}\"\nLast-Modified: Tue, 07 Dec 2027 10:{R.randint(10,59)}:00 GMT",
        lambda: f"job {R.randint(1000,9999)} exited 137 after {R.randint(100,999)}.{digits(3)} s on node ip-{ip_priv().replace('.', '-')}",
        lambda: f"npm ERR! code E{R.randint(400,599)} integrity sha512-{alnum(86)}==",
        lambda: f"session started; duration={R.randint(1,99)}m sessions_active={R.randint(1,9999)}",
        lambda: f"goroutine {R.randint(1,999)} [running]: main.handler(0xc000{hexs(6)}, 0x{hexs(6)})",
    ][f]()
    t.t(s); return t, "misc", f"la_misc_{f}"

def main():
    recs = {}
    plan = [(sec_t, 72), (phone_t, 50), (name_t, 28), (dob_t, 26), (addr_t, 26), (combo_t, 6),
            (sec_la, 36), (phone_la, 24), (people_la, 26), (misc_la, 14)]
    seen = set()
    for fn, n in plan:
        made = 0
        while made < n:
            t, f, tmpl = fn()
            txt = t.text()
            if txt in seen: continue
            for p in t.pii:
                assert p["value"] in txt, (p, txt)
                assert p["value"] == p["value"].strip(), p
            seen.add(txt); made += 1
            recs.setdefault(f, []).append({"text": txt, "pii": t.pii, "tags": [f, "pii" if t.pii else "lookalike"], "template": f"{f}/{tmpl}"})
    for f, rs in recs.items():
        with open(os.path.join(OUT, f + ".jsonl"), "w", encoding="utf-8") as fh:
            for i, r in enumerate(rs, 1):
                fh.write(json.dumps({"id": f"d7-{f}-{i:03d}", **r}, ensure_ascii=False) + "\n")

if __name__ == "__main__":
    main()
