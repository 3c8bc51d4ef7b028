"use client";

import { useActionState, useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, inputClass, labelClass, selectClass } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { ActionOutcome } from "@/app/(app)/_lib/action-outcome";
import type { ActionResult } from "@/app/(app)/_lib/action-result";
import { savePolicyAction } from "../actions";
import { firstRef, newTarget, type Options, type PolicyState, type StepRow, type TargetKind, type TargetRow } from "../_lib/form-state";

type Kind = TargetKind;

const KIND_NAMES: Record<Kind, string> = { channel: "Channel", user: "Person", schedule: "Schedule (whoever is on call)" };
const REF_LABEL: Record<Kind, string> = { channel: "channel", user: "person", schedule: "schedule" };

function toPayload(s: PolicyState) {
  return {
    ...(s.id ? { id: s.id } : {}),
    name: s.name,
    ...(s.description ? { description: s.description } : {}),
    repeat: s.repeat,
    repeatAfterMinutes: s.repeatAfterMinutes,
    steps: s.steps.map((st) => ({
      afterMinutes: st.afterMinutes,
      targets: st.targets.map((t) => (t.kind === "channel" ? { channel: t.ref } : { [t.kind]: t.ref, ...(t.via.length ? { via: t.via } : {}) })),
    })),
  };
}

function TargetEditor({ label, value, options, onChange, onRemove }: { label: string; value: TargetRow; options: Options; onChange: (t: TargetRow) => void; onRemove: () => void }) {
  const id = useId();
  const refs =
    value.kind === "channel"
      ? options.channels.map((c) => ({ id: c.id, text: `${c.name} (${c.type})` }))
      : value.kind === "user"
        ? options.members.map((m) => ({ id: m.userId, text: `${m.name} (${m.email})` }))
        : options.schedules.map((s) => ({ id: s.id, text: s.name }));
  return (
    <div className="space-y-2 rounded border border-slate-200 bg-white p-2">
      <div className="flex flex-wrap items-end gap-2">
        <div className="w-56">
          <label htmlFor={`${id}-kind`} className={labelClass}>{`${label}: kind`}</label>
          <select id={`${id}-kind`} value={value.kind} onChange={(e) => onChange({ kind: e.target.value as Kind, ref: firstRef(e.target.value as Kind, options), via: [] })} className={selectClass}>
            {(Object.keys(KIND_NAMES) as Kind[]).map((k) => (
              <option key={k} value={k}>
                {KIND_NAMES[k]}
              </option>
            ))}
          </select>
        </div>
        <div className="w-72">
          <label htmlFor={`${id}-ref`} className={labelClass}>{`${label}: ${REF_LABEL[value.kind]}`}</label>
          <select id={`${id}-ref`} value={value.ref} onChange={(e) => onChange({ ...value, ref: e.target.value })} required className={selectClass}>
            {refs.length === 0 ? <option value="">None exists yet</option> : null}
            {refs.map((r) => (
              <option key={r.id} value={r.id}>
                {r.text}
              </option>
            ))}
          </select>
        </div>
        <Button variant="secondary" size="sm" onClick={onRemove} aria-label={`Remove ${label.toLowerCase()}`}>
          Remove
        </Button>
      </div>
      {value.kind !== "channel" ? (
        <fieldset>
          <legend className="text-xs text-slate-600">{`${label}: reach through (none ticked: the organization's first email and Slack channels)`}</legend>
          <div className="mt-1 flex flex-wrap gap-3">
            {options.channels.map((c) => (
              <label key={c.id} className="flex items-center gap-1 text-xs text-slate-700">
                <input type="checkbox" checked={value.via.includes(c.id)} onChange={(e) => onChange({ ...value, via: e.target.checked ? [...value.via, c.id] : value.via.filter((v) => v !== c.id) })} />
                {c.name}
              </label>
            ))}
          </div>
        </fieldset>
      ) : null}
    </div>
  );
}

