import { scanMonitor } from "@/lib/monitors/scan-monitor";
import type { ParsedPayload } from "@/lib/jobs/definitions";

export async function handleMonitorScan(payload: ParsedPayload<"monitor.scan">) {
  return scanMonitor({ monitorId: payload.monitorId });
}
