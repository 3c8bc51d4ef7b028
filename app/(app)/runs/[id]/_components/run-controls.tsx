"use client";

import { useActionState, useEffect } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { SubmitButton } from "@/components/ui/submit-button";
import { inputClass, labelClass } from "@/components/ui/field";
import { ActionOutcome } from "@/app/(app)/_lib/action-outcome";
import { cancelRunAction, dryRunAction, requestAgainAction, type RunActionState } from "../../actions";

/** The action's form state; once it went through, the live run is refetched instead of waiting for the next poll. */
export function useRunAction(action: (state: RunActionState, form: FormData) => Promise<RunActionState>, id: string) {
  const [state, formAction] = useActionState<RunActionState, FormData>(action, null);
  const queryClient = useQueryClient();
  useEffect(() => {
    if (state?.ok) void queryClient.invalidateQueries({ queryKey: ["run", id] });
  }, [state, id, queryClient]);
  return [state, formAction] as const;
}

export function CancelRunForm({ id, executing }: { id: string; executing: boolean }) {
  const [state, formAction] = useRunAction(cancelRunAction, id);
  return (
    <div className="space-y-2">
      <form action={formAction} aria-label="Cancel run" className="flex flex-wrap items-end gap-2">
        <input type="hidden" name="id" value={id} />
        <div className="w-64 space-y-1">
          <label htmlFor="cancel-reason" className={labelClass}>
            Reason <span className="font-normal text-slate-500">(optional)</span>
          </label>
          <input id="cancel-reason" name="reason" maxLength={2000} defaultValue={state && !state.ok ? state.values?.reason : undefined} className={inputClass} />
        </div>
        <SubmitButton variant="danger" pendingText="Cancelling…" aria-describedby="cancel-note">
          Cancel run
        </SubmitButton>
      </form>
      <p id="cancel-note" className="text-xs text-slate-600">
        {executing ? "The run is executing: it stops after the current step (a step under way is never interrupted half-way)." : "Nothing has been executed yet; cancelling is immediate."}
      </p>
      <ActionOutcome state={state} success={(s) => s.message} />
    </div>
  );
}

export function DryRunAgainForm({ id }: { id: string }) {
  const [state, formAction] = useRunAction(dryRunAction, id);
  return (
    <div className="space-y-2">
      <form action={formAction} aria-label="Re-run dry-run" className="flex flex-wrap items-center gap-2">
        <input type="hidden" name="id" value={id} />
        <SubmitButton variant="secondary" pendingText="Starting…" aria-describedby="dry-run-note">
          Re-run dry-run
        </SubmitButton>
        <p id="dry-run-note" className="text-xs text-slate-600">
          Plans the run again against the targets as they are now; approvals given so far are discarded.
        </p>
      </form>
      <ActionOutcome state={state} success={(s) => s.message} />
    </div>
  );
}

/** A new run with the same params and a fresh dry-run; a run that cannot run is cancelled in its favour. */
export function RequestAgainForm({ id, supersedes }: { id: string; supersedes: boolean }) {
  const [state, formAction] = useActionState<RunActionState, FormData>(requestAgainAction, null);
  return (
    <div className="space-y-2">
      <form action={formAction} aria-label="Request again" className="flex flex-wrap items-center gap-2">
        <input type="hidden" name="id" value={id} />
        <SubmitButton variant="primary" pendingText="Requesting…" aria-describedby="request-again-note">
          Request again
        </SubmitButton>
        <p id="request-again-note" className="text-xs text-slate-600">
          A new run of the same playbook version with the same parameters, planned afresh{supersedes ? "; this one is cancelled" : ""}.
        </p>
      </form>
      <ActionOutcome state={state} success={(s) => s.message} />
    </div>
  );
}
