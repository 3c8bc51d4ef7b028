import { route } from "@/lib/http/route";
import { requestRun } from "@/lib/orchestrator/request-run";
import { ZRequestRunInput } from "@/lib/orchestrator/schemas";

export const POST = route({ name: "/api/v1/runs", body: ZRequestRunInput }, ({ actor, body }) => requestRun({ actor, input: body }));
