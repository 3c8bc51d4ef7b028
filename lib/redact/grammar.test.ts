// Round 7: grammar-level rules (separators, key qualifiers, attribute keys, national phone plans, …), written
// against corpus-dev7. Each case lists the spans expected as `type:value`; `keeps` cases must come out unchanged.
import { describe, expect, it } from "vitest";
import { kept, redacted, spans } from "@/lib/redact/test-spans";

describe("round 7: key = value grammar", () => {
  it.each([
    ['root_shared_secret := "koopmriDEduMhrIZRb5ZbaoAk"', ["secret_pair:koopmriDEduMhrIZRb5ZbaoAk"]],
    ["redis_pwd := 'Xk29dLq0pZ'", ["secret_pair:Xk29dLq0pZ"]],
    ['<entry key="adminPrivateToken">krExS8Dzw2oVz7Gz82zBBk9O6kp8om1x1</entry>', ["secret_pair:krExS8Dzw2oVz7Gz82zBBk9O6kp8om1x1"]],
    ['<param name="db.password">Tr0ub4dor-88</param>', ["secret_pair:Tr0ub4dor-88"]],
    ["backup.secret.key : 9vDJCV1X5pUslFsA\nserver.port : 8080", ["secret_pair:9vDJCV1X5pUslFsA"]],
    ["docker run --rm -e GITHUB_WEBHOOK_PASS=LsNgb&PIPqVa89 -p 8080:8080 app:2.3.1", ["secret_pair:LsNgb&PIPqVa89"]],
    ["GET /cb?id=42&token=zDTkAkIqVBxe31WyXYq9&format=json HTTP/1.1", ["secret_pair:zDTkAkIqVBxe31WyXYq9"]],
    ["export CREDENTIAL=iW19S5%pDq602 && ./run.sh", ["secret_pair:iW19S5%pDq602"]],
    ["DB_PASSWORD_NEW=Hx81-kq20Lmz\nAPI_TOKEN_2=a8f3k20dLq93mZ", ["secret_pair:Hx81-kq20Lmz", "secret_pair:a8f3k20dLq93mZ"]],
    ["el password nuevo es 0rdhlj+wHjm547, change after login", ["secret_pair:0rdhlj+wHjm547"]],
    ["new passphrase → eyKRe9+2OtSg9 (temporary)", ["secret_pair:eyKRe9+2OtSg9"]],
  ])("%s", (s, expected) => expect(spans(s)).toEqual(expected));

  it.each([
    "Authorization: HMAC-SHA256 Credential=zXwqYTaLVEUT6jP6LXnV&SignedHeaders=host",
    "Credential=AKIDEXAMPLE/20250101/us-east-1/s3/aws4_request",
    "token_type := bearer; token_count := 512",
    'password_new_policy=strict <entry key="tokenTtl">3600</entry>',
    "GET /search?token=&q=password+reset&page=2",
    "password=&amp;page=2",
  ])("keeps %s", kept);
});

describe("round 7: national phone plans with a dashed area code", () => {
  it.each([
    ["--\nOps On-Call\nM: 020-972 1349\nE: desk", ["phone:020-972 1349"]],
    ["Emergency contact (spouse): 08-953 736 27", ["phone:08-953 736 27"]],
    ["fax +447709670647 / office 020-707 3366", ["phone:+447709670647", "phone:020-707 3366"]],
  ])("%s", (s, expected) => expect(spans(s)).toEqual(expected));

  it.each(["Order ID: 020-707 3366", "range 2019-123 4567 rows", "part no. 08-953 736 27"])("keeps %s", kept);
});

describe("round 7: address grammars (AT flats, CZ/SK/GR 3+2 and PT 4-3 postcodes, ES floors, SG, ZA lines)", () => {
  it.each([
    ["Lieferanschrift: Mariahilfer Straße 204/14, 1060 Wien", ["postal_address:Mariahilfer Straße 204/14, 1060 Wien"]],
    ["Return to:\nLandstraßer Hauptstraße 96/15\n1060 Wien\n", ["postal_address:Landstraßer Hauptstraße 96/15\n1060 Wien"]],
    ["I live at Národní 31, 120 00 Praha 2, ok?", ["postal_address:Národní 31, 120 00 Praha 2"]],
    ["office: Václavské náměstí 12\n110 00 Praha 1", ["postal_address:Václavské náměstí 12\n110 00 Praha 1"]],
    ["Please deliver to Rua de Santa Catarina 271, 3º Esq, 0170-275 Lisboa today", ["postal_address:Rua de Santa Catarina 271, 3º Esq, 0170-275 Lisboa"]],
    ['{"addr":"Gran Vía, 34, 5.º 3.ª\\n28013 Madrid"}', ["postal_address:Gran Vía, 34, 5.º 3.ª\\n28013 Madrid"]],
    ["Our new office is at 32 Anson Road #11-08, Singapore 201964.", ["postal_address:32 Anson Road #11-08, Singapore 201964"]],
    ["Return the device to:\n\n253 Jan Smuts Avenue\nCape Town\n9013\n\nThanks", ["postal_address:253 Jan Smuts Avenue\nCape Town\n9013"]],
    ["Chaussée de Wavre 129\n1040 Bruxelles", ["postal_address:Chaussée de Wavre 129\n1040 Bruxelles"]],
  ])("%s", (s, expected) => expect(spans(s)).toEqual(expected));

  it.each([
    "build 4.2 took 120 00 Praha",
    "tests: 120 passed in 12.3 s; 034 12 Failed",
    "Release 2024 1100-053 Lisboa mirror",
    "version 3.2, 1060 Wien datacenter",
  ])("keeps %s", kept);
});

