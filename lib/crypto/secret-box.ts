// Encryption at rest for credentials NeuralOps must store (e.g. a Prometheus bearer token):
// AES-256-GCM with a key from SECRETS_KEY (32 bytes, base64), else derived from NEXTAUTH_SECRET.
// Format: v1.<iv b64url>.<tag b64url>.<ciphertext b64url>.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { dataDir } from "@/lib/runtime-file";

function savedSecret(): string | undefined {
  try {
    return readFileSync(path.join(dataDir(), "nextauth-secret"), "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

function key(): Buffer {
  const raw = process.env.SECRETS_KEY;
  if (raw) {
    const k = Buffer.from(raw, "base64");
    if (k.length !== 32) throw new Error("SECRETS_KEY must be 32 bytes, base64-encoded");
    return k;
  }
  // The CLI and benches run without `npm run up`'s environment: use the secret it generated.
  const secret = process.env.NEXTAUTH_SECRET || savedSecret();
  if (!secret) throw new Error("set SECRETS_KEY or NEXTAUTH_SECRET to store credentials");
  return Buffer.from(hkdfSync("sha256", secret, "neuralops", "secret-box v1", 32));
}

export function seal(plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ct.toString("base64url")].join(".");
}

export function open(sealed: string): string {
  const [v, iv, tag, ct] = sealed.split(".");
  if (v !== "v1" || !iv || !tag || ct === undefined) throw new Error("secret-box: unknown format");
  const decipher = createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8");
}
