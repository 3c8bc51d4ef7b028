// Approvers are paged too: when a run starts waiting for approval, it is routed like an incident whose
// labels are {neuralops_event="approval_requested", playbook=<name>, risk=<low|medium|high>} on top of
// its incident's labels. Only routes with a matcher on `neuralops_event` take approval requests (and
// the default route never does), so incident routes never page for approvals by accident. The matching
// route's escalation policy's first step is notified once — Slack with Approve / Reject buttons, email,
// Teams and webhooks with a link to the run's page; PagerDuty targets are skipped. The notifications are
// made in the transaction that moves the run to awaiting_approval, so a crash cannot lose them.
import { randomUUID } from "node:crypto";
import type { Prisma, Run } from "@/lib/generated/prisma/client";
import { systemActor } from "@/lib/context";
import { appendAudit } from "@/lib/audit/append-audit";
import { storedMatchers, matchesAll, type Labels } from "@/lib/oncall/matchers";
import { storedTargets } from "@/lib/oncall/policy-targets";
import { resolveTargets } from "@/lib/oncall/targets";
import { APPROVAL_EVENT } from "@/lib/oncall/messages";

export const APPROVAL_LABEL = "neuralops_event";

export function approvalLabels(run: Pick<Run, "playbookName" | "risk">, incidentLabels: Labels = {}): Labels {
  return { ...incidentLabels, [APPROVAL_LABEL]: "approval_requested", playbook: run.playbookName, risk: run.risk };
}

async function pickApprovalRoute(tx: Prisma.TransactionClient, orgId: string, labels: Labels) {
  const routes = await tx.alertRoute.findMany({
    where: { orgId, enabled: true, isDefault: false },
    orderBy: [{ position: "asc" }, { createdAt: "asc" }],
    include: { policy: { include: { steps: { orderBy: { position: "asc" }, take: 1 } } } },
  });
  return (
    routes.find((r) => {
      const matchers = storedMatchers(r.matchers);
      return matchers.some((m) => m.label === APPROVAL_LABEL) && matchesAll(matchers, labels);
    }) ?? null
  );
}

/**
 * Inside the transaction that moved `run` to awaiting_approval: the approval requests to send (ids to
 * enqueue once it commits). Each dry-run completion asks again (a re-planned run needs new approvals).
 */
export async function notifyApprovers(tx: Prisma.TransactionClient, run: Run, now = new Date()): Promise<string[]> {
  const incident = run.incidentId ? await tx.incident.findUnique({ where: { id: run.incidentId }, select: { labels: true } }) : null;
  const route = await pickApprovalRoute(tx, run.orgId, approvalLabels(run, (incident?.labels ?? {}) as Labels));
  const step = route?.policy.steps[0];
  if (!route || !step) return [];
  const { recipients, problems } = await resolveTargets(tx, run.orgId, storedTargets(step.targets), now);
  const usable = recipients.filter((r) => r.channelType !== "pagerduty");
  if (usable.length < recipients.length) problems.push("PagerDuty targets are not used for approval requests");
  // One request per recipient and channel per dry-run completion (its approval deadline tells them apart).
  const round = run.approvalExpiresAt?.getTime() ?? now.getTime();
  const rows = usable.map((r) => ({
    id: randomUUID(),
    orgId: run.orgId,
    runId: run.id,
    channelId: r.channelId,
    channelName: r.channelName,
    channelType: r.channelType,
    recipient: r.recipient,
    address: r.address,
    event: APPROVAL_EVENT,
    step: 0,
    dedupKey: `approval-${run.id}-${round}-${r.channelId}-${r.recipient}`,
  }));
  await tx.notificationAttempt.createMany({ data: rows, skipDuplicates: true });
  await appendAudit(tx, {
    actor: systemActor("oncall", run.orgId),
    action: "run.approvers_paged",
    target: { type: "run", id: run.id },
    data: { route: { id: route.id, name: route.name }, policy: { id: route.policyId, name: route.policy.name }, recipients: usable.map((r) => r.label), ...(problems.length ? { problems } : {}) },
  });
  return rows.map((r) => r.id);
}
