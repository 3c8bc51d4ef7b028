"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { Field, fieldAria, inputClass } from "@/components/ui/field";
import { ActionOutcome } from "@/app/(app)/_lib/action-outcome";
import { updateSecretGrantsAction, type SecretGrantsState } from "../actions";

export function SecretGrantsForm({ grants }: { grants: string[] }) {
  const [state, formAction] = useActionState<SecretGrantsState, FormData>(updateSecretGrantsAction, null);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const shown = state && !state.ok ? state.values : undefined;
  return (
    <div className="space-y-3">
      <form key={grants.join()} action={formAction} aria-label="Secret grants" className="max-w-2xl space-y-4">
        <Field id="secret-grants" label="Secrets playbooks may read" hint='One per line: a name (SLACK_WEBHOOK_URL, pagerduty/routing), a prefix ending in * (pagerduty/*), or * for every secret of this organization. Empty: none.' errors={errors?.grants}>
          <textarea
            id="secret-grants"
            name="grants"
            rows={5}
            spellCheck={false}
            defaultValue={shown?.grants ?? grants.join("\n")}
            className={`${inputClass} h-auto py-1.5 font-mono text-xs`}
            {...fieldAria("secret-grants", { hint: true, errors: errors?.grants })}
          />
        </Field>
        <SubmitButton pendingText="Saving…">Save secret grants</SubmitButton>
      </form>
      <ActionOutcome state={state} success={(s) => <>Secret grants saved: {s.grants.length ? s.grants.join(", ") : "none"}.</>} />
    </div>
  );
}