describe("round 7: dates of birth under compound keys", () => {
  it.each([
    ['kyc.verify failed reason=dob_mismatch provided_dob="07.05.1952"', ["date_of_birth:07.05.1952"]],
    ["customer_birth_date=1961-02-03 ok", ["date_of_birth:1961-02-03"]],
  ])("%s", (s, expected) => expect(spans(s)).toEqual(expected));

  it.each(["dob_verified=true updated 2021-04-04", "has_dob=false since 2021-04-04"])("keeps %s", kept);
});

describe("round 7: a given name recurring alone; Indian addresses next to a birth date or a phone", () => {
  it.each([
    ["Customer Brigid Fitzgerald called about a double charge; Brigid was polite but firm.", ["person_name:Brigid Fitzgerald", "person_name:Brigid"]],
    ["Account holder Ekström, Björn requested closure. Björn's card is blocked.", ["person_name:Ekström, Björn", "person_name:Björn"]],
    [
      "New signup — Valentina Russo, born 17 Sep 1972, mobile 087 700 7567, lives at 37-13 Koramangala 5th Block, Hyderabad, Telangana 500034",
      ["person_name:Valentina Russo", "date_of_birth:17 Sep 1972", "phone:087 700 7567", "postal_address:37-13 Koramangala 5th Block, Hyderabad, Telangana 500034"],
    ],
  ])("%s", (s, expected) => expect(spans(s)).toEqual(expected));

  it.each([
    ["Customer Will Turner called; Will do tomorrow.", "Will do"],
    ["Customer Brigid Fitzgerald called; see BrigidService and brigid.log", "BrigidService and brigid.log"],
  ])("%s keeps %s", (s, tail) => expect(redacted(s)).toContain(tail));
});

describe("round 7: glued lower-case keys, bracketed country codes, weekdays before a birth date", () => {
  it.each([
    ["rpcpassword=Xk29dLq0pZw", ["secret_pair:Xk29dLq0pZw"]],
    ["newpassword: Xk29dLq0pZw", ["secret_pair:Xk29dLq0pZw"]],
    ["adminpass=Xk29dLq0pZw", ["secret_pair:Xk29dLq0pZw"]],
    ["requirepass Xk29dLq0pZw\nmasterauth Xk29dLq0pZw", ["secret_pair:Xk29dLq0pZw", "secret_pair:Xk29dLq0pZw"]],
    ["java -Dpassword=Xk29dLq0pZw -jar app.jar", ["secret_pair:Xk29dLq0pZw"]],
    ["Call (+44) 20 7946 0958 today", ["phone:(+44) 20 7946 0958"]],
    ["(+33) (0)6 12 34 56 78", ["phone:(+33) (0)6 12 34 56 78"]],
    ["born on Friday, 3 May 1985", ["date_of_birth:3 May 1985"]],
    ["DOB: Fri 03 May 1985", ["date_of_birth:03 May 1985"]],
  ])("%s", (s, expected) => expect(spans(s)).toEqual(expected));

  it.each([
    "bypass=Xk29dLq0pZw compass: north oauth=enabled passthrough=true",
    "the bypass Xk29dLq0pZw surpass Xk29dLq0pZw",
    "requirepass yes",
    "f(+1) 2 3 and (+12) 1.5 2.5 ms",
    "born on Sunday; release Fri 03 May 2024",
  ])("keeps %s", kept);
});

describe("round 7: any country's address after a phrase that announces one; NANP after +1; '+' before a card-like run", () => {
  it.each([
    ["I live at Ilica 1, 10000 Zagreb now", ["postal_address:Ilica 1, 10000 Zagreb"]],
    ["deliver to Andrássy út 12, 1061 Budapest.", ["postal_address:Andrássy út 12, 1061 Budapest"]],
    ["our office is at Strada Lipscani 10, 030031 București", ["postal_address:Strada Lipscani 10, 030031 București"]],
    ["contact: +1 415.555.0134", ["phone:+1 415.555.0134"]],
    ["phone=+4915112345678", ["phone:+4915112345678"]],
  ])("%s", (s, expected) => expect(spans(s)).toEqual(expected));

  it.each([
    "return to Step 3, 1000 Items processed",
    "send to Queue 5, 1000 Messages",
    "the address is invalid: 10 retries, 2000 Timeout",
    "moved to Phase 2, 2025 Q1 planning",
  ])("keeps %s", kept);
});

describe("round 7: keys and values inside an escaped JSON string", () => {
  it.each([
    ['{"payload":"{\\"dob\\":\\"1962-03-15\\",\\"phone\\":\\"+44 20 7946 0958\\"}"}', ["date_of_birth:1962-03-15", "phone:+44 20 7946 0958"]],
    ['{"msg":"{\\"first_name\\":\\"Sjoerd\\",\\"last_name\\":\\"Jansen\\"}"}', ["person_name:Sjoerd", "person_name:Jansen"]],
    ['{"msg":"{\\"phone_number\\":\\"4155550172\\"}"}', ["phone:4155550172"]],
  ])("%s", (s, expected) => expect(spans(s)).toEqual(expected));

  it.each(['{"msg":"{\\"created_at\\":\\"2021-04-04\\",\\"order\\":\\"4155550172\\",\\"name\\":\\"Grafana\\"}"}'])("keeps %s", kept);
});

describe("round 7: display-name mentions", () => {
  it.each([
    ["@Ifeoma Okafor can you take a look at the failing job?", ["person_name:Ifeoma Okafor"]],
    ["see @Grace Hopper.", ["person_name:Grace Hopper"]],
  ])("%s", (s, expected) => expect(spans(s)).toEqual(expected));

  it.each(["@Override public void run()", "@RequestMapping Value", "@Maria Support please", "@Deploy Bot", "user@Example Corp"])("keeps %s", kept);
});
