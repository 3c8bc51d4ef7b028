// Credentials login: throttle (lib/auth/rate-limit.ts) → password check → the user's membership. Returns the
// session identity or null; never says which of email/password was wrong.
import { z } from "zod";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { verifyPassword } from "@/lib/auth/password";
import { loginSucceeded, reserveLoginAttempt } from "@/lib/auth/rate-limit";

export const ZCredentials = z.object({
  email: z.string().trim().toLowerCase().email().max(320),
  password: z.string().min(1).max(1024),
  org: z.string().trim().max(100).optional(),
});

export type SessionIdentity = { userId: string; email: string; name: string; orgId: string; orgSlug: string; role: string };

export async function verifyCredentials(input: unknown, ip?: string): Promise<SessionIdentity | null> {
  const parsed = ZCredentials.safeParse(input);
  if (!parsed.success) return null;
  const { email, password, org } = parsed.data;

  const limit = await reserveLoginAttempt({ email, ip });
  if (!limit.allowed) {
    const { retryAfterSeconds } = limit;
    throw new AppError("rate_limited", `too many failed sign-in attempts; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
  }

  const user = await db.user.findUnique({ where: { email }, omit: { passwordHash: false } });
  const ok = await verifyPassword(password, user?.passwordHash);
  if (!user || !ok || user.disabledAt) return null;

  const membership = await db.membership.findFirst({
    where: { userId: user.id, ...(org ? { org: { slug: org } } : {}) },
    orderBy: { createdAt: "asc" },
    include: { org: true },
  });
  if (!membership) return null;
  await loginSucceeded({ email, ip });
  return { userId: user.id, email: user.email, name: user.name, orgId: membership.orgId, orgSlug: membership.org.slug, role: membership.role };
}
