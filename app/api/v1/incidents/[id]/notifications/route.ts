import { z } from "zod";
import { route } from "@/lib/http/route";
import { listIncidentNotifications } from "@/lib/oncall/list-notifications";

export const GET = route({ name: "/api/v1/incidents/[id]/notifications", permission: "incidents.read", params: z.object({ id: z.string().uuid() }) }, ({ actor, params }) =>
  listIncidentNotifications({ actor, id: params.id }),
);
