import { execFileSync } from "node:child_process";
import { createHash, generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { parsePublicKey, signPlaybook, verifyPlaybookSignature } from "@/lib/playbooks/signature";

// Exact bytes matter: CRLF, a BOM-less UTF-8 non-ASCII character and no trailing newline.
const BYTES = Buffer.from("name: restart-deployment\r\nversion: 1\r\ndescription: Neustart – überprüft\r\nrisk: medium", "utf8");

function p256() {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return {
    pkcs8: privateKey.export({ type: "pkcs8", format: "pem" }) as string,
    sec1: privateKey.export({ type: "sec1", format: "pem" }) as string,
    pub: publicKey.export({ type: "spki", format: "pem" }) as string,
    pubDer: publicKey.export({ type: "spki", format: "der" }),
  };
}

function appError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error("expected an AppError");
}

describe("playbook signatures", () => {
  const a = p256();
  const b = p256();

  it("round-trips with PKCS#8 and SEC1 private keys", () => {
    for (const priv of [a.pkcs8, a.sec1]) {
      const sig = signPlaybook(BYTES, priv);
      expect(sig).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
      expect(verifyPlaybookSignature(BYTES, sig, a.pub)).toBe(true);
    }
    // A string is signed as its UTF-8 bytes.
    expect(verifyPlaybookSignature(BYTES, signPlaybook(BYTES.toString("utf8"), a.sec1), a.pub)).toBe(true);
  });

  it("fails for tampered bytes, even a line-ending change", () => {
    const sig = signPlaybook(BYTES, a.pkcs8);
    const flipped = Buffer.from(BYTES);
    flipped[5] = flipped[5]! ^ 1;
    expect(verifyPlaybookSignature(flipped, sig, a.pub)).toBe(false);
    expect(verifyPlaybookSignature(Buffer.from(BYTES.toString("utf8").replace(/\r\n/g, "\n")), sig, a.pub)).toBe(false);
    expect(verifyPlaybookSignature(Buffer.concat([BYTES, Buffer.from("\n")]), sig, a.pub)).toBe(false);
  });

  it("fails for another key", () => {
    expect(verifyPlaybookSignature(BYTES, signPlaybook(BYTES, b.pkcs8), a.pub)).toBe(false);
  });

  it("returns false, never throws, for malformed signatures", () => {
    const good = signPlaybook(BYTES, a.pkcs8);
    const der = Buffer.from(good, "base64");
    const garbage = [
      "",
      "   \n",
      "not base64!!",
      good.slice(0, -4),
      randomBytes(64).toString("base64"), // r||s without DER framing
      randomBytes(70).toString("base64"),
      randomBytes(4096).toString("base64"),
      Buffer.concat([der, Buffer.from([0])]).toString("base64"), // trailing byte after the DER
      Buffer.from("3006020100020100", "hex").toString("base64"), // r = s = 0
      "%%%%",
    ];
    for (const sig of garbage) expect(verifyPlaybookSignature(BYTES, sig, a.pub), sig).toBe(false);
    expect(verifyPlaybookSignature(BYTES, undefined as unknown as string, a.pub)).toBe(false);
  });

  it("tolerates whitespace around and inside the base64 (a .sig file with a newline, wrapped base64)", () => {
    const sig = signPlaybook(BYTES, a.pkcs8);
    expect(verifyPlaybookSignature(BYTES, `  ${sig}\n`, a.pub)).toBe(true);
    expect(verifyPlaybookSignature(BYTES, `${sig.slice(0, 40)}\r\n${sig.slice(40)}\r\n`, a.pub)).toBe(true);
  });

  it("parsePublicKey normalizes the PEM and fingerprints the SPKI DER", () => {
    const parsed = parsePublicKey(`\n${a.pub.replace(/\n/g, "\r\n")}\n`);
    expect(parsed.pem).toBe(a.pub);
    expect(parsed.fingerprint).toBe(createHash("sha256").update(a.pubDer).digest("hex"));
    expect(parsed.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(parsePublicKey(b.pub).fingerprint).not.toBe(parsed.fingerprint);
  });

  it("parsePublicKey rejects anything but an EC P-256 public key", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "pem" }) as string;
    const p384 = generateKeyPairSync("ec", { namedCurve: "P-384" }).publicKey.export({ type: "spki", format: "pem" }) as string;
    const ed = generateKeyPairSync("ed25519").publicKey.export({ type: "spki", format: "pem" }) as string;
    for (const pem of [rsa, p384, ed, a.pkcs8, a.sec1, "", "hello", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"]) {
      const err = appError(() => parsePublicKey(pem));
      expect(err.code).toBe("validation_failed");
    }
    expect(appError(() => parsePublicKey(rsa)).message).toMatch(/P-256.*rsa/);
    expect(appError(() => parsePublicKey(p384)).message).toMatch(/secp384r1/);
    expect(appError(() => parsePublicKey(a.pkcs8)).message).toMatch(/private key/);
    // verify refuses an unusable key loudly rather than reporting "bad signature".
    expect(() => verifyPlaybookSignature(BYTES, signPlaybook(BYTES, a.pkcs8), p384)).toThrow(AppError);
  });

  it("signPlaybook rejects non-P-256, encrypted and cosign-format keys with a clear error", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }) as string;
    const p384 = generateKeyPairSync("ec", { namedCurve: "P-384" }).privateKey.export({ type: "sec1", format: "pem" }) as string;
    const encrypted = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({
      type: "pkcs8",
      format: "pem",
      cipher: "aes-256-cbc",
      passphrase: "pw",
    }) as string;
    const cosignKey = "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\neyJrZGYiOnt9fQ==\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n";
    expect(appError(() => signPlaybook(BYTES, rsa)).message).toMatch(/P-256.*rsa/);
    expect(appError(() => signPlaybook(BYTES, p384)).message).toMatch(/P-256.*secp384r1/);
    expect(appError(() => signPlaybook(BYTES, encrypted)).message).toMatch(/encrypted/);
    expect(appError(() => signPlaybook(BYTES, cosignKey)).message).toMatch(/cosign/);
    expect(appError(() => signPlaybook(BYTES, a.pub)).message).toMatch(/private key/);
    expect(appError(() => signPlaybook(BYTES, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")).code).toBe("validation_failed");
  });
});

