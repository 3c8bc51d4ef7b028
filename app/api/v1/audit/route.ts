import { route } from "@/lib/http/route";
import { listAuditEvents, ZListAuditQuery } from "@/lib/audit/list-audit-events";

export const GET = route({ name: "/api/v1/audit", permission: "audit.read", query: ZListAuditQuery }, ({ actor, query }) => listAuditEvents({ actor, query }));
