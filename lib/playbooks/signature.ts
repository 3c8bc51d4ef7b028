// Playbook signatures, in the format cosign and openssl use so operators can sign with tools they know:
// base64 of a DER-encoded (ASN.1 SEQUENCE{r, s}) ECDSA P-256 signature over SHA-256 of the exact file
// bytes. That is what `cosign sign-blob --key cosign.key file` (v2, which prints base64) and
// `openssl dgst -sha256 -sign private.pem file | base64 -w0` produce, and what
// `cosign verify-blob --key cosign.pub --signature file.sig file` and
// `openssl dgst -sha256 -verify public.pem -signature file.sig.der file` check (sigstore documents the
// openssl interop: https://docs.sigstore.dev/cosign/signing/signing_with_blobs/). The unit tests check
// the openssl side; cosign is the same format.
//
// Keys are ordinary PEMs: a PKCS#8 "PRIVATE KEY" or SEC1 "EC PRIVATE KEY" to sign, an SPKI "PUBLIC KEY"
// to verify. cosign's own encrypted private key ("ENCRYPTED SIGSTORE PRIVATE KEY", scrypt + secretbox)
// is not read: generate the key with openssl and give cosign the same key with
// `cosign import-key-pair --key private.pem`. cosign's `cosign.pub` is a plain SPKI PEM and works as is.
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import { AppError } from "@/lib/errors";

/** OpenSSL's name for NIST P-256 (secp256r1), as node reports it in asymmetricKeyDetails. */
const P256 = "prime256v1";

// A P-256 DER signature is a SEQUENCE of two INTEGERs of at most 33 bytes each: 8 to 72 bytes.
const MIN_SIG_BYTES = 8;
const MAX_SIG_BYTES = 72;

function toBytes(bytes: Uint8Array | string): Uint8Array {
  return typeof bytes === "string" ? Buffer.from(bytes, "utf8") : bytes;
}

/** The labels of the PEM blocks in `text` (e.g. ["EC PARAMETERS", "EC PRIVATE KEY"]). */
function pemLabels(text: string): string[] {
  return [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)].map((m) => m[1]!);
}

function describeKey(key: KeyObject): string {
  if (key.asymmetricKeyType === "ec") return `an EC key on curve ${key.asymmetricKeyDetails?.namedCurve ?? "unknown"}`;
  return `a key of type ${key.asymmetricKeyType ?? "unknown"}`;
}

function assertP256(key: KeyObject, what: string): void {
  if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== P256) {
    throw new AppError("validation_failed", `${what} must be an ECDSA P-256 (prime256v1) key, got ${describeKey(key)}`);
  }
}

function loadPrivateKey(pem: string): KeyObject {
  const labels = pemLabels(pem);
  if (labels.some((l) => /^ENCRYPTED (SIGSTORE|COSIGN) PRIVATE KEY$/.test(l))) {
    throw new AppError(
      "validation_failed",
      "cosign's encrypted key format is not supported: sign with a PEM key (`openssl ecparam -name prime256v1 -genkey -noout -out private.pem`), which cosign can use too after `cosign import-key-pair --key private.pem`",
    );
  }
  if (labels.includes("ENCRYPTED PRIVATE KEY")) {
    throw new AppError("validation_failed", "the private key is encrypted: decrypt it first (`openssl pkey -in encrypted.pem -out private.pem`)");
  }
  if (!labels.some((l) => l === "PRIVATE KEY" || l === "EC PRIVATE KEY")) {
    throw new AppError("validation_failed", "expected a PEM private key (-----BEGIN PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----)");
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: "pem" });
  } catch (e) {
    throw new AppError("validation_failed", `cannot read the private key: ${(e as Error).message}`);
  }
  assertP256(key, "the signing key");
  return key;
}

// Parsed trusted keys, by PEM: parsing costs several times the verification itself, and every
// approval and execution verifies. Bounded, since PEMs come from admins (and tests).
const parsedKeys = new Map<string, KeyObject>();
const MAX_PARSED_KEYS = 1000;

function loadPublicKey(pem: string): KeyObject {
  let key = parsedKeys.get(pem);
  if (!key) {
    key = parsePem(pem);
    if (parsedKeys.size >= MAX_PARSED_KEYS) parsedKeys.delete(parsedKeys.keys().next().value!);
    parsedKeys.set(pem, key);
  }
  return key;
}

function parsePem(pem: string): KeyObject {
  const labels = pemLabels(pem);
  // createPublicKey would happily derive a public key from a private one; refuse, so a private key is
  // never stored or shown where a public key belongs.
  if (labels.some((l) => l.includes("PRIVATE KEY"))) {
    throw new AppError("validation_failed", "this is a private key: give the public key (`openssl pkey -in private.pem -pubout`)");
  }
  if (!labels.includes("PUBLIC KEY")) throw new AppError("validation_failed", "expected a PEM public key (-----BEGIN PUBLIC KEY-----)");
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: "pem" });
  } catch (e) {
    throw new AppError("validation_failed", `cannot read the public key: ${(e as Error).message}`);
  }
  assertP256(key, "the public key");
  // Round-trip through JWK so the SPKI is always the uncompressed point form: the same key then has the
  // same PEM and fingerprint whichever encoding it was given in.
  return createPublicKey({ key: key.export({ format: "jwk" }), format: "jwk" });
}

/** Signs the exact bytes; returns base64 DER, the content of a `.sig` file. */
export function signPlaybook(bytes: Uint8Array | string, privateKeyPem: string): string {
  const key = loadPrivateKey(privateKeyPem);
  return sign("sha256", toBytes(bytes), { key, dsaEncoding: "der" }).toString("base64");
}

/** Strict base64 (standard alphabet), ignoring whitespace anywhere, so wrapped `base64` output and a trailing newline are fine. */
function decodeSignature(signatureB64: string): Buffer | null {
  const s = signatureB64.replace(/\s+/g, "");
  if (s.length === 0 || s.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(s)) return null;
  const der = Buffer.from(s, "base64");
  return der.length >= MIN_SIG_BYTES && der.length <= MAX_SIG_BYTES ? der : null;
}

/**
 * Whether `signatureB64` is a valid signature of `bytes` by `publicKeyPem`. A malformed or foreign
 * signature is `false`, never an exception; an unusable public key throws (keys are validated with
 * parsePublicKey when they are added, so that is a configuration error, not a bad signature).
 */
export function verifyPlaybookSignature(bytes: Uint8Array | string, signatureB64: string, publicKeyPem: string): boolean {
  const key = loadPublicKey(publicKeyPem);
  const der = typeof signatureB64 === "string" ? decodeSignature(signatureB64) : null;
  if (!der) return false;
  try {
    return verify("sha256", toBytes(bytes), { key, dsaEncoding: "der" }, der);
  } catch {
    return false;
  }
}

/**
 * Validates a trusted public key: an SPKI PEM of an ECDSA P-256 key. Returns it normalized (PEM of the
 * uncompressed SPKI) with its fingerprint, sha256 (hex) of the SPKI DER. Throws AppError(validation_failed).
 */
export function parsePublicKey(pem: string): { pem: string; fingerprint: string } {
  if (typeof pem !== "string" || pem.length > 16_384) throw new AppError("validation_failed", "expected a PEM public key");
  const key = loadPublicKey(pem);
  const der = key.export({ type: "spki", format: "der" });
  return { pem: key.export({ type: "spki", format: "pem" }) as string, fingerprint: createHash("sha256").update(der).digest("hex") };
}
