"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { Field, fieldAria, inputClass } from "@/components/ui/field";
import { ActionOutcome } from "@/app/(app)/_lib/action-outcome";
import { createClusterAction, type TokenState } from "../actions";
import { TokenOutcome } from "./token-outcome";

export function CreateClusterForm() {
  const [state, formAction] = useActionState<TokenState, FormData>(createClusterAction, null);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const values = state && !state.ok ? state.values : undefined;
  return (
    <div className="space-y-3">
      <form action={formAction} aria-label="Add cluster" className="flex flex-wrap items-end gap-3">
        <Field id="cluster-name" label="Cluster name" hint="Lowercase letters, digits and '-'; playbook steps name it in 'cluster'." errors={errors?.name} className="w-72">
          <input id="cluster-name" name="name" required maxLength={63} autoComplete="off" placeholder="e.g. prod-eu-1" defaultValue={values?.name} className={inputClass} {...fieldAria("cluster-name", { hint: true, errors: errors?.name })} />
        </Field>
        <SubmitButton pendingText="Creating…">Add cluster</SubmitButton>
      </form>
      <ActionOutcome state={state} success={(s) => <TokenOutcome {...s} />} />
    </div>
  );
}
