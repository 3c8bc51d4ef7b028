"use client";

import { useActionState, type FormEvent } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { deleteMonitorAction, type DeleteMonitorState } from "../actions";

/** Asks first: deleting drops the monitor's detector state, which takes a while to learn again. */
export function DeleteMonitorButton({ id, name, from = "list", describedBy }: { id: string; name: string; from?: "list" | "detail"; describedBy?: string }) {
  const [state, formAction] = useActionState<DeleteMonitorState, FormData>(deleteMonitorAction, null);
  const confirmFirst = (e: FormEvent<HTMLFormElement>) => {
    if (!window.confirm(`Delete monitor "${name}"? Its learned detector state is deleted too.`)) e.preventDefault();
  };
  return (
    <form action={formAction} onSubmit={confirmFirst} className="flex items-center justify-end gap-2">
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="from" value={from} />
      {state && !state.ok ? (
        <span role="alert" className="text-xs text-red-700">
          {state.error}
        </span>
      ) : null}
      <SubmitButton variant="danger" size="sm" pendingText="Deleting…" aria-describedby={describedBy}>
        Delete
      </SubmitButton>
    </form>
  );
}
