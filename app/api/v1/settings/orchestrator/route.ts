import { route } from "@/lib/http/route";
import { getOrchestratorSettings, updateOrchestratorSettings, ZOrchestratorSettingsInput } from "@/lib/orchestrator/settings";

export const GET = route({ name: "/api/v1/settings/orchestrator", permission: "playbooks.read" }, ({ actor }) => getOrchestratorSettings({ actor }));

export const PATCH = route({ name: "/api/v1/settings/orchestrator", permission: "settings.manage", body: ZOrchestratorSettingsInput }, ({ actor, body }) => updateOrchestratorSettings({ actor, input: body }));
