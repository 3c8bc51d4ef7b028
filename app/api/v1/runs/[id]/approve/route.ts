import { z } from "zod";
import { route } from "@/lib/http/route";
import { approveRun } from "@/lib/orchestrator/approve-run";
import { ZDecisionInput } from "@/lib/orchestrator/schemas";

export const POST = route({ name: "/api/v1/runs/[id]/approve", permission: "runs.approve", params: z.object({ id: z.string().uuid() }), body: ZDecisionInput }, ({ actor, params, body }) =>
  approveRun({ actor, id: params.id, comment: body.comment }),
);
