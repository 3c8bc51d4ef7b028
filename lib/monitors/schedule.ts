// One BullMQ job scheduler per monitor ("sharded by monitor"): every worker on the insight queue can
// take any monitor's scan, so N workers split the monitors between them.
import { queue } from "@/lib/jobs/queue";

export async function scheduleMonitorScan(monitor: { id: string; stepSeconds: number }) {
  await queue("insight").upsertJobScheduler(
    `scan:${monitor.id}`,
    // Scanning more often than every 5 s only adds load; a scan catches up on every point since the last.
    { every: Math.max(5, monitor.stepSeconds) * 1000 },
    { name: "monitor.scan", data: { monitorId: monitor.id } },
  );
}

export async function unscheduleMonitorScan(monitorId: string) {
  await queue("insight").removeJobScheduler(`scan:${monitorId}`);
}
