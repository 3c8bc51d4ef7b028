import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";

export async function listMembers({ actor }: { actor: Actor }) {
  assertCan(actor, "users.manage");
  const rows = await db.membership.findMany({
    where: { orgId: actor.orgId },
    include: { user: { select: { id: true, email: true, name: true, disabledAt: true } } },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((m) => ({ userId: m.userId, email: m.user.email, name: m.user.name, role: m.role, disabled: !!m.user.disabledAt, since: m.createdAt }));
}
