import { route } from "@/lib/http/route";
import { bulkChangeIncidents, ZBulkIncidentAction } from "@/lib/incidents/change-incident-status";

// Operators hold both incidents.ack and incidents.resolve; the domain function checks the one the action needs.
export const POST = route({ name: "/api/v1/incidents/bulk", permission: "incidents.ack", body: ZBulkIncidentAction }, ({ actor, body }) => bulkChangeIncidents({ actor, input: body }));
