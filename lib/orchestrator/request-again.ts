// "Request again": a new run of the same playbook version, with the same params, for the same incident,
// and a fresh dry-run — the way forward from a run that failed, or whose dry-run said it cannot run (that
// one is cancelled, so one intent never has two runs waiting for approval).
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { AppError, notFound } from "@/lib/errors";
import { canRequestAgain, TERMINAL } from "@/lib/orchestrator/policy";
import { requestRun } from "@/lib/orchestrator/request-run";
import { cancelRun } from "@/lib/orchestrator/cancel-run";
import type { RequestAgainInput } from "@/lib/orchestrator/schemas";
import type { ParamValue } from "@/lib/orchestrator/params";

export async function requestRunAgain({ actor, id, input = {} }: { actor: Actor; id: string; input?: RequestAgainInput }) {
  assertCan(actor, "runs.request");
  const old = await db.run.findFirst({ where: { id, orgId: actor.orgId }, include: { playbookVersion: { select: { version: true } } } });
  if (!old) throw notFound("run");
  if (!canRequestAgain(old)) throw new AppError("conflict", `run is ${old.status.replaceAll("_", " ")}: request it again once it has finished, or cancel it`);
  const superseded = !TERMINAL.has(old.status);
  if (superseded) assertCan(actor, "runs.cancel");
  const run = await requestRun({
    actor,
    againOf: old.id,
    input: {
      playbook: old.playbookName,
      version: old.playbookVersion.version,
      ...(old.incidentId ? { incidentId: old.incidentId } : {}),
      params: old.params as Record<string, ParamValue>,
      ...((input.reason ?? old.reason) ? { reason: input.reason ?? old.reason! } : {}),
    },
  });
  if (superseded) await cancelRun({ actor, id: old.id, reason: `requested again as run ${run.id}` });
  return run;
}
