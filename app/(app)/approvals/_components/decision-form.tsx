"use client";

import { useActionState } from "react";
import { useFormStatus } from "react-dom";
import { Button } from "@/components/ui/button";
import { fieldAria, inputClass, labelClass } from "@/components/ui/field";
import { ActionOutcome } from "@/app/(app)/_lib/action-outcome";
import { decideRunAction, type DecisionState } from "@/app/(app)/runs/actions";

function IntentButton({ intent, variant, children, pendingText, describedBy }: { intent: string; variant: "primary" | "danger"; children: string; pendingText: string; describedBy?: string }) {
  const { pending, data } = useFormStatus();
  const mine = pending && data?.get("intent") === intent;
  return (
    <Button type="submit" name="intent" value={intent} variant={variant} disabled={pending} aria-disabled={pending} aria-describedby={describedBy}>
      {mine ? pendingText : children}
    </Button>
  );
}

/**
 * Approve / Reject one run. The server decides (four-eyes, signature, expiry, the dry-run's verdict); its
 * refusal is shown here. For a run that cannot run, an admin may override, stating why.
 */
export function DecisionForm({ id, label, note, cannotRun = false, canOverride = false }: { id: string; label: string; note?: string; cannotRun?: boolean; canOverride?: boolean }) {
  const [state, formAction] = useActionState<DecisionState, FormData>(decideRunAction, null);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const commentId = `comment-${id}`;
  const noteId = note ? `decision-note-${id}` : undefined;
  return (
    <div className="space-y-2">
      <form action={formAction} aria-label={`Decide on ${label}`} className="space-y-2">
        <input type="hidden" name="id" value={id} />
        <div className="max-w-xl space-y-1">
          <label htmlFor={commentId} className={labelClass}>
            Comment <span className="font-normal text-slate-500">(required to reject)</span>
          </label>
          <textarea
            id={commentId}
            name="comment"
            rows={2}
            maxLength={2000}
            defaultValue={state && !state.ok ? state.values?.comment : undefined}
            className={`${inputClass} h-auto py-1.5`}
            {...fieldAria(commentId, { errors: errors?.comment })}
          />
          {errors?.comment ? (
            <p id={`${commentId}-error`} className="text-xs text-red-700">
              {errors.comment.join(" ")}
            </p>
          ) : null}
        </div>
        {cannotRun && canOverride ? (
          <fieldset className="max-w-xl space-y-1 rounded-md border border-red-200 bg-red-50/50 p-2">
            <legend className="px-1 text-xs font-medium text-red-800">Admin override</legend>
            <label className="flex items-center gap-2 text-sm text-slate-800">
              <input type="checkbox" name="override" value="true" />
              Approve although the dry-run says it cannot run (audited)
            </label>
            <label htmlFor={`override-reason-${id}`} className={labelClass}>
              Why <span className="font-normal text-slate-500">(required to override)</span>
            </label>
            <input id={`override-reason-${id}`} name="overrideReason" maxLength={2000} defaultValue={state && !state.ok ? state.values?.overrideReason : undefined} className={inputClass} {...fieldAria(`override-reason-${id}`, { errors: errors?.reason })} />
            {errors?.reason ? (
              <p id={`override-reason-${id}-error`} className="text-xs text-red-700">
                {errors.reason.join(" ")}
              </p>
            ) : null}
          </fieldset>
        ) : null}
        <div className="flex flex-wrap items-center gap-2">
          <IntentButton intent="approve" variant="primary" pendingText="Approving…" describedBy={noteId}>
            Approve
          </IntentButton>
          <IntentButton intent="reject" variant="danger" pendingText="Rejecting…">
            Reject
          </IntentButton>
          {note ? (
            <p id={noteId} className="text-xs text-amber-800" data-testid="self-approval-note">
              {note}
            </p>
          ) : null}
        </div>
      </form>
      <ActionOutcome state={state} success={(s) => s.message} />
    </div>
  );
}
