// Suggest: an operator asks for a playbook to be run (for an incident), with parameters. The run is
// created with its steps pending; by default the dry-run starts right away.
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { principalOf, type Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { AppError, notFound } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/append-audit";
import { timeline } from "@/lib/incidents/ingest-signals";
import { checkPlaybookVersion } from "@/lib/playbooks/verify-version";
import { orchestratorSettings } from "@/lib/orchestrator/settings";
import { signedPolicy } from "@/lib/orchestrator/preflight";
import { resolveParams } from "@/lib/orchestrator/params";
import { ZRequestRunInput, type RequestRunInput } from "@/lib/orchestrator/schemas";
import { startDryRun } from "@/lib/orchestrator/dry-run";

/** `againOf`: the run this one repeats ("Request again"); both runs' audit trails say so. */
export async function requestRun({ actor, input, againOf }: { actor: Actor; input: RequestRunInput; againOf?: string }) {
  assertCan(actor, "runs.request");
  const data = ZRequestRunInput.parse(input);
  const playbook = await db.playbook.findUnique({ where: { orgId_name: { orgId: actor.orgId, name: data.playbook } } });
  if (!playbook) throw notFound(`playbook '${data.playbook}'`);
  const version = await db.playbookVersion.findUnique({ where: { playbookId_version: { playbookId: playbook.id, version: data.version ?? playbook.latestVersion } } });
  if (!version) throw notFound(`playbook '${data.playbook}' version ${data.version}`);
  if (data.incidentId) {
    const incident = await db.incident.findFirst({ where: { id: data.incidentId, orgId: actor.orgId }, select: { id: true } });
    if (!incident) throw notFound("incident");
  }
  // Risk, quorum, params and steps come from the stored bytes, not the `spec` cache. A bad signature
  // does not stop the request (the dry-run report shows it and approval refuses); bytes that no longer
  // match their digest mean nothing, so there is nothing to request.
  const { spec } = await checkPlaybookVersion(db, version, await orchestratorSettings(actor.orgId));
  if (!spec) throw new AppError("unprocessable", `playbook '${data.playbook}' version ${version.version}: the stored bytes do not match their digest (the playbook was modified in the database)`);
  const policy = signedPolicy(spec);
  const params = resolveParams(spec.params, data.params);
  const runId = randomUUID();
  const run = await db.$transaction(async (tx) => {
    const created = await tx.run.create({
      data: {
        id: runId,
        orgId: actor.orgId,
        playbookVersionId: version.id,
        playbookName: playbook.name,
        incidentId: data.incidentId ?? null,
        risk: policy.risk,
        requiredApprovals: policy.approvals,
        params: params as Prisma.InputJsonValue,
        reason: data.reason ?? null,
        requestedById: principalOf(actor),
        requestedByType: actor.type,
        requestedByLabel: actor.label ?? actor.id,
        previousRunId: againOf ?? null,
        steps: {
          create: spec.steps.map((s, idx) => ({ orgId: actor.orgId, idx, stepId: s.id, action: s.action, idempotencyKey: `nops-${runId}-${s.id}` })),
        },
      },
    });
    await appendAudit(tx, {
      actor,
      action: "run.requested",
      target: { type: "run", id: runId },
      data: { playbook: playbook.name, version: version.version, digest: version.digest, risk: spec.risk, incidentId: data.incidentId ?? null, params, reason: data.reason ?? null, ...(againOf ? { againOf } : {}) },
    });
    if (againOf) await appendAudit(tx, { actor, action: "run.requested_again", target: { type: "run", id: againOf }, data: { runId } });
    if (data.incidentId) await timeline(tx, actor.orgId, data.incidentId, "run_requested", actor, { runId, playbook: playbook.name });
    return created;
  });
  return data.dryRun ? startDryRun({ actor, id: run.id }) : run;
}
