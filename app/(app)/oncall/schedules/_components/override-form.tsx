"use client";

import { useActionState, useId } from "react";
import { Field, inputClass, selectClass } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { ActionOutcome } from "@/app/(app)/_lib/action-outcome";
import type { ActionResult } from "@/app/(app)/_lib/action-result";
import { createOverrideAction } from "../actions";
import type { Member } from "../_lib/form-state";

/** Someone covers the schedule for a while (a swap, a sick day); times in the schedule's zone. */
export function OverrideForm({ scheduleId, timeZone, members, defaultStart, defaultEnd }: { scheduleId: string; timeZone: string; members: Member[]; defaultStart: string; defaultEnd: string }) {
  const [state, formAction] = useActionState<ActionResult, FormData>(createOverrideAction, null);
  const id = useId();
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form action={formAction} className="space-y-3" aria-label="Add override">
      <input type="hidden" name="scheduleId" value={scheduleId} />
      <input type="hidden" name="timeZone" value={timeZone} />
      <div className="grid gap-3 sm:grid-cols-4">
        <Field id={`${id}-who`} label="Person" errors={errors?.userId}>
          <select id={`${id}-who`} name="userId" required className={selectClass}>
            {members.filter((m) => !m.disabled).map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.name} ({m.email})
              </option>
            ))}
          </select>
        </Field>
        <Field id={`${id}-from`} label={`From (${timeZone})`} errors={errors?.startsAt}>
          <input id={`${id}-from`} name="startsAt" type="datetime-local" defaultValue={defaultStart} required className={inputClass} />
        </Field>
        <Field id={`${id}-to`} label={`Until (${timeZone})`} errors={errors?.endsAt}>
          <input id={`${id}-to`} name="endsAt" type="datetime-local" defaultValue={defaultEnd} required className={inputClass} />
        </Field>
        <Field id={`${id}-why`} label="Reason" errors={errors?.reason}>
          <input id={`${id}-why`} name="reason" maxLength={500} placeholder="e.g. swap with Bo" className={inputClass} />
        </Field>
      </div>
      <SubmitButton pendingText="Adding…">Add override</SubmitButton>
      <ActionOutcome state={state} success={() => "Override added."} />
    </form>
  );
}
