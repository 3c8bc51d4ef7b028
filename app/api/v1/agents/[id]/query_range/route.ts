import { z } from "zod";
import { route } from "@/lib/http/route";
import { queryClusterRange } from "@/lib/agents/query";

// Prometheus-shaped answer ({status, data}) from the cluster's in-cluster Prometheus, via its agent.
export const GET = route(
  { name: "/api/v1/agents/[id]/query_range", permission: "integrations.read", params: z.object({ id: z.string().uuid() }), query: z.object({ query: z.string(), start: z.string(), end: z.string(), step: z.string() }) },
  ({ actor, params, query }) => queryClusterRange({ actor, clusterId: params.id, input: query }),
);
