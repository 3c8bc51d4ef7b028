// A person's word on how a finished run went ("restart helped for 5 minutes, then the leak came back"). The
// recommender reads it as evidence about the playbook and about what was wrong (lib/recommend/evidence.ts).
import { z } from "zod";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { AppError } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/append-audit";
import { lockRun } from "@/lib/orchestrator/transition";
import { TERMINAL, type RunStatus } from "@/lib/orchestrator/policy";

export const ZOutcomeNoteInput = z.object({ note: z.string().trim().min(1, "say in a few words how it went").max(2000, "at most 2,000 characters") }).strict();

export async function setOutcomeNote({ actor, id, input }: { actor: Actor; id: string; input: z.input<typeof ZOutcomeNoteInput> }) {
  assertCan(actor, "runs.request");
  const { note } = ZOutcomeNoteInput.parse(input);
  return db.$transaction(async (tx) => {
    const run = await lockRun(tx, id, actor.orgId);
    if (!TERMINAL.has(run.status as RunStatus)) throw new AppError("conflict", `the run is ${run.status}; say how it went once it has finished`);
    const by = actor.label ?? actor.id;
    const updated = await tx.run.update({ where: { id }, data: { outcomeNote: note, outcomeNoteBy: by, outcomeNoteAt: new Date() } });
    await appendAudit(tx, { actor, action: "run.outcome_noted", target: { type: "run", id }, data: { note, previous: run.outcomeNote ?? null } });
    return { id, outcomeNote: updated.outcomeNote, outcomeNoteBy: by, outcomeNoteAt: updated.outcomeNoteAt };
  });
}
