// An incident's paging state and notifications (GET /api/v1/incidents/:id/notifications).
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { notFound } from "@/lib/errors";
import { stepOf, totalSeqs, type Plan } from "@/lib/oncall/plan";
import { namesOf } from "@/lib/oncall/schedules/load-spec";

export async function listIncidentNotifications({ actor, id }: { actor: Actor; id: string }) {
  assertCan(actor, "incidents.read");
  const incident = await db.incident.findFirst({ where: { id, orgId: actor.orgId }, select: { id: true } });
  if (!incident) throw notFound("incident");
  const [page, attempts] = await Promise.all([
    db.incidentPage.findUnique({ where: { incidentId: id } }),
    db.notificationAttempt.findMany({ where: { incidentId: id, orgId: actor.orgId }, orderBy: [{ at: "asc" }, { id: "asc" }], take: 1000 }),
  ]);
  const plan = page?.plan as Plan | null | undefined;
  // Names only (as schedules show them): a person notified shows as themselves, not as an id.
  const names = await namesOf(db, actor.orgId, attempts.flatMap((a) => (a.recipient.startsWith("user:") ? [a.recipient.slice(5)] : [])));
  return {
    page: page
      ? {
          status: page.status,
          reason: page.reason,
          route: page.routeId ? { id: page.routeId, name: page.routeName } : null,
          policy: page.policyId ? { id: page.policyId, name: page.policyName } : null,
          silenceId: page.silenceId,
          startedAt: page.startedAt,
          // Steps notified so far (over all repeats), and the next one while paging goes on.
          notifiedSteps: page.seq,
          totalSteps: plan ? totalSeqs(plan) : 0,
          next: plan && page.nextAt ? { step: stepOf(plan, page.seq).index, repeat: stepOf(plan, page.seq).cycle, at: page.nextAt } : null,
        }
      : null,
    attempts: attempts.map((a) => ({
      id: a.id,
      channel: { id: a.channelId, name: a.channelName, type: a.channelType },
      recipient: a.recipient,
      recipientName: a.recipient.startsWith("user:") ? (names.get(a.recipient.slice(5)) ?? null) : null,
      address: a.address,
      event: a.event,
      step: a.step,
      repeat: a.cycle,
      status: a.status,
      attempts: a.attempts,
      retries: Math.max(0, a.attempts - 1),
      latencyMs: a.latencyMs,
      responseStatus: a.responseStatus,
      error: a.error,
      at: a.at,
      sentAt: a.sentAt,
    })),
  };
}

/**
 * Who was asked to approve a run, when, through what, and how each request went
 * (GET /api/v1/runs/:id/notifications; the run page lists them).
 */
export async function listRunNotifications({ actor, id }: { actor: Actor; id: string }) {
  assertCan(actor, "runs.read");
  const run = await db.run.findFirst({ where: { id, orgId: actor.orgId }, select: { id: true } });
  if (!run) throw notFound("run");
  const attempts = await db.notificationAttempt.findMany({ where: { runId: id, orgId: actor.orgId }, orderBy: [{ at: "asc" }, { id: "asc" }], take: 1000 });
  const userIds = [...new Set(attempts.flatMap((a) => (a.recipient.startsWith("user:") ? [a.recipient.slice(5)] : [])))];
  const users = new Map((await db.user.findMany({ where: { id: { in: userIds }, memberships: { some: { orgId: actor.orgId } } }, select: { id: true, email: true, name: true } })).map((u) => [u.id, u]));
  return {
    attempts: attempts.map((a) => {
      const user = a.recipient.startsWith("user:") ? (users.get(a.recipient.slice(5)) ?? null) : null;
      return {
        id: a.id,
        channel: { id: a.channelId, name: a.channelName, type: a.channelType },
        recipient: a.recipient,
        user: user ? { id: user.id, email: user.email, name: user.name } : null,
        address: a.address,
        event: a.event,
        status: a.status,
        attempts: a.attempts,
        error: a.error,
        at: a.at,
        sentAt: a.sentAt,
      };
    }),
  };
}
