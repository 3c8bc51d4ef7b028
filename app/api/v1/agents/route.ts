import { route } from "@/lib/http/route";
import { createCluster, listClusters, ZCreateClusterInput } from "@/lib/agents/clusters";

export const GET = route({ name: "/api/v1/agents", permission: "integrations.read" }, ({ actor }) => listClusters({ actor }));

// The bootstrap token is in this response and nowhere else.
export const POST = route({ name: "/api/v1/agents", permission: "agents.manage", body: ZCreateClusterInput }, async ({ actor, body, meta }) =>
  Response.json(await createCluster({ actor, input: body, meta }), { status: 201 }),
);
