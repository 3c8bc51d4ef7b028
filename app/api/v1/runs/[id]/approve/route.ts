import { z } from "zod";
import { route } from "@/lib/http/route";
import { approveRun } from "@/lib/orchestrator/approve-run";
import { ZApproveInput } from "@/lib/orchestrator/schemas";

export const POST = route({ name: "/api/v1/runs/[id]/approve", permission: "runs.approve", params: z.object({ id: z.string().uuid() }), body: ZApproveInput }, ({ actor, params, body }) =>
  approveRun({ actor, id: params.id, comment: body.comment, ...(body.override ? { override: { reason: body.reason! } } : {}) }),
);
