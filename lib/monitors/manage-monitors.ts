// Monitor CRUD. Every change is audited and (re)schedules the monitor's scan job.
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { AppError, notFound } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/append-audit";
import { scheduleMonitorScan, unscheduleMonitorScan } from "@/lib/monitors/schedule";
import { ZMonitorInput, type MonitorInput } from "@/lib/monitors/schemas";
import { orgHasCluster } from "@/lib/agents/clusters";

/** A monitor may read through one of the org's own clusters only. */
async function assertOwnCluster(tx: Prisma.TransactionClient, orgId: string, clusterId: string | null) {
  if (clusterId && !(await orgHasCluster(tx, orgId, clusterId)))
    throw new AppError("validation_failed", "no such cluster in this organization", [{ path: ["clusterId"], message: "no such cluster" }]);
}

function isUniqueViolation(err: unknown) {
  return (err as { code?: string }).code === "P2002";
}

/** Where the first scan starts: the preview's window when given (never in the future), else the default history. */
function firstScanFrom(historyFrom: number | null, now = Date.now()): bigint | null {
  return historyFrom === null ? null : BigInt(Math.min(historyFrom, now));
}

export async function createMonitor({ actor, input }: { actor: Actor; input: MonitorInput }) {
  assertCan(actor, "monitors.manage");
  const { historyFrom, ...data } = ZMonitorInput.parse(input);
  try {
    const monitor = await db.$transaction(async (tx) => {
      await assertOwnCluster(tx, actor.orgId, data.clusterId);
      // scannedUntil is where the next scan starts: for a new monitor, the start of its history.
      const m = await tx.monitor.create({ data: { ...data, orgId: actor.orgId, detector: data.detector as Prisma.InputJsonValue, scannedUntil: firstScanFrom(historyFrom) } });
      await appendAudit(tx, { actor, action: "monitor.created", target: { type: "monitor", id: m.id }, data: { name: m.name, query: m.query, clusterId: m.clusterId } });
      return m;
    });
    if (monitor.enabled) await scheduleMonitorScan(monitor);
    return monitor;
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("conflict", `a monitor named '${data.name}' exists`);
    throw err;
  }
}

export async function updateMonitor({ actor, id, input }: { actor: Actor; id: string; input: MonitorInput }) {
  assertCan(actor, "monitors.manage");
  const { historyFrom, ...data } = ZMonitorInput.parse(input);
  const monitor = await db.$transaction(async (tx) => {
    const prior = await tx.monitor.findFirst({ where: { id, orgId: actor.orgId } });
    if (!prior) throw notFound("monitor");
    await assertOwnCluster(tx, actor.orgId, data.clusterId);
    // Another source is another set of series, as much as another query is.
    const detectorChanged = JSON.stringify(prior.detector) !== JSON.stringify(data.detector) || prior.query !== data.query || prior.clusterId !== data.clusterId;
    // A different query or detector makes the stored detector state meaningless: it learns again from
    // history, as a new monitor does (else it would start cold on the next point and flag the baseline).
    const m = await tx.monitor.update({
      where: { id },
      data: { ...data, detector: data.detector as Prisma.InputJsonValue, ...(detectorChanged ? { scannedUntil: firstScanFrom(historyFrom) } : {}) },
    });
    if (detectorChanged) await tx.monitorSeries.deleteMany({ where: { monitorId: id } });
    await appendAudit(tx, { actor, action: "monitor.updated", target: { type: "monitor", id }, data: { name: m.name, query: m.query, clusterId: m.clusterId, resetState: detectorChanged } });
    return m;
  });
  if (monitor.enabled) await scheduleMonitorScan(monitor);
  else await unscheduleMonitorScan(monitor.id);
  return monitor;
}

export async function deleteMonitor({ actor, id }: { actor: Actor; id: string }) {
  assertCan(actor, "monitors.manage");
  await db.$transaction(async (tx) => {
    const m = await tx.monitor.findFirst({ where: { id, orgId: actor.orgId } });
    if (!m) throw notFound("monitor");
    await tx.monitor.delete({ where: { id } });
    await appendAudit(tx, { actor, action: "monitor.deleted", target: { type: "monitor", id }, data: { name: m.name } });
  });
  await unscheduleMonitorScan(id);
}

export async function listMonitors({ actor }: { actor: Actor }) {
  assertCan(actor, "incidents.read");
  return db.monitor.findMany({ where: { orgId: actor.orgId }, orderBy: { name: "asc" }, include: { cluster: { select: { name: true } } } });
}
