import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { notFound } from "@/lib/errors";
import { ZListRunsQuery, type ListRunsQuery } from "@/lib/orchestrator/schemas";
import { APPROVAL_POLICY, type RunStatus } from "@/lib/orchestrator/policy";

export async function countRuns({ actor, status }: { actor: Actor; status: RunStatus }) {
  assertCan(actor, "runs.read");
  return db.run.count({ where: { orgId: actor.orgId, status } });
}

/** Runs waiting for a decision with everything an approver reads (dry-run report, approvals so far). */
export async function listAwaitingApproval({ actor, limit = 100 }: { actor: Actor; limit?: number }) {
  assertCan(actor, "runs.read");
  const runs = await db.run.findMany({
    where: { orgId: actor.orgId, status: "awaiting_approval" },
    orderBy: { createdAt: "desc" },
    take: limit,
    include: {
      steps: { orderBy: { idx: "asc" } },
      approvals: { orderBy: { createdAt: "asc" } },
      incident: { select: { id: true, title: true, severity: true, status: true } },
      playbookVersion: { select: { version: true, digest: true, signature: true } },
    },
  });
  return runs.map((run) => ({ ...run, policy: APPROVAL_POLICY[run.risk] }));
}

export async function listRuns({ actor, query }: { actor: Actor; query: ListRunsQuery }) {
  assertCan(actor, "runs.read");
  const q = ZListRunsQuery.parse(query);
  const runs = await db.run.findMany({
    where: { orgId: actor.orgId, ...(q.status ? { status: q.status } : {}), ...(q.incidentId ? { incidentId: q.incidentId } : {}) },
    orderBy: { createdAt: "desc" },
    take: q.limit,
    include: { incident: { select: { id: true, title: true } }, approvals: { select: { userLabel: true, decision: true, createdAt: true } }, playbookVersion: { select: { version: true } } },
  });
  return runs.map(({ playbookVersion, dryRunReport: _report, ...r }) => ({ ...r, playbookVersion: playbookVersion.version }));
}

export async function getRun({ actor, id }: { actor: Actor; id: string }) {
  assertCan(actor, "runs.read");
  const run = await db.run.findFirst({
    where: { id, orgId: actor.orgId },
    include: {
      steps: { orderBy: { idx: "asc" } },
      approvals: { orderBy: { createdAt: "asc" } },
      incident: { select: { id: true, title: true, severity: true, status: true } },
      playbookVersion: { select: { version: true, digest: true, signature: true } },
      previousRun: { select: { id: true, status: true } },
      nextRuns: { select: { id: true, status: true, createdAt: true }, orderBy: { createdAt: "asc" } },
    },
  });
  if (!run) throw notFound("run");
  return { ...run, policy: APPROVAL_POLICY[run.risk] };
}
