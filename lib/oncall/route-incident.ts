// Which route pages for an incident: the first enabled route, by position, whose matchers all match the
// incident's labels; else the enabled default route; else none.
import { db, type Tx } from "@/lib/db";
import { matchesAll, storedMatchers, type Labels } from "@/lib/oncall/matchers";

export async function pickRoute(orgId: string, labels: Labels, tx: Tx = db) {
  const routes = await tx.alertRoute.findMany({
    where: { orgId, enabled: true },
    orderBy: [{ position: "asc" }, { createdAt: "asc" }],
    include: { policy: { include: { steps: { orderBy: { position: "asc" } } } } },
  });
  return routes.find((r) => !r.isDefault && matchesAll(storedMatchers(r.matchers), labels)) ?? routes.find((r) => r.isDefault) ?? null;
}
