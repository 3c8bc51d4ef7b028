import { z } from "zod";
import { route } from "@/lib/http/route";
import { requestRunAgain } from "@/lib/orchestrator/request-again";
import { ZRequestAgainInput } from "@/lib/orchestrator/schemas";

export const POST = route(
  { name: "/api/v1/runs/[id]/request-again", permission: "runs.request", params: z.object({ id: z.string().uuid() }), body: ZRequestAgainInput },
  async ({ actor, params, body }) => Response.json(await requestRunAgain({ actor, id: params.id, input: body }), { status: 201 }),
);
