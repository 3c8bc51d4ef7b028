"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { ActionOutcome } from "@/app/(app)/_lib/action-outcome";
import { actOnLinkAction, type ActState } from "./actions";

export function ActForm({ token, incidentUrl }: { token: string; incidentUrl: string }) {
  const [state, formAction] = useActionState<ActState, FormData>(actOnLinkAction, null);
  return (
    <form action={formAction} aria-label="Acknowledge incident" className="space-y-3">
      <input type="hidden" name="token" value={token} />
      {state?.ok ? null : <SubmitButton pendingText="Acknowledging…">Acknowledge</SubmitButton>}
      <ActionOutcome
        state={state}
        success={(ok) => (
          <>
            Acknowledged{ok.acknowledgedBy ? ` as ${ok.acknowledgedBy}` : ""}. Escalation stops.{" "}
            <a className="font-medium underline" href={incidentUrl} rel="noreferrer">
              Open the incident
            </a>
          </>
        )}
      />
    </form>
  );
}
