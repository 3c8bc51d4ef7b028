"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { Field, fieldAria, inputClass } from "@/components/ui/field";
import { ActionOutcome } from "@/app/(app)/_lib/action-outcome";
import { updatePolicyAction, type PolicyState } from "../actions";

export function PolicyForm({ allowUnsignedPlaybooks, approvalTtlMinutes }: { allowUnsignedPlaybooks: boolean; approvalTtlMinutes: number }) {
  const [state, formAction] = useActionState<PolicyState, FormData>(updatePolicyAction, null);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <div className="space-y-3">
      {/* key: re-mount with the stored values after a save, so the controls show what is in force. */}
      <form key={`${allowUnsignedPlaybooks}-${approvalTtlMinutes}`} action={formAction} aria-label="Orchestrator policy" className="max-w-2xl space-y-4">
        <div className="space-y-1.5">
          <div className="flex items-center gap-2">
            <input
              id="allow-unsigned"
              name="allowUnsignedPlaybooks"
              type="checkbox"
              defaultChecked={allowUnsignedPlaybooks}
              className="size-4 rounded border-slate-300 text-indigo-600 focus-visible:outline-2 focus-visible:outline-indigo-600"
              aria-describedby="allow-unsigned-warning"
            />
            <label htmlFor="allow-unsigned" className="text-sm font-medium text-slate-900">
              Allow unsigned playbooks
            </label>
          </div>
          <p id="allow-unsigned-warning" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-xs text-amber-900">
            <strong>Warning:</strong> when on, playbooks without a signature can be approved and executed, so anyone who can upload or change a playbook file can get code run against your systems.
            Leave it off outside of evaluation; a signature that does not verify is refused either way.
          </p>
        </div>
        <Field id="approval-ttl" label="Approval window (minutes)" hint="How long a planned run waits for approval before it expires (1 to 10080)." errors={errors?.approvalTtlMinutes} className="w-64">
          <input
            id="approval-ttl"
            name="approvalTtlMinutes"
            type="number"
            min={1}
            max={10080}
            step={1}
            required
            defaultValue={state && !state.ok ? state.values?.approvalTtlMinutes : approvalTtlMinutes}
            className={inputClass}
            {...fieldAria("approval-ttl", { hint: true, errors: errors?.approvalTtlMinutes })}
          />
        </Field>
        <SubmitButton pendingText="Saving…">Save policy</SubmitButton>
      </form>
      <ActionOutcome
        state={state}
        success={(s) => (
          <>
            Policy saved: unsigned playbooks are {s.allowUnsignedPlaybooks ? "allowed" : "refused"}; approvals expire after {s.approvalTtlMinutes} minutes.
          </>
        )}
      />
    </div>
  );
}
