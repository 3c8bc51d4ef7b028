import { route } from "@/lib/http/route";
import { requestRun } from "@/lib/orchestrator/request-run";
import { listRuns } from "@/lib/orchestrator/list-runs";
import { ZListRunsQuery, ZRequestRunInput } from "@/lib/orchestrator/schemas";

export const GET = route({ name: "/api/v1/runs", permission: "runs.read", query: ZListRunsQuery }, ({ actor, query }) => listRuns({ actor, query }));

export const POST = route({ name: "/api/v1/runs", permission: "runs.request", body: ZRequestRunInput }, async ({ actor, body }) => Response.json(await requestRun({ actor, input: body }), { status: 201 }));
