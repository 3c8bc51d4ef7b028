"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { revokeTokenAction, type RevokeTokenState } from "../actions";

/** nameCellId: id of the row's name cell, which describes the button (which token "Revoke" acts on). */
export function RevokeTokenButton({ id, nameCellId }: { id: string; nameCellId: string }) {
  const [state, formAction] = useActionState<RevokeTokenState, FormData>(revokeTokenAction, null);
  return (
    <form action={formAction} className="flex items-center justify-end gap-2">
      <input type="hidden" name="id" value={id} />
      {state && !state.ok ? (
        <span role="alert" className="text-xs text-red-700">
          {state.error}
        </span>
      ) : null}
      <SubmitButton variant="danger" size="sm" pendingText="Revoking…" aria-describedby={nameCellId}>
        Revoke
      </SubmitButton>
    </form>
  );
}
