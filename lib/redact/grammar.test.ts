// Round 7: grammar-level rules (separators, key qualifiers, attribute keys, national phone plans, …), written
// against corpus-dev7. Each case lists the spans expected as `type:value`; `keeps` cases must come out unchanged.
import { describe, expect, it } from "vitest";
import { createRedactor, detect, type Span } from "@/lib/redact";

const KEY = new Uint8Array(Buffer.from("grammar-test-org-key-0123456789ab"));
const spans = (s: string) => detect(s).map((x: Span) => `${x.type}:${s.slice(x.start, x.end)}`);
const kept = (s: string) => expect(createRedactor({ key: KEY }).text(s)).toBe(s);

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
