"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { Field, fieldAria, inputClass, selectClass } from "@/components/ui/field";
import { addMemberAction, type AddMemberState } from "../actions";
import { ActionOutcome } from "@/app/(app)/_lib/action-outcome";

export function AddMemberForm({ roles }: { roles: readonly string[] }) {
  const [state, formAction] = useActionState<AddMemberState, FormData>(addMemberAction, null);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const values = state && !state.ok ? state.values : undefined;

  return (
    <div className="space-y-3">
      <form action={formAction} aria-label="Add member" className="grid max-w-4xl grid-cols-[1fr_1fr_9rem_1fr_auto] items-start gap-3">
        <Field id="member-email" label="Email" errors={errors?.email}>
          <input id="member-email" name="email" type="email" required autoComplete="off" defaultValue={values?.email} className={inputClass} {...fieldAria("member-email", { errors: errors?.email })} />
        </Field>
        <Field id="member-name" label="Name" errors={errors?.name}>
          <input id="member-name" name="name" required maxLength={200} autoComplete="off" defaultValue={values?.name} className={inputClass} {...fieldAria("member-name", { errors: errors?.name })} />
        </Field>
        <Field id="member-role" label="Role" errors={errors?.role}>
          <select id="member-role" name="role" key={values?.role ?? "viewer"} defaultValue={values?.role ?? "viewer"} className={selectClass} {...fieldAria("member-role", { errors: errors?.role })}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </Field>
        <Field id="member-password" label="Password" hint="Needed for a new account; at least 12 characters." errors={errors?.password}>
          <input
            id="member-password"
            name="password"
            type="password"
            autoComplete="new-password"
            minLength={12}
            className={inputClass}
            {...fieldAria("member-password", { hint: true, errors: errors?.password })}
          />
        </Field>
        <div className="pt-5">
          <SubmitButton pendingText="Adding…">Add member</SubmitButton>
        </div>
      </form>
      <ActionOutcome state={state} success={(s) => <>Added {s.email} as {s.role}.</>} />
    </div>
  );
}
