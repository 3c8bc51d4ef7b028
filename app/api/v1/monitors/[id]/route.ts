import { z } from "zod";
import { route } from "@/lib/http/route";
import { deleteMonitor, updateMonitor } from "@/lib/monitors/manage-monitors";
import { ZMonitorInput } from "@/lib/monitors/schemas";

const params = z.object({ id: z.string().uuid() });

export const PUT = route({ name: "/api/v1/monitors/[id]", permission: "monitors.manage", params, body: ZMonitorInput }, async ({ actor, params, body }) => {
  const m = await updateMonitor({ actor, id: params.id, input: body });
  return { ...m, scannedUntil: m.scannedUntil === null ? null : Number(m.scannedUntil) };
});

export const DELETE = route({ name: "/api/v1/monitors/[id]", permission: "monitors.manage", params }, async ({ actor, params }) => {
  await deleteMonitor({ actor, id: params.id });
  return { deleted: params.id };
});
