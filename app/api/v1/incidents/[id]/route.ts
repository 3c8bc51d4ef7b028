import { z } from "zod";
import { route } from "@/lib/http/route";
import { getIncidentOrThrow } from "@/lib/incidents/get-incident";

export const GET = route({ name: "/api/v1/incidents/[id]", permission: "incidents.read", params: z.object({ id: z.string().uuid() }) }, ({ actor, params }) =>
  getIncidentOrThrow({ actor, id: params.id }),
);
