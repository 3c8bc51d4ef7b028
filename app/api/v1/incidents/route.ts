import { route } from "@/lib/http/route";
import { listIncidents, ZListIncidentsQuery } from "@/lib/incidents/list-incidents";

export const GET = route({ name: "/api/v1/incidents", permission: "incidents.read", query: ZListIncidentsQuery }, ({ actor, query }) => listIncidents({ actor, query }));
