import { z } from "zod";
import { route } from "@/lib/http/route";
import { getRun } from "@/lib/orchestrator/list-runs";

export const GET = route({ name: "/api/v1/runs/[id]", permission: "runs.read", params: z.object({ id: z.string().uuid() }) }, ({ actor, params }) => getRun({ actor, id: params.id }));
