import { route } from "@/lib/http/route";
import { checkAuditChain } from "@/lib/audit/check-audit-chain";

export const GET = route({ name: "/api/v1/audit/verify", permission: "audit.read" }, ({ actor }) => checkAuditChain({ actor }));
