"use client";

// One click from a recommendation to a run: posts the playbook, the incident and the suggested params to the
// same server action as the "Run a playbook" form (which redirects to the new run's page).
import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { ActionOutcome } from "@/app/(app)/_lib/action-outcome";
import { requestRunAction, type RequestRunState } from "@/app/(app)/runs/actions";
import { PARAM_PREFIX } from "@/app/(app)/runs/_lib/run-types";

export function RecommendRunButton({ playbook, incidentId, params }: { playbook: string; incidentId: string; params: Record<string, string> }) {
  const [state, formAction] = useActionState<RequestRunState, FormData>(requestRunAction, null);
  return (
    <div className="space-y-2">
      <form action={formAction} aria-label={`Request a run of ${playbook}`}>
        <input type="hidden" name="playbook" value={playbook} />
        <input type="hidden" name="incidentId" value={incidentId} />
        <input type="hidden" name="reason" value="Recommended for this incident" />
        {Object.entries(params).map(([name, value]) => (
          <input key={name} type="hidden" name={`${PARAM_PREFIX}${name}`} value={value} />
        ))}
        <SubmitButton size="sm" pendingText="Requesting…" aria-label={`Request run of ${playbook}`}>
          Request run
        </SubmitButton>
      </form>
      <ActionOutcome state={state} success={() => <>Run requested.</>} />
    </div>
  );
}
