"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { Field, fieldAria, inputClass, selectClass } from "@/components/ui/field";
import { inviteAction, type InviteState } from "../actions";
import { ActionOutcome } from "@/app/(app)/_lib/action-outcome";

export function InviteForm({ roles }: { roles: readonly string[] }) {
  const [state, formAction] = useActionState<InviteState, FormData>(inviteAction, null);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const values = state && !state.ok ? state.values : undefined;

  return (
    <div className="space-y-3">
      <form action={formAction} aria-label="Invite" className="grid max-w-3xl grid-cols-[1fr_9rem_auto] items-start gap-3">
        <Field id="invite-email" label="Email" errors={errors?.email}>
          <input id="invite-email" name="email" type="email" required autoComplete="off" defaultValue={values?.email} className={inputClass} {...fieldAria("invite-email", { errors: errors?.email })} />
        </Field>
        <Field id="invite-role" label="Role" errors={errors?.role}>
          <select id="invite-role" name="role" key={values?.role ?? "viewer"} defaultValue={values?.role ?? "viewer"} className={selectClass} {...fieldAria("invite-role", { errors: errors?.role })}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </Field>
        <div className="pt-5">
          <SubmitButton pendingText="Inviting…">Invite</SubmitButton>
        </div>
      </form>
      <ActionOutcome
        state={state}
        success={(s) => (
          <span className="flex flex-col gap-1">
            <span>
              Invitation for {s.email} as {s.role}. Send them this link (shown once, valid 7 days):
            </span>
            <code className="break-all rounded bg-slate-100 px-2 py-1 text-xs" aria-label="Invitation link">
              {s.url}
            </code>
          </span>
        )}
      />
    </div>
  );
}
