import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { hashToken, parseToken, sameHash } from "@/lib/tokens/token-format";

// lastUsedAt is informational; writing it on every request would turn each read into a write.
const TOUCH_INTERVAL_MS = 60_000;

/** Bearer token → actor, or null when unknown, revoked, expired or malformed. */
export async function authenticateToken(raw: string): Promise<Actor | null> {
  const parsed = parseToken(raw);
  if (!parsed) return null;
  const row = await db.apiToken.findUnique({ where: { prefix: parsed.prefix }, omit: { tokenHash: false } });
  if (!row || !sameHash(row.tokenHash, hashToken(raw))) return null;
  const now = Date.now();
  if (row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= now)) return null;
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date(now) } });
  }
  return { type: "token", id: row.id, orgId: row.orgId, role: row.role, scopes: row.scopes, label: `${row.name} (API token)`, ...(row.createdById ? { userId: row.createdById } : {}) };
}
