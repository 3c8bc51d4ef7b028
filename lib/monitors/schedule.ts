// One BullMQ job scheduler per monitor ("sharded by monitor"): every worker on the insight queue can
// take any monitor's scan, so N workers split the monitors between them. The worker also re-creates
// these from the database (lib/jobs/schedulers.ts), e.g. after Redis lost them.
import { queue } from "@/lib/jobs/queue";

export const scanSchedulerId = (monitorId: string) => `scan:${monitorId}`;

/** Scanning more often than every 5 s only adds load; a scan catches up on every point since the last. */
export const scanEveryMs = (stepSeconds: number) => Math.max(5, stepSeconds) * 1000;

export async function scheduleMonitorScan(monitor: { id: string; stepSeconds: number }) {
  await queue("insight").upsertJobScheduler(scanSchedulerId(monitor.id), { every: scanEveryMs(monitor.stepSeconds) }, { name: "monitor.scan", data: { monitorId: monitor.id } });
}

export async function unscheduleMonitorScan(monitorId: string) {
  await queue("insight").removeJobScheduler(scanSchedulerId(monitorId));
}
