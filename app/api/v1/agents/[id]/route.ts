import { z } from "zod";
import { route } from "@/lib/http/route";
import { deleteCluster, getCluster } from "@/lib/agents/clusters";

const params = z.object({ id: z.string().uuid() });

export const GET = route({ name: "/api/v1/agents/[id]", permission: "integrations.read", params }, ({ actor, params }) => getCluster({ actor, id: params.id }));

export const DELETE = route({ name: "/api/v1/agents/[id]", permission: "agents.manage", params }, async ({ actor, params, meta }) => {
  await deleteCluster({ actor, id: params.id, meta });
  return new Response(null, { status: 204 });
});
