import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { ROLES, type Role } from "@/lib/authz/permissions";
import { hashToken, parseToken, sameHash } from "@/lib/tokens/token-format";

// lastUsedAt is informational; writing it on every request would turn each read into a write.
const TOUCH_INTERVAL_MS = 60_000;

const lower = (a: Role, b: Role): Role => (ROLES.indexOf(a) <= ROLES.indexOf(b) ? a : b);

/**
 * Bearer token → actor, or null when unknown, revoked, expired or malformed, or when the person it
 * acts for is no longer an enabled member of the org. A person's token has, at each use, the lower of
 * its own role and its owner's current role (scopes narrow further), so demoting someone demotes their
 * tokens at once.
 */
export async function authenticateToken(raw: string): Promise<Actor | null> {
  return (await lookupToken(raw))?.actor ?? null;
}

async function lookupToken(raw: string): Promise<{ actor: Actor; expiresAt: number | null } | null> {
  const parsed = parseToken(raw);
  if (!parsed) return null;
  const row = await db.apiToken.findUnique({ where: { prefix: parsed.prefix }, omit: { tokenHash: false } });
  if (!row || !sameHash(row.tokenHash, hashToken(raw))) return null;
  const now = Date.now();
  if (row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= now)) return null;
  let role: Role = row.role;
  let label = `${row.name} (service token)`;
  if (row.kind === "user") {
    if (!row.ownerId) return null; // the schema forbids it; fail closed all the same
    const m = await db.membership.findUnique({
      where: { orgId_userId: { orgId: row.orgId, userId: row.ownerId } },
      select: { role: true, user: { select: { email: true, disabledAt: true } } },
    });
    if (!m || m.user.disabledAt) return null;
    role = lower(row.role, m.role);
    label = `${row.name} (API token of ${m.user.email})`;
  }
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date(now) } });
  }
  const actor: Actor = { type: "token", id: row.id, orgId: row.orgId, role, scopes: row.scopes, label, ...(row.kind === "user" && row.ownerId ? { userId: row.ownerId } : {}) };
  return { actor, expiresAt: row.expiresAt?.getTime() ?? null };
}

// Tokens an ingest route checked recently, by token hash. Alertmanager and Prometheus post several times
// a second with one token; one lookup per TOKEN_CACHE_TTL_MS is enough. A revoked, expired or demoted
// token is refused by every process at most that long after the change; revokeApiToken forgets it in
// its own process at once. Failures are not cached (a token created a moment ago works at once).
const cache = new Map<string, { actor: Actor; until: number }>();
const CACHE_MAX = 10_000;

export async function authenticateTokenCached(raw: string, ttlMs: number): Promise<Actor | null> {
  if (ttlMs <= 0) return authenticateToken(raw);
  const key = hashToken(raw);
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && hit.until > now) return hit.actor;
  const found = await lookupToken(raw);
  if (!found) {
    cache.delete(key);
    return null;
  }
  if (cache.size >= CACHE_MAX) cache.clear();
  // Never trusted past the token's own expiry.
  cache.set(key, { actor: found.actor, until: Math.min(now + ttlMs, found.expiresAt ?? Infinity) });
  return found.actor;
}

/** Drops a token from this process's cache (its revocation is then seen at once here). */
export function forgetToken(id: string): void {
  for (const [key, entry] of cache) if (entry.actor.id === id) cache.delete(key);
}
