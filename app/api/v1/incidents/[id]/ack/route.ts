import { z } from "zod";
import { route } from "@/lib/http/route";
import { acknowledgeIncident } from "@/lib/incidents/change-incident-status";

export const POST = route(
  { name: "/api/v1/incidents/[id]/ack", permission: "incidents.ack", params: z.object({ id: z.string().uuid() }), body: z.object({ note: z.string().max(2000).optional() }).strict() },
  ({ actor, params, body }) => acknowledgeIncident({ actor, id: params.id, note: body.note }),
);
