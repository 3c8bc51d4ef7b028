import { z } from "zod";
import { route } from "@/lib/http/route";
import { acknowledgeIncident, ZIncidentNoteInput } from "@/lib/incidents/change-incident-status";

export const POST = route(
  { name: "/api/v1/incidents/[id]/ack", permission: "incidents.ack", params: z.object({ id: z.string().uuid() }), body: ZIncidentNoteInput },
  ({ actor, params, body }) => acknowledgeIncident({ actor, id: params.id, note: body.note }),
);
