import { z } from "zod";
import { route } from "@/lib/http/route";
import { rejectRun } from "@/lib/orchestrator/approve-run";
import { ZRejectInput } from "@/lib/orchestrator/schemas";

export const POST = route({ name: "/api/v1/runs/[id]/reject", permission: "runs.reject", params: z.object({ id: z.string().uuid() }), body: ZRejectInput }, ({ actor, params, body }) =>
  rejectRun({ actor, id: params.id, comment: body.comment }),
);
