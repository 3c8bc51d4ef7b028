// Suggest a run of a playbook. Authorization and validation are real; the run lifecycle arrives with the
// orchestrator issue, so a valid request ends in 501 rather than pretending to have started anything.
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { AppError, notFound } from "@/lib/errors";
import { ZRequestRunInput, type RequestRunInput } from "@/lib/orchestrator/schemas";

export async function requestRun({ actor, input }: { actor: Actor; input: RequestRunInput }): Promise<never> {
  assertCan(actor, "runs.request");
  const data = ZRequestRunInput.parse(input);
  if (data.incidentId) {
    const incident = await db.incident.findFirst({ where: { id: data.incidentId, orgId: actor.orgId }, select: { id: true } });
    if (!incident) throw notFound("incident");
  }
  throw new AppError("not_implemented", "runs cannot be executed yet: the orchestrator is not installed in this version");
}
