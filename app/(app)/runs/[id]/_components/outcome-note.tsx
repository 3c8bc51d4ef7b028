"use client";

// "How did it go?" once a run has finished: an operator's few words on the outcome (lib/orchestrator/outcome-note.ts).
// The recommender reads them as evidence when it ranks playbooks for similar incidents, so a success that only
// held for five minutes does not count as a fix.
import { useEffect, useState } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { Button } from "@/components/ui/button";
import { fieldAria, labelClass } from "@/components/ui/field";
import { Time } from "@/components/time";
import { ActionOutcome } from "@/app/(app)/_lib/action-outcome";
import { outcomeNoteAction } from "../../actions";
import { useRunAction } from "./run-controls";

const MAX = 2000;

type Note = { outcomeNote: string | null; outcomeNoteBy: string | null; outcomeNoteAt: string | null };

export function OutcomeNote({ id, note, canWrite }: { id: string; note: Note; canWrite: boolean }) {
  const [state, formAction] = useRunAction(outcomeNoteAction, id);
  const [editing, setEditing] = useState(false);
  useEffect(() => {
    if (state?.ok) setEditing(false);
  }, [state]);
  const has = note.outcomeNote !== null && note.outcomeNote !== "";
  // The form shows while there is no note (and none was just saved: the run is being refetched), or while
  // the note is being changed.
  const showForm = canWrite && ((!has && !state?.ok) || editing);
  const errors = state && !state.ok ? state.fieldErrors?.note : undefined;
  const initial = state && !state.ok ? state.values?.note : has ? note.outcomeNote! : undefined;

  return (
    <div className="space-y-3">
      {has ? (
        <figure className="max-w-3xl rounded-md border border-slate-200 bg-white p-3 text-sm shadow-sm" data-testid="outcome-note">
          <blockquote className="break-words whitespace-pre-line text-slate-800">{note.outcomeNote}</blockquote>
          <figcaption className="mt-1 text-xs text-slate-600">
            — <span className="break-all">{note.outcomeNoteBy ?? "unknown"}</span>, <Time value={note.outcomeNoteAt} />
          </figcaption>
        </figure>
      ) : !canWrite ? (
        <p className="text-sm text-slate-600">Nobody has said how this run went yet.</p>
      ) : null}

      {has && canWrite && !showForm ? (
        <Button
          size="sm"
          variant="secondary"
          onClick={() => setEditing(true)}
        >
          Change the note
        </Button>
      ) : null}

      {showForm ? (
        <form action={formAction} aria-label="Outcome note" className="max-w-3xl space-y-2">
          <input type="hidden" name="id" value={id} />
          <label htmlFor="outcome-note" className={labelClass}>
            How did it go?
          </label>
          <textarea
            id="outcome-note"
            name="note"
            rows={3}
            maxLength={MAX}
            required
            defaultValue={initial}
            autoFocus={editing}
            placeholder="e.g. the rollback fixed the 5xx within two minutes; or: restart helped for 5 minutes, then the leak came back"
            className="block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm text-slate-900 shadow-sm placeholder:text-slate-500 focus-visible:border-indigo-600 focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-indigo-600 aria-invalid:border-red-500"
            {...fieldAria("outcome-note", { hint: true, errors })}
          />
          {errors?.length ? (
            <p id="outcome-note-error" className="text-xs text-red-700">
              {errors.join(" ")}
            </p>
          ) : (
            <p id="outcome-note-hint" className="text-xs text-slate-500">
              What worked and what did not, in a sentence or two (at most {MAX.toLocaleString("en-US")} characters). The recommender reads these notes when it ranks playbooks for similar incidents.
            </p>
          )}
          <div className="flex flex-wrap items-center gap-2">
            <SubmitButton size="sm" pendingText="Saving…">
              {has ? "Save the new note" : "Save note"}
            </SubmitButton>
            {has ? (
              <Button size="sm" variant="secondary" onClick={() => setEditing(false)}>
                Cancel
              </Button>
            ) : null}
          </div>
        </form>
      ) : null}
      <ActionOutcome state={state} success={(s) => s.message} />
    </div>
  );
}
