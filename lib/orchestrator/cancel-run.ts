// Cancel. Before execution it is immediate. During execution it is a request the executor honours
// between steps: a step whose side effect is under way is never interrupted half-way.
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { AppError } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/append-audit";
import { lockRun, moveRun } from "@/lib/orchestrator/transition";

export async function cancelRun({ actor, id, reason }: { actor: Actor; id: string; reason?: string }) {
  assertCan(actor, "runs.cancel");
  return db.$transaction(async (tx) => {
    const run = await lockRun(tx, id, actor.orgId);
    if (run.status === "executing") {
      if (run.cancelRequestedAt) throw new AppError("conflict", "cancellation already requested; the run stops after its current step");
      const updated = await tx.run.update({ where: { id }, data: { cancelRequestedAt: new Date() } });
      await appendAudit(tx, { actor, action: "run.cancel_requested", target: { type: "run", id }, data: { reason: reason ?? null } });
      return updated;
    }
    const updated = await moveRun(tx, run, "cancelled", { actor, action: "run.cancelled", data: { reason: reason ?? null } });
    await tx.runStep.updateMany({ where: { runId: id, status: "pending" }, data: { status: "cancelled" } });
    return updated;
  });
}
