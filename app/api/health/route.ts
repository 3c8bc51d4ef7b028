import { route, json } from "@/lib/http/route";
import { checkHealth } from "@/lib/health/check-health";

export const dynamic = "force-dynamic";

export const GET = route({ name: "/api/health", auth: false }, async () => {
  const health = await checkHealth();
  const down = Object.entries(health.checks).filter(([, c]) => !c.ok).map(([name]) => name);
  return json({ status: health.ok ? "ok" : "unavailable", down, checks: health.checks }, health.ok ? 200 : 503);
});
