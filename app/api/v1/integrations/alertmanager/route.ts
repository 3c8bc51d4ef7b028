import { route } from "@/lib/http/route";
import { ingestAlertmanagerWebhook, ZAlertmanagerWebhook } from "@/lib/incidents/alertmanager";
import { ingestAdmission } from "@/lib/http/admission";
import { registerFastRoute } from "@/lib/http/fast-routes";
import { MAX_JSON_BODY_BYTES } from "@/lib/http/read-body";

// Alertmanager `webhook_configs` target. Authenticate it with a token scoped to signals.ingest
// (http_config.authorization in alertmanager.yml; the Integrations page shows the snippet).
// Strings are checked per alert, so one bad alert is rejected alone and its batch still answers 200.
// Past this process's ingest capacity, or with PostgreSQL or Redis down, the answer is 503 + Retry-After,
// which Alertmanager retries.
export const POST = route(
  { name: "/api/v1/integrations/alertmanager", permission: "signals.ingest", body: ZAlertmanagerWebhook, perItemStrings: true, ingest: { admission: ingestAdmission } },
  ({ actor, body }) => ingestAlertmanagerWebhook({ actor, payload: body }),
);

// Token-authenticated deliveries skip Next's router once this module is loaded (lib/http/fast-routes.ts).
registerFastRoute("POST", "/api/v1/integrations/alertmanager", POST, { maxBodyBytes: MAX_JSON_BODY_BYTES });
