import { z } from "zod";
import { route } from "@/lib/http/route";
import { rankPlaybooks, ZRecommendationsQuery } from "@/lib/recommend/rank-playbooks";

export const GET = route(
  { name: "/api/v1/incidents/[id]/recommendations", permission: "incidents.read", params: z.object({ id: z.string().uuid() }), query: ZRecommendationsQuery },
  ({ actor, params, query }) => rankPlaybooks({ actor, incidentId: params.id, limit: query.limit }),
);
