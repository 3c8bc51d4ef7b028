import { z } from "zod";
import { route } from "@/lib/http/route";
import { reissueBootstrapToken } from "@/lib/agents/clusters";

// A fresh one-time token; the cluster's current agent identity stops working.
export const POST = route({ name: "/api/v1/agents/[id]/token", permission: "agents.manage", params: z.object({ id: z.string().uuid() }) }, ({ actor, params, meta }) =>
  reissueBootstrapToken({ actor, id: params.id, meta }),
);
