// Web boundary only: turns the request's credentials (Bearer token or next-auth session) into an Actor.
// It authenticates; it never authorizes (that is assertCan in the domain function).
import "server-only";
import { getServerSession } from "next-auth";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { authOptions } from "@/lib/auth/options";
import { authenticateToken, authenticateTokenCached } from "@/lib/tokens/authenticate-token";
import { AppError } from "@/lib/errors";

/** The signed-in user as an Actor, with the role read from the membership row (not the JWT). */
export async function getSessionActor(): Promise<(Actor & { email: string; name: string; orgSlug: string }) | null> {
  const session = await getServerSession(authOptions);
  const u = session?.user;
  if (!u?.id || !u.orgId) return null;
  const m = await db.membership.findUnique({
    where: { orgId_userId: { orgId: u.orgId, userId: u.id } },
    include: { user: { select: { disabledAt: true, email: true, name: true } }, org: { select: { slug: true } } },
  });
  if (!m || m.user.disabledAt) return null;
  return { type: "user", id: u.id, orgId: m.orgId, role: m.role, label: m.user.email, userId: u.id, email: m.user.email, name: m.user.name, orgSlug: m.org.slug };
}

/**
 * API requests: `Authorization: Bearer <token>` wins; otherwise the session cookie. `tokenCacheTtlMs`
 * lets a token checked that recently be trusted without a lookup (ingest routes; see authenticateTokenCached).
 */
export async function getRequestActor(req: Request, opts: { tokenCacheTtlMs?: number } = {}): Promise<Actor | null> {
  const header = req.headers.get("authorization");
  if (header) {
    const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!m) throw new AppError("unauthenticated", "malformed Authorization header; expected 'Bearer <token>'");
    const actor = opts.tokenCacheTtlMs ? await authenticateTokenCached(m[1]!, opts.tokenCacheTtlMs) : await authenticateToken(m[1]!);
    if (!actor) throw new AppError("unauthenticated", "invalid, expired or revoked API token");
    return actor;
  }
  return getSessionActor();
}
