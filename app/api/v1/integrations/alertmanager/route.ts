import { route } from "@/lib/http/route";
import { ingestAlertmanagerWebhook, ZAlertmanagerWebhook } from "@/lib/incidents/alertmanager";

// Alertmanager `webhook_configs` target. Authenticate it with a token scoped to signals.ingest
// (http_config.authorization in alertmanager.yml; the Integrations page shows the snippet).
export const POST = route({ name: "/api/v1/integrations/alertmanager", body: ZAlertmanagerWebhook }, ({ actor, body }) =>
  ingestAlertmanagerWebhook({ actor, payload: body }),
);
