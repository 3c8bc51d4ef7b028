"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { compactSelectClass } from "@/components/ui/field";
import { setRoleAction, type SetRoleState } from "../actions";

/** emailCellId: id of the row's email cell, which describes the Save button ("Save" + whose role). */
export function MemberRoleForm({
  userId,
  email,
  emailCellId,
  role,
  roles,
}: {
  userId: string;
  email: string;
  emailCellId: string;
  role: string;
  roles: readonly string[];
}) {
  const [state, formAction] = useActionState<SetRoleState, FormData>(setRoleAction, null);
  const selectId = `role-${userId}`;
  return (
    <form action={formAction} className="flex items-center gap-2">
      <input type="hidden" name="userId" value={userId} />
      {/* aria-label rather than a <label> element: label text inside the cell would become part of the
          cell's accessible name and repeat the email there. key: re-mount with the stored role after a save. */}
      <select key={role} id={selectId} name="role" defaultValue={role} aria-label={`Role for ${email}`} className={compactSelectClass}>
        {roles.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      <SubmitButton variant="secondary" size="sm" pendingText="Saving…" aria-describedby={emailCellId}>
        Save
      </SubmitButton>
      <span aria-live="polite" className="text-xs">
        {state?.ok ? <span className="text-emerald-700">Saved</span> : null}
        {state && !state.ok ? (
          <span role="alert" className="text-red-700">
            {state.error}
          </span>
        ) : null}
      </span>
    </form>
  );
}
