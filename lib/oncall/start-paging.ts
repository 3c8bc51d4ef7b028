// A new incident (job oncall.incident_opened): quiet if a silence or an inhibition rule says so, else
// the first matching route's escalation policy starts. Each outcome is an IncidentPage and a timeline
// event. Safe to run twice: an incident already paging (or paged) is left alone; a silenced or inhibited
// one is evaluated again (the sweep does that, so paging starts when a silence ends before the incident).
import type { Prisma } from "@/lib/generated/prisma/client";
import { db, type Tx } from "@/lib/db";
import { systemActor } from "@/lib/context";
import { timeline } from "@/lib/incidents/ingest-signals";
import { formatMatchers, storedMatchers } from "@/lib/oncall/matchers";
import { findInhibition, findSilence, loadSubject } from "@/lib/oncall/suppression";
import { pickRoute } from "@/lib/oncall/route-incident";
import { dueAt, planOf } from "@/lib/oncall/plan";
import { scheduleEscalation } from "@/lib/oncall/escalation-jobs";

const REEVALUATED = new Set(["silenced", "inhibited"]);

type Outcome = { status: string; pageId?: string; seq?: number; nextAt?: Date | null };

type PageFields = Omit<Prisma.IncidentPageUncheckedCreateInput, "orgId" | "incidentId">;

async function savePage(tx: Tx, orgId: string, incidentId: string, fields: PageFields) {
  return tx.incidentPage.upsert({ where: { incidentId }, create: { orgId, incidentId, ...fields }, update: fields });
}

export async function startPaging(incidentId: string, now = new Date()): Promise<Outcome> {
  const outcome = await db.$transaction(async (tx): Promise<Outcome> => {
    // One evaluation at a time per incident (the job and the sweep may both try); ack and resolve wait.
    await tx.$executeRaw`SELECT 1 FROM "Incident" WHERE id = ${incidentId}::uuid FOR UPDATE`;
    const subject = await loadSubject(incidentId, tx);
    if (!subject) return { status: "no such incident" };
    const page = await tx.incidentPage.findUnique({ where: { incidentId } });
    // Already paging: only make sure its next step is scheduled (a crash may have come before that).
    if (page && !REEVALUATED.has(page.status)) return { status: page.status, pageId: page.id, seq: page.seq, nextAt: page.nextAt };
    if (subject.status !== "open") return { status: `incident ${subject.status}` };
    const { orgId } = subject;
    const actor = systemActor("oncall", orgId);

    const silence = await findSilence(subject, now, tx);
    if (silence) {
      if (page?.status === "silenced" && page.silenceId === silence.id) {
        await tx.incidentPage.update({ where: { id: page.id }, data: { updatedAt: now } });
        return { status: "silenced", pageId: page.id };
      }
      const reason = `silenced by "${silence.comment}" (${silence.createdBy}, until ${silence.endsAt.toISOString()})`;
      const saved = await savePage(tx, orgId, incidentId, { status: "silenced", silenceId: silence.id, reason, nextAt: null });
      await timeline(tx, orgId, incidentId, "silenced", actor, { message: reason, silenceId: silence.id, matchers: formatMatchers(storedMatchers(silence.matchers)), ...(silence.recurrence ? { maintenanceWindow: true } : {}) });
      return { status: "silenced", pageId: saved.id };
    }

    const inhibition = await findInhibition(subject, tx);
    if (inhibition) {
      const reason = `inhibited by rule "${inhibition.rule.name}": a firing ${inhibition.sourceLabels.alertname ?? "alert"} ${formatMatchers(storedMatchers(inhibition.rule.sourceMatchers))}`;
      if (page?.status === "inhibited" && page.reason === reason) {
        await tx.incidentPage.update({ where: { id: page.id }, data: { updatedAt: now } });
        return { status: "inhibited", pageId: page.id };
      }
      const saved = await savePage(tx, orgId, incidentId, { status: "inhibited", silenceId: null, reason, nextAt: null });
      await timeline(tx, orgId, incidentId, "inhibited", actor, { message: reason, ruleId: inhibition.rule.id, sourceSignalId: inhibition.sourceSignalId });
      return { status: "inhibited", pageId: saved.id };
    }

    const route = await pickRoute(orgId, subject.labels, tx);
    if (!route) {
      const saved = await savePage(tx, orgId, incidentId, { status: "unrouted", silenceId: null, reason: "no route matches and there is no default route", nextAt: null });
      // An organization that does not use on-call at all gets no line about it on every incident.
      if (await tx.alertRoute.count({ where: { orgId } })) {
        await timeline(tx, orgId, incidentId, "unrouted", actor, { message: "nobody paged: no route matches and there is no default route" });
      }
      return { status: "unrouted", pageId: saved.id };
    }
    const plan = planOf(route.policy);
    const nextAt = dueAt(plan, now, 0);
    const saved = await savePage(tx, orgId, incidentId, {
      status: "active",
      routeId: route.id,
      routeName: route.name,
      policyId: route.policyId,
      policyName: route.policy.name,
      plan: plan as unknown as Prisma.InputJsonValue,
      seq: 0,
      nextAt,
      startedAt: now,
      silenceId: null,
      reason: page ? `paging after ${page.status === "silenced" ? "the silence ended" : "the inhibiting alert stopped"}` : null,
    });
    await timeline(tx, orgId, incidentId, "paging_started", actor, {
      message: `route "${route.name}" → escalation policy "${route.policy.name}"${page ? ` (${page.status === "silenced" ? "silence ended" : "no longer inhibited"})` : ""}`,
      routeId: route.id,
      policyId: route.policyId,
    });
    return { status: "active", pageId: saved.id, seq: 0, nextAt };
  });
  if (outcome.status === "active" && outcome.pageId && outcome.nextAt) await scheduleEscalation(outcome.pageId, outcome.seq ?? 0, outcome.nextAt);
  return outcome;
}
