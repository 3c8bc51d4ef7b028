// "Silence 1 h" from a notification: a silence whose matchers are the incident's labels (label="value"
// for each), and the incident's own paging stops now, as if the silence had been there when it opened.
// The sweep evaluates a silenced page again every minute: if the incident is still open when the
// silence ends, paging starts over from the first step.
import type { Actor } from "@/lib/context";
import { db } from "@/lib/db";
import { assertCan } from "@/lib/authz/assert-can";
import { AppError, notFound } from "@/lib/errors";
import { timeline } from "@/lib/incidents/ingest-signals";
import { createSilence } from "@/lib/oncall/manage-silences";
import { cancelEscalation } from "@/lib/oncall/escalation-jobs";
import { ZMatcher, type Matcher } from "@/lib/oncall/matchers";

const MAX_MATCHERS = 50;

export async function silenceIncident({ actor, incidentId, minutes = 60, source }: { actor: Actor; incidentId: string; minutes?: number; source: string }) {
  assertCan(actor, "silences.manage");
  const inc = await db.incident.findFirst({ where: { id: incidentId, orgId: actor.orgId }, select: { id: true, title: true, status: true, labels: true } });
  if (!inc) throw notFound("incident");
  if (inc.status === "resolved") throw new AppError("conflict", "the incident is resolved: there is nothing to silence");
  const matchers = Object.entries((inc.labels ?? {}) as Record<string, string>)
    .filter(([, value]) => value !== "")
    .map(([label, value]): Matcher => ({ label, op: "=", value }))
    .filter((m) => ZMatcher.safeParse(m).success)
    .slice(0, MAX_MATCHERS);
  if (!matchers.length) throw new AppError("unprocessable", "the incident has no labels to silence on: create a silence on the Silences page");
  const silence = await createSilence({
    actor,
    input: { matchers, endsAt: new Date(Date.now() + minutes * 60_000), comment: `silenced for ${minutes} min from ${source}: ${inc.title}`.slice(0, 1000) },
  });

  const stopped = await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT 1 FROM "IncidentPage" WHERE "incidentId" = ${incidentId}::uuid FOR UPDATE`;
    const page = await tx.incidentPage.findUnique({ where: { incidentId } });
    if (!page || page.status !== "active") return null;
    const reason = `silenced by "${silence.comment}" (${silence.createdBy}, until ${silence.endsAt.toISOString()})`;
    await tx.incidentPage.update({ where: { id: page.id }, data: { status: "silenced", silenceId: silence.id, reason, nextAt: null } });
    await timeline(tx, actor.orgId, incidentId, "silenced", actor, { message: reason, silenceId: silence.id });
    return { pageId: page.id, seq: page.seq };
  });
  if (stopped) await cancelEscalation(stopped.pageId, stopped.seq);
  return { silence, pagingStopped: stopped !== null };
}