// Interop with the openssl CLI. cosign (not installed here) writes and reads the same format: base64 of
// the DER ECDSA signature over SHA-256 of the blob, which sigstore documents as openssl-verifiable.
describe("playbook signatures: openssl interop", () => {
  let dir: string;
  const f = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync("/usr/bin/openssl", args, { stdio: ["pipe", "pipe", "pipe"] });

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "neuralops-sig-"));
    writeFileSync(f("playbook.yaml"), BYTES);
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", f("sec1.pem"));
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", f("sec1-params.pem")); // with an EC PARAMETERS block first
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", f("pkcs8.pem"));
    for (const k of ["sec1", "sec1-params", "pkcs8"]) openssl("pkey", "-in", f(`${k}.pem`), "-pubout", "-out", f(`${k}.pub.pem`));
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("reads the key formats openssl writes", () => {
    expect(readFileSync(f("sec1.pem"), "utf8")).toContain("-----BEGIN EC PRIVATE KEY-----");
    expect(readFileSync(f("sec1-params.pem"), "utf8")).toContain("-----BEGIN EC PARAMETERS-----");
    expect(readFileSync(f("pkcs8.pem"), "utf8")).toContain("-----BEGIN PRIVATE KEY-----");
    for (const k of ["sec1", "sec1-params", "pkcs8"]) {
      const sig = signPlaybook(BYTES, readFileSync(f(`${k}.pem`), "utf8"));
      expect(verifyPlaybookSignature(BYTES, sig, readFileSync(f(`${k}.pub.pem`), "utf8")), k).toBe(true);
    }
  });

  it("verifies a signature made by `openssl dgst -sha256 -sign k.pem file | base64 -w0`", () => {
    for (const k of ["sec1", "pkcs8"]) {
      const der = openssl("dgst", "-sha256", "-sign", f(`${k}.pem`), f("playbook.yaml"));
      const b64 = execFileSync("base64", ["-w0"], { input: der }).toString();
      const wrapped = execFileSync("base64", { input: der }).toString(); // 76-column lines and a final newline
      const pub = readFileSync(f(`${k}.pub.pem`), "utf8");
      expect(verifyPlaybookSignature(BYTES, b64, pub), k).toBe(true);
      expect(verifyPlaybookSignature(BYTES, wrapped, pub), k).toBe(true);
      expect(verifyPlaybookSignature(Buffer.concat([BYTES, Buffer.from(" ")]), b64, pub), k).toBe(false);
    }
  });

  it("makes signatures `openssl dgst -sha256 -verify pub.pem -signature sig.der file` accepts", () => {
    for (const k of ["sec1", "pkcs8"]) {
      const sig = signPlaybook(BYTES, readFileSync(f(`${k}.pem`), "utf8"));
      writeFileSync(f("playbook.yaml.sig"), `${sig}\n`);
      writeFileSync(f("sig.der"), execFileSync("base64", ["-d", f("playbook.yaml.sig")]));
      const out = openssl("dgst", "-sha256", "-verify", f(`${k}.pub.pem`), "-signature", f("sig.der"), f("playbook.yaml")).toString();
      expect(out.trim()).toBe("Verified OK");
    }
    // And openssl rejects it over other bytes (exit status 1, "Verification failure").
    writeFileSync(f("other.yaml"), Buffer.concat([BYTES, Buffer.from("\n")]));
    expect(() => openssl("dgst", "-sha256", "-verify", f("pkcs8.pub.pem"), "-signature", f("sig.der"), f("other.yaml"))).toThrow();
  });

  it("fingerprints match openssl's SPKI DER, and a compressed-point key gets the same one", () => {
    const der = openssl("pkey", "-pubin", "-in", f("pkcs8.pub.pem"), "-outform", "DER");
    const parsed = parsePublicKey(readFileSync(f("pkcs8.pub.pem"), "utf8"));
    expect(parsed.fingerprint).toBe(createHash("sha256").update(der).digest("hex"));
    const compressed = openssl("ec", "-pubin", "-in", f("pkcs8.pub.pem"), "-conv_form", "compressed", "-pubout").toString();
    expect(compressed).not.toBe(readFileSync(f("pkcs8.pub.pem"), "utf8"));
    expect(parsePublicKey(compressed)).toEqual(parsed);
    expect(verifyPlaybookSignature(BYTES, signPlaybook(BYTES, readFileSync(f("pkcs8.pem"), "utf8")), compressed)).toBe(true);
  });

  it("rejects RSA and P-384 keys openssl generates", () => {
    openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", f("rsa.pem"));
    openssl("ecparam", "-name", "secp384r1", "-genkey", "-noout", "-out", f("p384.pem"));
    for (const k of ["rsa", "p384"]) {
      openssl("pkey", "-in", f(`${k}.pem`), "-pubout", "-out", f(`${k}.pub.pem`));
      expect(appError(() => signPlaybook(BYTES, readFileSync(f(`${k}.pem`), "utf8"))).code).toBe("validation_failed");
      expect(appError(() => parsePublicKey(readFileSync(f(`${k}.pub.pem`), "utf8"))).code).toBe("validation_failed");
    }
    // A signature made by the P-384 key with openssl is not accepted under any P-256 key either.
    const der = openssl("dgst", "-sha256", "-sign", f("p384.pem"), f("playbook.yaml"));
    expect(verifyPlaybookSignature(BYTES, der.toString("base64"), readFileSync(f("pkcs8.pub.pem"), "utf8"))).toBe(false);
  });
});
