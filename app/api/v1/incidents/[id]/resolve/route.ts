import { z } from "zod";
import { route } from "@/lib/http/route";
import { resolveIncident, ZIncidentNoteInput } from "@/lib/incidents/change-incident-status";

export const POST = route(
  { name: "/api/v1/incidents/[id]/resolve", permission: "incidents.resolve", params: z.object({ id: z.string().uuid() }), body: ZIncidentNoteInput },
  ({ actor, params, body }) => resolveIncident({ actor, id: params.id, note: body.note }),
);
