import { z } from "zod";
import { route } from "@/lib/http/route";
import { queryClusterRange, ZRangeQuery } from "@/lib/agents/query";

// Prometheus-shaped answer ({status, data}) from the cluster's in-cluster Prometheus, via its agent.
export const GET = route(
  { name: "/api/v1/agents/[id]/query_range", permission: "integrations.read", params: z.object({ id: z.string().uuid() }), query: ZRangeQuery },
  ({ actor, params, query }) => queryClusterRange({ actor, clusterId: params.id, input: query }),
);
