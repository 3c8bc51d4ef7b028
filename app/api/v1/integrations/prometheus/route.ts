import { route } from "@/lib/http/route";
import { getPrometheusSource, setPrometheusSource, ZPrometheusSourceInput } from "@/lib/integrations/prometheus-source";

export const GET = route({ name: "/api/v1/integrations/prometheus", permission: "integrations.read" }, async ({ actor }) => ({ prometheus: await getPrometheusSource({ actor }) }));

export const PUT = route({ name: "/api/v1/integrations/prometheus", permission: "integrations.manage", body: ZPrometheusSourceInput }, ({ actor, body }) => setPrometheusSource({ actor, input: body }));
