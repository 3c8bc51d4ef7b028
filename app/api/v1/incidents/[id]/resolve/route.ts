import { z } from "zod";
import { route } from "@/lib/http/route";
import { resolveIncident } from "@/lib/incidents/change-incident-status";

export const POST = route(
  { name: "/api/v1/incidents/[id]/resolve", permission: "incidents.resolve", params: z.object({ id: z.string().uuid() }), body: z.object({ note: z.string().max(2000).optional() }).strict() },
  ({ actor, params, body }) => resolveIncident({ actor, id: params.id, note: body.note }),
);
