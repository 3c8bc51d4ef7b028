// Silences and maintenance windows (operators and up). Like Alertmanager's: a silence is never edited in
// place; expiring one ends it now. Audited.
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { AppError, notFound } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/append-audit";
import { ZSilenceInput, type SilenceInput } from "@/lib/oncall/schemas";
import { storedMatchers } from "@/lib/oncall/matchers";
import { inWindow, type Recurrence } from "@/lib/oncall/recurrence";

type SilenceRow = { id: string; matchers: unknown; startsAt: Date; endsAt: Date; comment: string; createdBy: string; recurrence: unknown; createdAt: Date };

/** pending (not started), active (muting now), outside_window (a maintenance window between its times), expired. */
export function silenceState(s: Pick<SilenceRow, "startsAt" | "endsAt" | "recurrence">, at = new Date()) {
  if (at >= s.endsAt) return "expired" as const;
  if (at < s.startsAt) return "pending" as const;
  if (s.recurrence && !inWindow(s.recurrence as Recurrence, at)) return "outside_window" as const;
  return "active" as const;
}

export function publicSilence(s: SilenceRow, at = new Date()) {
  return {
    id: s.id,
    matchers: storedMatchers(s.matchers),
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    comment: s.comment,
    createdBy: s.createdBy,
    recurrence: (s.recurrence as Recurrence | null) ?? null,
    state: silenceState(s, at),
    createdAt: s.createdAt,
  };
}

export async function createSilence({ actor, input }: { actor: Actor; input: SilenceInput }) {
  assertCan(actor, "silences.manage");
  const data = ZSilenceInput.parse(input);
  const now = new Date();
  if (data.endsAt <= now) throw new AppError("validation_failed", "endsAt must be in the future", [{ path: ["endsAt"], message: "must be in the future" }]);
  return db.$transaction(async (tx) => {
    const s = await tx.silence.create({
      data: {
        orgId: actor.orgId,
        matchers: data.matchers as Prisma.InputJsonValue,
        startsAt: data.startsAt ?? now,
        endsAt: data.endsAt,
        comment: data.comment,
        createdBy: actor.label ?? `${actor.type}:${actor.id}`,
        createdById: actor.userId ?? (actor.type === "user" ? actor.id : null),
        ...(data.recurrence ? { recurrence: data.recurrence as Prisma.InputJsonValue } : {}),
      },
    });
    await appendAudit(tx, { actor, action: "oncall.silence_created", target: { type: "silence", id: s.id }, data: publicSilence(s, now) });
    return publicSilence(s, now);
  });
}

export async function expireSilence({ actor, id }: { actor: Actor; id: string }) {
  assertCan(actor, "silences.manage");
  return db.$transaction(async (tx) => {
    const s = await tx.silence.findFirst({ where: { id, orgId: actor.orgId } });
    if (!s) throw notFound("silence");
    const now = new Date();
    if (s.endsAt <= now) throw new AppError("conflict", "the silence has already expired");
    // A silence that has not started yet ends before it begins.
    const updated = await tx.silence.update({ where: { id }, data: { endsAt: now, ...(s.startsAt > now ? { startsAt: now } : {}) } });
    await appendAudit(tx, { actor, action: "oncall.silence_expired", target: { type: "silence", id }, data: { comment: s.comment, endsAtBefore: s.endsAt } });
    return publicSilence(updated, now);
  });
}

/** Current and future silences; with `includeExpired`, also those that ended in the last 7 days. */
export async function listSilences({ actor, includeExpired = false }: { actor: Actor; includeExpired?: boolean }) {
  assertCan(actor, "incidents.read");
  const now = new Date();
  const since = includeExpired ? new Date(now.getTime() - 7 * 24 * 3600_000) : now;
  const rows = await db.silence.findMany({ where: { orgId: actor.orgId, endsAt: { gt: since } }, orderBy: [{ endsAt: "asc" }], take: 1000 });
  return rows.map((s) => publicSilence(s, now));
}
