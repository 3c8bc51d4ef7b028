"use client";

import { useActionState, type FormEvent } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import type { ButtonVariant } from "@/components/ui/button";
import type { ActionResult } from "../../_lib/action-result";

type Action = (prev: ActionResult, formData: FormData) => Promise<ActionResult>;

/**
 * A one-button form acting on one object (delete, expire, move, disable). `confirm` asks first;
 * `describedBy` is the id of the element naming the object, so "Delete" is announced with its name.
 */
export function ActionButton({
  action,
  fields,
  label,
  pendingText,
  confirm,
  variant = "secondary",
  describedBy,
  ariaLabel,
}: {
  action: Action;
  fields: Record<string, string>;
  label: string;
  pendingText?: string;
  confirm?: string;
  variant?: ButtonVariant;
  describedBy?: string;
  ariaLabel?: string;
}) {
  const [state, formAction] = useActionState<ActionResult, FormData>(action, null);
  const ask = (e: FormEvent<HTMLFormElement>) => {
    if (confirm && !window.confirm(confirm)) e.preventDefault();
  };
  return (
    <form action={formAction} onSubmit={ask} className="inline-flex items-center gap-2">
      {Object.entries(fields).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      {state && !state.ok ? (
        <span role="alert" className="text-xs text-red-700">
          {state.error}
        </span>
      ) : null}
      <SubmitButton variant={variant} size="sm" pendingText={pendingText} aria-describedby={describedBy} aria-label={ariaLabel}>
        {label}
      </SubmitButton>
    </form>
  );
}
