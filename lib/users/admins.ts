import type { Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";

/**
 * Refuses a change that would leave the org without an admin. The org's admin memberships are locked
 * first, so two admins demoting or removing each other at the same moment are decided one after the
 * other: the second sees the first's change (FOR UPDATE re-reads the rows) and is refused.
 */
export async function assertAnotherAdminRemains(tx: Tx, orgId: string, leavingUserId: string): Promise<void> {
  const admins = await tx.$queryRaw<{ userId: string }[]>`
    SELECT "userId" FROM "Membership" WHERE "orgId" = ${orgId}::uuid AND role = 'admin' ORDER BY id FOR UPDATE`;
  if (!admins.some((a) => a.userId !== leavingUserId)) throw new AppError("conflict", "an organization needs at least one admin");
}
