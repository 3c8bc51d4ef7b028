"use client";

import { useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import { SubmitButton } from "@/components/ui/submit-button";
import { inputClass } from "@/components/ui/field";
import { revokeKeyAction, type RevokeKeyState } from "../actions";

/** Two steps: "Revoke…" opens the reason field, "Confirm revoke" does it. Revocation cannot be undone. */
export function RevokeKeyForm({ id, name, nameCellId }: { id: string; name: string; nameCellId: string }) {
  const [open, setOpen] = useState(false);
  const [state, formAction] = useActionState<RevokeKeyState, FormData>(revokeKeyAction, null);
  const error = state && !state.ok ? (state.fieldErrors?.reason?.join(" ") ?? state.error) : null;
  if (!open) {
    return (
      <Button variant="danger" size="sm" onClick={() => setOpen(true)} aria-describedby={nameCellId}>
        Revoke…
      </Button>
    );
  }
  const reasonId = `revoke-${id}-reason`;
  return (
    <form action={formAction} aria-label={`Revoke key ${name}`} className="flex flex-col items-end gap-1.5">
      <input type="hidden" name="id" value={id} />
      <label htmlFor={reasonId} className="sr-only">
        Reason for revoking {name}
      </label>
      <input
        id={reasonId}
        name="reason"
        required
        maxLength={500}
        autoFocus
        placeholder="Reason (e.g. private key leaked)"
        defaultValue={state && !state.ok ? state.values?.reason : undefined}
        className={`${inputClass} h-7 w-60 text-xs`}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${reasonId}-error` : `${reasonId}-warning`}
      />
      <p id={`${reasonId}-warning`} className="text-xs text-slate-600">
        Permanent: playbooks signed only with this key stop verifying, including runs waiting to execute.
      </p>
      {error ? (
        <p id={`${reasonId}-error`} role="alert" className="text-xs text-red-700">
          {error}
        </p>
      ) : null}
      <div className="flex gap-2">
        <Button variant="secondary" size="sm" onClick={() => setOpen(false)}>
          Cancel
        </Button>
        <SubmitButton variant="danger" size="sm" pendingText="Revoking…">
          Confirm revoke
        </SubmitButton>
      </div>
    </form>
  );
}
