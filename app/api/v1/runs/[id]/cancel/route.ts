import { z } from "zod";
import { route } from "@/lib/http/route";
import { cancelRun } from "@/lib/orchestrator/cancel-run";
import { ZCancelInput } from "@/lib/orchestrator/schemas";

export const POST = route({ name: "/api/v1/runs/[id]/cancel", permission: "runs.cancel", params: z.object({ id: z.string().uuid() }), body: ZCancelInput }, ({ actor, params, body }) =>
  cancelRun({ actor, id: params.id, reason: body.reason }),
);
