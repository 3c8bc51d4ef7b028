// Routes: which escalation policy pages for an incident. Tried in ascending position (ties: oldest
// first); the default route takes what none matches. Audited.
import type { Prisma } from "@/lib/generated/prisma/client";
import { db, type Tx } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { AppError, notFound } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/append-audit";
import { ZRouteInput, type RouteInput } from "@/lib/oncall/schemas";
import { storedMatchers } from "@/lib/oncall/matchers";

type RouteRow = Prisma.AlertRouteGetPayload<{ include: { policy: { select: { name: true } } } }>;

export function publicRoute(r: RouteRow) {
  return {
    id: r.id,
    name: r.name,
    matchers: storedMatchers(r.matchers),
    policy: r.policyId,
    policyName: r.policy.name,
    position: r.position,
    isDefault: r.isDefault,
    enabled: r.enabled,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

// Two admins saving routes at once must not both become the default or take the same next position.
async function lockRoutes(tx: Tx, orgId: string) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`oncall.routes:${orgId}`}))`;
}

async function check(tx: Tx, orgId: string, data: ReturnType<typeof ZRouteInput.parse>, self?: string) {
  const policy = await tx.escalationPolicy.findFirst({ where: { id: data.policy, orgId }, select: { id: true } });
  if (!policy) throw new AppError("validation_failed", "no such escalation policy in this organization", [{ path: ["policy"], message: "no such escalation policy" }]);
  if (data.isDefault) {
    const other = await tx.alertRoute.findFirst({ where: { orgId, isDefault: true, ...(self ? { id: { not: self } } : {}) }, select: { name: true } });
    if (other) throw new AppError("conflict", `route '${other.name}' is already the default route`);
  }
}

export async function createRoute({ actor, input }: { actor: Actor; input: RouteInput }) {
  assertCan(actor, "oncall.manage");
  const data = ZRouteInput.parse(input);
  return db.$transaction(async (tx) => {
    await lockRoutes(tx, actor.orgId);
    await check(tx, actor.orgId, data);
    const last = await tx.alertRoute.aggregate({ where: { orgId: actor.orgId }, _max: { position: true } });
    const r = await tx.alertRoute.create({
      data: {
        orgId: actor.orgId,
        name: data.name,
        matchers: data.matchers as Prisma.InputJsonValue,
        policyId: data.policy,
        position: data.position ?? (last._max.position ?? -1) + 1,
        isDefault: data.isDefault,
        enabled: data.enabled,
      },
      include: { policy: { select: { name: true } } },
    });
    await appendAudit(tx, { actor, action: "oncall.route_created", target: { type: "alert_route", id: r.id }, data: publicRoute(r) });
    return publicRoute(r);
  });
}

export async function updateRoute({ actor, id, input }: { actor: Actor; id: string; input: RouteInput }) {
  assertCan(actor, "oncall.manage");
  const data = ZRouteInput.parse(input);
  return db.$transaction(async (tx) => {
    await lockRoutes(tx, actor.orgId);
    const prior = await tx.alertRoute.findFirst({ where: { id, orgId: actor.orgId }, include: { policy: { select: { name: true } } } });
    if (!prior) throw notFound("route");
    await check(tx, actor.orgId, data, id);
    const r = await tx.alertRoute.update({
      where: { id },
      data: {
        name: data.name,
        matchers: data.matchers as Prisma.InputJsonValue,
        policyId: data.policy,
        position: data.position ?? prior.position,
        isDefault: data.isDefault,
        enabled: data.enabled,
      },
      include: { policy: { select: { name: true } } },
    });
    await appendAudit(tx, { actor, action: "oncall.route_updated", target: { type: "alert_route", id }, data: { before: publicRoute(prior), after: publicRoute(r) } });
    return publicRoute(r);
  });
}

export async function deleteRoute({ actor, id }: { actor: Actor; id: string }) {
  assertCan(actor, "oncall.manage");
  await db.$transaction(async (tx) => {
    const r = await tx.alertRoute.findFirst({ where: { id, orgId: actor.orgId } });
    if (!r) throw notFound("route");
    await tx.alertRoute.delete({ where: { id } });
    await appendAudit(tx, { actor, action: "oncall.route_deleted", target: { type: "alert_route", id }, data: { name: r.name } });
  });
}

/** In evaluation order. */
export async function orderedRoutes(orgId: string, tx: Tx = db) {
  return tx.alertRoute.findMany({ where: { orgId }, orderBy: [{ position: "asc" }, { createdAt: "asc" }], include: { policy: { select: { name: true } } } });
}

/**
 * Moves a route one place up or down in evaluation order and numbers all routes 0, 1, 2… so the order
 * no longer depends on creation time. Moving past either end changes nothing.
 */
export async function moveRoute({ actor, id, direction }: { actor: Actor; id: string; direction: "up" | "down" }) {
  assertCan(actor, "oncall.manage");
  return db.$transaction(async (tx) => {
    await lockRoutes(tx, actor.orgId);
    const routes = await orderedRoutes(actor.orgId, tx);
    const from = routes.findIndex((r) => r.id === id);
    if (from < 0) throw notFound("route");
    const to = direction === "up" ? from - 1 : from + 1;
    if (to < 0 || to >= routes.length) return routes.map(publicRoute);
    [routes[from], routes[to]] = [routes[to]!, routes[from]!];
    for (const [position, r] of routes.entries()) {
      if (r.position !== position) await tx.alertRoute.update({ where: { id: r.id }, data: { position } });
    }
    await appendAudit(tx, { actor, action: "oncall.routes_reordered", target: { type: "alert_route", id }, data: { direction, order: routes.map((r) => r.name) } });
    return routes.map((r, position) => publicRoute({ ...r, position }));
  });
}

/** In evaluation order; readable by anyone who sees on-call (who gets paged for what is no secret). */
export async function listRoutes({ actor }: { actor: Actor }) {
  assertCan(actor, "oncall.read");
  return (await orderedRoutes(actor.orgId)).map(publicRoute);
}
