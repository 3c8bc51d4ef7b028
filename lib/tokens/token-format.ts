// API tokens look like `nops_<prefix>_<secret>`. The prefix is stored in clear to find the row; only a
// SHA-256 of the whole token is stored (the secret has 256 bits, so a fast hash is enough).
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

const TOKEN_RE = /^nops_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export function newToken(): { token: string; prefix: string; hash: string } {
  const prefix = randomBytes(9).toString("base64url").replace(/[-_]/g, "x").slice(0, 12);
  const token = `nops_${prefix}_${randomBytes(32).toString("base64url")}`;
  return { token, prefix, hash: hashToken(token) };
}

export function parseToken(token: string): { prefix: string } | null {
  const m = TOKEN_RE.exec(token);
  return m ? { prefix: m[1]! } : null;
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && timingSafeEqual(x, y);
}
