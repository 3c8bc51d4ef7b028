import { z } from "zod";
import { route } from "@/lib/http/route";
import { similarIncidents, ZSimilarQuery } from "@/lib/vectors/similar-incidents";

export const GET = route({ name: "/api/v1/incidents/[id]/similar", permission: "incidents.read", params: z.object({ id: z.string().uuid() }), query: ZSimilarQuery }, ({ actor, params, query }) =>
  similarIncidents({ actor, id: params.id, k: query.k }),
);
