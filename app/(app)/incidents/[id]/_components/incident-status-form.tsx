"use client";

import { useActionState } from "react";
import { useFormStatus } from "react-dom";
import { Button } from "@/components/ui/button";
import { inputClass, labelClass } from "@/components/ui/field";
import { changeIncidentStatusAction, type ChangeStatusState } from "../actions";
import { ActionOutcome } from "@/app/(app)/_lib/action-outcome";

function IntentButton({ intent, variant, children, pendingText }: { intent: string; variant: "primary" | "secondary"; children: string; pendingText: string }) {
  const { pending, data } = useFormStatus();
  const mine = pending && data?.get("intent") === intent;
  return (
    <Button type="submit" name="intent" value={intent} variant={variant} disabled={pending} aria-disabled={pending}>
      {mine ? pendingText : children}
    </Button>
  );
}

/** Acknowledge / Resolve, each shown only when the page decided the actor may and the status allows. */
export function IncidentStatusForm({ id, showAck, showResolve }: { id: string; showAck: boolean; showResolve: boolean }) {
  const [state, formAction] = useActionState<ChangeStatusState, FormData>(changeIncidentStatusAction, null);
  if (!showAck && !showResolve && !state) return null;
  return (
    <div className="space-y-2">
      {showAck || showResolve ? (
        <form action={formAction} className="flex flex-wrap items-end gap-2" aria-label="Change incident status">
          <input type="hidden" name="id" value={id} />
          <div className="w-60 space-y-1">
            <label htmlFor="status-note" className={labelClass}>
              Note <span className="font-normal text-slate-500">(optional, goes to the timeline)</span>
            </label>
            <input
              id="status-note"
              name="note"
              maxLength={2000}
              defaultValue={state && !state.ok ? state.values?.note : undefined}
              placeholder="e.g. looking into it"
              className={inputClass}
            />
          </div>
          {showAck ? (
            <IntentButton intent="acknowledge" variant="primary" pendingText="Acknowledging…">
              Acknowledge
            </IntentButton>
          ) : null}
          {showResolve ? (
            <IntentButton intent="resolve" variant={showAck ? "secondary" : "primary"} pendingText="Resolving…">
              Resolve
            </IntentButton>
          ) : null}
        </form>
      ) : null}
      <ActionOutcome state={state} success={(s) => <>Incident {s.status}.</>} />
    </div>
  );
}
