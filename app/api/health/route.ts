import { route, json } from "@/lib/http/route";
import { checkHealth, healthReport } from "@/lib/health/check-health";
import { getRequestActor } from "@/lib/auth/get-actor";

export const dynamic = "force-dynamic";

// Public readiness probe. Anonymous callers (and non-admins) learn only which store is down; the driver
// errors are in the server log, and in the answer only for an admin's session or token.
export const GET = route({ name: "/api/health", auth: false }, async ({ req }) => {
  const health = await checkHealth();
  const viewer = await getRequestActor(req).catch(() => null);
  return json(healthReport(health, viewer), health.ok ? 200 : 503);
});
