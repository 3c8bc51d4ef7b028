"use client";

import Link from "next/link";
import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { Field, fieldAria, inputClass } from "@/components/ui/field";
import { ActionOutcome } from "@/app/(app)/_lib/action-outcome";
import { acceptInvitationAction, type AcceptState } from "./actions";

/** signedInAs: the invited address when the visitor is signed in as it; otherwise a new account is made. */
export function AcceptForm({ token, email, orgSlug, signedIn }: { token: string; email: string; orgSlug: string; signedIn: boolean }) {
  const [state, formAction] = useActionState<AcceptState, FormData>(acceptInvitationAction, null);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  if (state?.ok) {
    return (
      <p role="status" className="text-sm text-emerald-800">
        You joined {orgSlug} as {state.email}.{" "}
        <Link className="font-medium text-indigo-700 hover:underline" href="/login">
          Sign in to {orgSlug}
        </Link>{" "}
        (choose the organization {orgSlug} if you belong to several).
      </p>
    );
  }
  return (
    <form action={formAction} aria-label="Accept invitation" className="space-y-3">
      <input type="hidden" name="token" value={token} />
      {signedIn ? null : (
        <>
          <Field id="invite-name" label="Your name" errors={errors?.name}>
            <input id="invite-name" name="name" required maxLength={200} autoComplete="name" className={inputClass} {...fieldAria("invite-name", { errors: errors?.name })} />
          </Field>
          <Field id="invite-password" label="Choose a password" hint="At least 12 characters." errors={errors?.password}>
            <input id="invite-password" name="password" type="password" required minLength={12} autoComplete="new-password" className={inputClass} {...fieldAria("invite-password", { hint: true, errors: errors?.password })} />
          </Field>
        </>
      )}
      <SubmitButton pendingText="Joining…">{signedIn ? `Join ${orgSlug}` : `Create account and join ${orgSlug}`}</SubmitButton>
      <ActionOutcome state={state} success={() => null} />
      {signedIn ? null : (
        <p className="text-xs text-slate-600">
          Already have an account for {email}?{" "}
          <Link className="font-medium text-indigo-700 hover:underline" href={`/login?callbackUrl=${encodeURIComponent(`/invite/${token}`)}`}>
            Sign in
          </Link>{" "}
          first, then open this link again.
        </p>
      )}
    </form>
  );
}
