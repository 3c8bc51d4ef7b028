"use client";

import { useActionState, useEffect, useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, inputClass, labelClass } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { ActionOutcome } from "@/app/(app)/_lib/action-outcome";
import type { ActionResult } from "@/app/(app)/_lib/action-result";
import { MatchersEditor, type MatcherRow } from "../../_components/matchers-editor";
import { createSilenceAction } from "../actions";

const DAYS = [
  ["mon", "Mon"],
  ["tue", "Tue"],
  ["wed", "Wed"],
  ["thu", "Thu"],
  ["fri", "Fri"],
  ["sat", "Sat"],
  ["sun", "Sun"],
] as const;

/** datetime-local "now + ms" on the wall clock of `timeZone`. */
function localIn(ms: number, timeZone: string): string {
  const f = new Intl.DateTimeFormat("sv-SE", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  try {
    return f.format(new Date(Date.now() + ms)).replace(" ", "T");
  } catch {
    return "";
  }
}

type State = { matchers: MatcherRow[]; startsAt: string; endsAt: string; timeZone: string; comment: string; weekly: boolean; days: string[]; start: string; end: string };

const EMPTY: State = { matchers: [{ label: "", op: "=", value: "" }], startsAt: "", endsAt: "", timeZone: "UTC", comment: "", weekly: false, days: ["tue"], start: "22:00", end: "02:00" };

/** Mute incidents matching the matchers for a while, or only inside a weekly window (maintenance). */
export function SilenceForm() {
  const [s, setS] = useState<State>(EMPTY);
  const [result, formAction] = useActionState<ActionResult, FormData>(createSilenceAction, null);
  const id = useId();
  // The reader's own zone by default; the server renders UTC (it cannot know it).
  useEffect(() => setS((x) => ({ ...x, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC" })), []);
  useEffect(() => {
    if (result?.ok) setS((x) => ({ ...EMPTY, timeZone: x.timeZone }));
  }, [result]);
  const payload = {
    matchers: s.matchers,
    ...(s.startsAt ? { startsAt: s.startsAt } : {}),
    endsAt: s.endsAt,
    timeZone: s.timeZone,
    comment: s.comment,
    ...(s.weekly ? { recurrence: { days: s.days, start: s.start, end: s.end } } : {}),
  };
  return (
    <form action={formAction} className="space-y-4" aria-label="New silence">
      <input type="hidden" name="payload" value={JSON.stringify(payload)} />
      <MatchersEditor
        legend="Matchers"
        hint={'Incidents whose labels match all of these stay quiet. At least one must not match an empty value, so a silence never mutes everything.'}
        value={s.matchers}
        onChange={(matchers) => setS({ ...s, matchers })}
      />
      <div className="grid gap-4 sm:grid-cols-3">
        <Field id={`${id}-tz`} label="Time zone" hint="Of the times below and of the weekly window.">
          <input id={`${id}-tz`} value={s.timeZone} onChange={(e) => setS({ ...s, timeZone: e.target.value })} required className={inputClass} aria-describedby={`${id}-tz-hint`} />
        </Field>
        <Field id={`${id}-from`} label="Starts (empty: now)">
          <input id={`${id}-from`} type="datetime-local" value={s.startsAt} onChange={(e) => setS({ ...s, startsAt: e.target.value })} className={inputClass} />
        </Field>
        <Field id={`${id}-to`} label="Ends">
          <input id={`${id}-to`} type="datetime-local" value={s.endsAt} onChange={(e) => setS({ ...s, endsAt: e.target.value })} required className={inputClass} />
        </Field>
      </div>
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span className="text-slate-600">Ends in:</span>
        {(
          [
            ["1 hour", 3600_000],
            ["4 hours", 4 * 3600_000],
            ["1 day", 86_400_000],
            ["1 week", 7 * 86_400_000],
          ] as const
        ).map(([label, ms]) => (
          <Button key={label} variant="secondary" size="sm" onClick={() => setS({ ...s, endsAt: localIn(ms, s.timeZone) })}>
            {label}
          </Button>
        ))}
      </div>
      <label className="flex items-center gap-2 text-sm text-slate-700">
        <input type="checkbox" checked={s.weekly} onChange={(e) => setS({ ...s, weekly: e.target.checked })} />
        Weekly maintenance window: between the start and the end, mute only inside this window
      </label>
      {s.weekly ? (
        <fieldset className="flex flex-wrap items-end gap-4 rounded border border-slate-200 p-3">
          <legend className={labelClass}>Window</legend>
          <fieldset className="flex flex-wrap gap-2">
            <legend className="sr-only">Days the window starts on</legend>
            {DAYS.map(([d, label]) => (
              <label key={d} className="flex items-center gap-1 text-xs text-slate-700">
                <input type="checkbox" checked={s.days.includes(d)} onChange={(e) => setS({ ...s, days: e.target.checked ? [...s.days, d] : s.days.filter((x) => x !== d) })} />
                {label}
              </label>
            ))}
          </fieldset>
          <Field id={`${id}-ws`} label="Window from">
            <input id={`${id}-ws`} type="time" value={s.start} onChange={(e) => setS({ ...s, start: e.target.value })} required className={inputClass} />
          </Field>
          <Field id={`${id}-we`} label="Window to" hint="At or before the start: ends the next day.">
            <input id={`${id}-we`} type="time" value={s.end} onChange={(e) => setS({ ...s, end: e.target.value })} required className={inputClass} aria-describedby={`${id}-we-hint`} />
          </Field>
        </fieldset>
      ) : null}
      <Field id={`${id}-comment`} label="Comment" hint="Why, and a ticket if there is one: it shows on every incident it mutes.">
        <input id={`${id}-comment`} value={s.comment} onChange={(e) => setS({ ...s, comment: e.target.value })} required maxLength={1000} className={inputClass} aria-describedby={`${id}-comment-hint`} />
      </Field>
      <SubmitButton pendingText="Creating…">Create silence</SubmitButton>
      <ActionOutcome state={result} success={() => "Silence created."} />
    </form>
  );
}
