// "How did it go?": a note only on a finished run, by an operator, with who and when, on the audit chain.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { uploadPlaybook } from "@/lib/playbooks/save-playbook";
import { setOutcomeNote } from "@/lib/orchestrator/outcome-note";
import { makeActor, makeOrg } from "@/test/factories";
import { playbookYaml } from "@/test/playbook-fixtures";

async function runIn(status: "executing" | "succeeded") {
  const org = await makeOrg("note");
  const admin = await makeActor(org.id, "admin");
  await uploadPlaybook({ actor: admin, input: { source: playbookYaml("note-me", "low", [{ id: "w", action: "wait", with: { duration: "1s" } }]) } });
  const version = await db.playbookVersion.findFirstOrThrow({ where: { orgId: org.id, playbook: { name: "note-me" } } });
  const run = await db.run.create({
    data: { orgId: org.id, playbookVersionId: version.id, playbookName: "note-me", status, risk: "low", requiredApprovals: 1, params: {}, requestedById: "user:x", requestedByType: "user", requestedByLabel: "x", finishedAt: status === "succeeded" ? new Date() : null },
  });
  return { org, run };
}

describe("setOutcomeNote", () => {
  it("keeps the note of a finished run with who wrote it and when, and audits each change", async () => {
    const { org, run } = await runIn("succeeded");
    const operator = await makeActor(org.id, "operator");
    const first = await setOutcomeNote({ actor: operator, id: run.id, input: { note: "  restart helped for 5 minutes, then the leak came back  " } });
    expect(first).toMatchObject({ id: run.id, outcomeNote: "restart helped for 5 minutes, then the leak came back", outcomeNoteBy: operator.label });
    await setOutcomeNote({ actor: operator, id: run.id, input: { note: "the leak was in the new client library" } });
    const stored = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    expect(stored).toMatchObject({ outcomeNote: "the leak was in the new client library", outcomeNoteBy: operator.label });
    expect(stored.outcomeNoteAt).toBeInstanceOf(Date);
    const audit = await db.auditEvent.findMany({ where: { orgId: org.id, action: "run.outcome_noted" }, orderBy: { seq: "asc" } });
    expect(audit.map((a) => a.data)).toEqual([
      { note: "restart helped for 5 minutes, then the leak came back", previous: null },
      { note: "the leak was in the new client library", previous: "restart helped for 5 minutes, then the leak came back" },
    ]);
  });

  it("refuses a run still under way, an empty note, and a viewer", async () => {
    const { org, run } = await runIn("executing");
    const operator = await makeActor(org.id, "operator");
    await expect(setOutcomeNote({ actor: operator, id: run.id, input: { note: "too early" } })).rejects.toMatchObject({ code: "conflict" });
    const done = await runIn("succeeded");
    const op2 = await makeActor(done.org.id, "operator");
    const empty = await setOutcomeNote({ actor: op2, id: done.run.id, input: { note: "   " } }).catch((e: unknown) => e);
    expect(empty).toBeInstanceOf(z.ZodError);
    // The form shows this next to the field.
    expect((empty as z.ZodError).issues[0]).toMatchObject({ path: ["note"], message: "say in a few words how it went" });
    const viewer = await makeActor(done.org.id, "viewer");
    const denied = await setOutcomeNote({ actor: viewer, id: done.run.id, input: { note: "fine" } }).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(AppError);
    expect((denied as AppError).code).toBe("forbidden");
    expect((await db.run.findUniqueOrThrow({ where: { id: done.run.id } })).outcomeNote).toBeNull();
  });
});
