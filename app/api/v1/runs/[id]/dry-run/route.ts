import { z } from "zod";
import { route } from "@/lib/http/route";
import { startDryRun } from "@/lib/orchestrator/dry-run";

export const POST = route({ name: "/api/v1/runs/[id]/dry-run", permission: "runs.dryrun", params: z.object({ id: z.string().uuid() }) }, async ({ actor, params }) =>
  Response.json(await startDryRun({ actor, id: params.id }), { status: 202 }),
);
