"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { removeMemberAction, revokeInvitationAction, type RemoveMemberState, type RevokeInvitationState } from "../actions";

const ACTIONS = {
  removeMember: { action: removeMemberAction, field: "userId", label: "Remove", pending: "Removing…" },
  revokeInvitation: { action: revokeInvitationAction, field: "id", label: "Revoke", pending: "Revoking…" },
} as const;

/** A one-button form acting on one row; describedBy: id of the cell that names the row. */
export function RowActionButton({ kind, value, describedBy }: { kind: keyof typeof ACTIONS; value: string; describedBy: string }) {
  const spec = ACTIONS[kind];
  const [state, formAction] = useActionState<RemoveMemberState | RevokeInvitationState, FormData>(spec.action as never, null);
  return (
    <form action={formAction} className="flex items-center justify-end gap-2">
      <input type="hidden" name={spec.field} value={value} />
      {state && !state.ok ? (
        <span role="alert" className="text-xs text-red-700">
          {state.error}
        </span>
      ) : null}
      <SubmitButton variant="danger" size="sm" pendingText={spec.pending} aria-describedby={describedBy}>
        {spec.label}
      </SubmitButton>
    </form>
  );
}
