import { route, json } from "@/lib/http/route";
import { createMonitor, listMonitors } from "@/lib/monitors/manage-monitors";
import { ZMonitorInput } from "@/lib/monitors/schemas";

export const GET = route({ name: "/api/v1/monitors", permission: "incidents.read" }, async ({ actor }) => ({ monitors: (await listMonitors({ actor })).map(serialize) }));

export const POST = route({ name: "/api/v1/monitors", permission: "monitors.manage", body: ZMonitorInput }, async ({ actor, body }) => json(serialize(await createMonitor({ actor, input: body })), 201));

// BigInt (scannedUntil) has no JSON form.
function serialize<T extends { scannedUntil: bigint | null }>(m: T) {
  return { ...m, scannedUntil: m.scannedUntil === null ? null : Number(m.scannedUntil) };
}