/** Create or edit an escalation policy: steps (each after some minutes, to some targets) and repeats. */
export function PolicyForm({ initial, options }: { initial: PolicyState; options: Options }) {
  const [state, setState] = useState<PolicyState>(initial);
  const [result, formAction] = useActionState<ActionResult, FormData>(savePolicyAction, null);
  const id = useId();
  const setStep = (i: number, patch: Partial<StepRow>) => setState((s) => ({ ...s, steps: s.steps.map((st, j) => (j === i ? { ...st, ...patch } : st)) }));

  return (
    <form action={formAction} className="space-y-5" aria-label={initial.id ? "Edit escalation policy" : "New escalation policy"}>
      <input type="hidden" name="payload" value={JSON.stringify(toPayload(state))} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id={`${id}-name`} label="Name">
          <input id={`${id}-name`} value={state.name} onChange={(e) => setState({ ...state, name: e.target.value })} required maxLength={100} className={inputClass} />
        </Field>
        <Field id={`${id}-desc`} label="Description">
          <input id={`${id}-desc`} value={state.description} onChange={(e) => setState({ ...state, description: e.target.value })} maxLength={1000} className={inputClass} />
        </Field>
      </div>

      <section aria-labelledby={`${id}-steps`} className="space-y-3">
        <h2 id={`${id}-steps`} className="text-sm font-semibold text-slate-900">
          Steps
        </h2>
        <p className="text-xs text-slate-500">Minutes count from the start of the escalation (the incident opening), so each step waits at least as long as the one before. Fractions are fine: 0.5 is 30 seconds.</p>
        {state.steps.map((st, i) => (
          <fieldset key={i} className="space-y-2 rounded-lg border border-slate-200 bg-slate-50/50 p-3">
            <legend className="px-1 text-sm font-medium text-slate-800">{`Step ${i + 1}`}</legend>
            <Field id={`${id}-s${i}-after`} label={`Step ${i + 1}: minutes after the start`} className="w-64">
              <input id={`${id}-s${i}-after`} type="number" min={0} step="any" value={st.afterMinutes} onChange={(e) => setStep(i, { afterMinutes: Number(e.target.value) })} required className={inputClass} />
            </Field>
            {st.targets.map((t, j) => (
              <TargetEditor
                key={j}
                label={`Step ${i + 1}, target ${j + 1}`}
                value={t}
                options={options}
                onChange={(nt) => setStep(i, { targets: st.targets.map((x, k) => (k === j ? nt : x)) })}
                onRemove={() => setStep(i, { targets: st.targets.filter((_, k) => k !== j) })}
              />
            ))}
            <div className="flex gap-2">
              <Button variant="secondary" size="sm" onClick={() => setStep(i, { targets: [...st.targets, newTarget(options)] })}>
                {`Add target to step ${i + 1}`}
              </Button>
              <Button variant="danger" size="sm" onClick={() => setState((s) => ({ ...s, steps: s.steps.filter((_, k) => k !== i) }))}>
                {`Remove step ${i + 1}`}
              </Button>
            </div>
          </fieldset>
        ))}
        <Button
          variant="secondary"
          onClick={() => setState((s) => ({ ...s, steps: [...s.steps, { afterMinutes: (s.steps.at(-1)?.afterMinutes ?? 0) + (s.steps.length ? 10 : 0), targets: [newTarget(options)] }] }))}
        >
          Add step
        </Button>
      </section>

      <div className="grid gap-4 sm:grid-cols-2">
        <Field id={`${id}-repeat`} label="Repeat the steps this many times while nobody acknowledges" hint="0: run the steps once.">
          <input id={`${id}-repeat`} type="number" min={0} max={10} value={state.repeat} onChange={(e) => setState({ ...state, repeat: Number(e.target.value) })} className={inputClass} aria-describedby={`${id}-repeat-hint`} />
        </Field>
        <Field id={`${id}-repeat-after`} label="Minutes between the last step and the repeat">
          <input id={`${id}-repeat-after`} type="number" min={0} step="any" value={state.repeatAfterMinutes} onChange={(e) => setState({ ...state, repeatAfterMinutes: Number(e.target.value) })} className={inputClass} />
        </Field>
      </div>

      <SubmitButton pendingText="Saving…">{initial.id ? "Save policy" : "Create policy"}</SubmitButton>
      <ActionOutcome state={result} success={() => "Saved."} />
    </form>
  );
}
