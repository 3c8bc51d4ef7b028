// The catalog as choices for the request form (server side): risk, signature status in words, params,
// and whether the playbook's label selector matches the incident the run is for.
import type { Actor } from "@/lib/context";
import { listPlaybooks } from "@/lib/playbooks/list-playbooks";
import { matches, parseSelector } from "@/lib/monitors/selector";
import { verificationText } from "../_components/verification-status";
import type { PlaybookChoice } from "../_components/request-run-form";

export async function playbookChoices(actor: Actor, incidentLabels?: Record<string, string>): Promise<PlaybookChoice[]> {
  const playbooks = await listPlaybooks({ actor });
  const choices = playbooks.map((p) => {
    const selector = incidentLabels && p.matches.labels ? parseSelector(p.matches.labels) : null;
    return {
      name: p.name,
      description: p.description,
      risk: p.risk,
      version: p.version,
      signature: verificationText(p.verification),
      signatureOk: p.verification.ok,
      params: p.params,
      ...(incidentLabels ? { matchesIncident: selector ? matches(selector, incidentLabels) : false } : {}),
    };
  });
  // Playbooks made for this incident's labels first; otherwise catalog order (by name).
  return incidentLabels ? [...choices.filter((c) => c.matchesIncident), ...choices.filter((c) => !c.matchesIncident)] : choices;
}
