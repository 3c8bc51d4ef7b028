"use client";

import { useActionState, useId, useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, inputClass, labelClass, selectClass } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { ActionOutcome } from "@/app/(app)/_lib/action-outcome";
import { saveScheduleAction, type SaveScheduleState } from "../actions";
import { WEEKDAYS, newLayer, type LayerState, type Member, type Restriction, type ScheduleState } from "../_lib/form-state";

/** What the lib expects, from the form's state (hours → minutes; only the fields the rotation uses). */
function toPayload(s: ScheduleState) {
  return {
    ...(s.id ? { id: s.id } : {}),
    name: s.name,
    timeZone: s.timeZone,
    description: s.description,
    layers: s.layers.map((l) => ({
      name: l.name,
      rotation: l.rotation,
      startsAt: l.startsAt,
      participants: l.participants,
      restrictions: l.restrictions,
      ...(l.rotation === "custom" ? { lengthMinutes: Math.round(l.lengthHours * 60) } : { handoffTime: l.handoffTime }),
      ...(l.rotation === "weekly" ? { handoffWeekday: l.handoffWeekday } : {}),
    })),
  };
}

function timeZones(): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (k: string) => string[] };
  return intl.supportedValuesOf ? ["UTC", ...intl.supportedValuesOf("timeZone")] : ["UTC"];
}

function ParticipantsEditor({ legend, value, members, onChange }: { legend: string; value: string[]; members: Member[]; onChange: (v: string[]) => void }) {
  const id = useId();
  const byId = new Map(members.map((m) => [m.userId, m]));
  const addable = members.filter((m) => !m.disabled);
  const move = (i: number, d: -1 | 1) => {
    const next = [...value];
    [next[i], next[i + d]] = [next[i + d]!, next[i]!];
    onChange(next);
  };
  return (
    <fieldset className="space-y-2">
      <legend className={labelClass}>{legend}</legend>
      <p className="text-xs text-slate-500">In rotation order: the first takes the first shift. Someone may appear twice for a longer turn.</p>
      {value.length === 0 ? <p className="text-xs text-slate-500">Nobody yet.</p> : null}
      <ol className="space-y-1">
        {value.map((userId, i) => {
          const m = byId.get(userId);
          const who = m ? `${m.name} (${m.email})` : userId;
          return (
            <li key={`${userId}-${i}`} className="flex flex-wrap items-center gap-2 text-sm">
              <span className="w-6 text-right text-slate-500 tabular-nums">{i + 1}.</span>
              <span className="min-w-48">{who}</span>
              <Button variant="secondary" size="sm" disabled={i === 0} onClick={() => move(i, -1)} aria-label={`Move ${who} earlier`}>
                ↑
              </Button>
              <Button variant="secondary" size="sm" disabled={i === value.length - 1} onClick={() => move(i, 1)} aria-label={`Move ${who} later`}>
                ↓
              </Button>
              <Button variant="secondary" size="sm" onClick={() => onChange(value.filter((_, j) => j !== i))} aria-label={`Remove ${who}`}>
                Remove
              </Button>
            </li>
          );
        })}
      </ol>
      <div className="w-80">
        <label htmlFor={`${id}-add`} className="sr-only">{`${legend}: add a person`}</label>
        <select
          id={`${id}-add`}
          value=""
          onChange={(e) => e.target.value && onChange([...value, e.target.value])}
          className={selectClass}
        >
          <option value="">Add a person…</option>
          {addable.map((m) => (
            <option key={m.userId} value={m.userId}>
              {m.name} ({m.email})
            </option>
          ))}
        </select>
      </div>
    </fieldset>
  );
}

function RestrictionsEditor({ legend, value, onChange }: { legend: string; value: Restriction[]; onChange: (v: Restriction[]) => void }) {
  const id = useId();
  const set = (i: number, patch: Partial<Restriction>) => onChange(value.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset className="space-y-2">
      <legend className={labelClass}>{legend}</legend>
      <p className="text-xs text-slate-500">Optional. Without windows the layer covers every hour; with them, only these weekly windows (an end at or before the start ends the next day). Outside them the layers below show through.</p>
      {value.map((r, i) => (
        <div key={i} className="flex flex-wrap items-end gap-3 rounded border border-slate-200 p-2">
          <fieldset className="flex flex-wrap gap-2">
            <legend className="sr-only">{`Window ${i + 1}: days it starts on`}</legend>
            {WEEKDAYS.map((d, k) => (
              <label key={d} className="flex items-center gap-1 text-xs text-slate-700">
                <input
                  type="checkbox"
                  checked={r.days.includes(k + 1)}
                  onChange={(e) => set(i, { days: e.target.checked ? [...r.days, k + 1].sort() : r.days.filter((x) => x !== k + 1) })}
                />
                {d.slice(0, 3)}
              </label>
            ))}
          </fieldset>
          <div>
            <label htmlFor={`${id}-s${i}`} className={labelClass}>{`Window ${i + 1} from`}</label>
            <input id={`${id}-s${i}`} type="time" value={r.start} onChange={(e) => set(i, { start: e.target.value })} className={inputClass} required />
          </div>
          <div>
            <label htmlFor={`${id}-e${i}`} className={labelClass}>{`Window ${i + 1} to`}</label>
            <input id={`${id}-e${i}`} type="time" value={r.end} onChange={(e) => set(i, { end: e.target.value })} className={inputClass} required />
          </div>
          <Button variant="secondary" size="sm" onClick={() => onChange(value.filter((_, j) => j !== i))} aria-label={`Remove window ${i + 1}`}>
            Remove
          </Button>
        </div>
      ))}
      <Button variant="secondary" size="sm" onClick={() => onChange([...value, { days: [1, 2, 3, 4, 5], start: "09:00", end: "17:00" }])}>
        Add window
      </Button>
    </fieldset>
  );
}

/** Create or edit a schedule: name, zone and its layers (bottom first: a later layer covers the earlier ones). */
export function ScheduleForm({ initial, members, defaultStart }: { initial: ScheduleState; members: Member[]; defaultStart: string }) {
  const [state, setState] = useState<ScheduleState>(initial);
  const [result, formAction] = useActionState<SaveScheduleState, FormData>(saveScheduleAction, null);
  const zones = useMemo(timeZones, []);
  const id = useId();
  const setLayer = (i: number, patch: Partial<LayerState>) => setState((s) => ({ ...s, layers: s.layers.map((l, j) => (j === i ? { ...l, ...patch } : l)) }));

  return (
    <form action={formAction} className="space-y-5" aria-label={initial.id ? "Edit schedule" : "New schedule"}>
      <input type="hidden" name="payload" value={JSON.stringify(toPayload(state))} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id={`${id}-name`} label="Name">
          <input id={`${id}-name`} value={state.name} onChange={(e) => setState({ ...state, name: e.target.value })} required maxLength={200} className={inputClass} />
        </Field>
        <Field id={`${id}-tz`} label="Time zone" hint="Hand-off times, windows and layer starts are wall-clock times here.">
          <input id={`${id}-tz`} list={`${id}-zones`} value={state.timeZone} onChange={(e) => setState({ ...state, timeZone: e.target.value })} required className={inputClass} aria-describedby={`${id}-tz-hint`} />
          <datalist id={`${id}-zones`}>
            {zones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </Field>
        <Field id={`${id}-desc`} label="Description" className="sm:col-span-2">
          <input id={`${id}-desc`} value={state.description} onChange={(e) => setState({ ...state, description: e.target.value })} maxLength={2000} className={inputClass} />
        </Field>
      </div>

      <section aria-labelledby={`${id}-layers`} className="space-y-3">
        <h2 id={`${id}-layers`} className="text-sm font-semibold text-slate-900">
          Layers
        </h2>
        <p className="text-xs text-slate-500">Bottom first. A later layer covers the ones above it in this list wherever it has someone on call; overrides cover all layers.</p>
        {state.layers.map((l, i) => (
          <fieldset key={i} className="space-y-3 rounded-lg border border-slate-200 bg-slate-50/50 p-3">
            <legend className="px-1 text-sm font-medium text-slate-800">{`Layer ${i + 1}${l.name ? `: ${l.name}` : ""}`}</legend>
            <div className="grid gap-3 sm:grid-cols-3">
              <Field id={`${id}-l${i}-name`} label={`Layer ${i + 1} name`}>
                <input id={`${id}-l${i}-name`} value={l.name} onChange={(e) => setLayer(i, { name: e.target.value })} maxLength={200} className={inputClass} />
              </Field>
              <Field id={`${id}-l${i}-rot`} label={`Layer ${i + 1} rotation`}>
                <select id={`${id}-l${i}-rot`} value={l.rotation} onChange={(e) => setLayer(i, { rotation: e.target.value as LayerState["rotation"] })} className={selectClass}>
                  <option value="daily">Daily</option>
                  <option value="weekly">Weekly</option>
                  <option value="custom">Custom length</option>
                </select>
              </Field>
              <Field id={`${id}-l${i}-start`} label={`Layer ${i + 1} starts`} hint="The first participant's shift begins here.">
                <input id={`${id}-l${i}-start`} type="datetime-local" value={l.startsAt} onChange={(e) => setLayer(i, { startsAt: e.target.value })} required className={inputClass} aria-describedby={`${id}-l${i}-start-hint`} />
              </Field>
              {l.rotation === "weekly" ? (
                <Field id={`${id}-l${i}-wd`} label={`Layer ${i + 1} hand-off day`}>
                  <select id={`${id}-l${i}-wd`} value={l.handoffWeekday} onChange={(e) => setLayer(i, { handoffWeekday: Number(e.target.value) })} className={selectClass}>
                    {WEEKDAYS.map((d, k) => (
                      <option key={d} value={k + 1}>
                        {d}
                      </option>
                    ))}
                  </select>
                </Field>
              ) : null}
              {l.rotation !== "custom" ? (
                <Field id={`${id}-l${i}-time`} label={`Layer ${i + 1} hand-off time`}>
                  <input id={`${id}-l${i}-time`} type="time" value={l.handoffTime} onChange={(e) => setLayer(i, { handoffTime: e.target.value })} required className={inputClass} />
                </Field>
              ) : (
                <Field id={`${id}-l${i}-len`} label={`Layer ${i + 1} shift length (hours)`} hint="At least 1 hour; counted from the layer's start.">
                  <input id={`${id}-l${i}-len`} type="number" min={1} max={672} step={0.25} value={l.lengthHours} onChange={(e) => setLayer(i, { lengthHours: Number(e.target.value) })} required className={inputClass} aria-describedby={`${id}-l${i}-len-hint`} />
                </Field>
              )}
            </div>
            <ParticipantsEditor legend={`Layer ${i + 1} participants`} value={l.participants} members={members} onChange={(participants) => setLayer(i, { participants })} />
            <RestrictionsEditor legend={`Layer ${i + 1} windows`} value={l.restrictions} onChange={(restrictions) => setLayer(i, { restrictions })} />
            <Button variant="danger" size="sm" onClick={() => setState((s) => ({ ...s, layers: s.layers.filter((_, j) => j !== i) }))}>
              {`Remove layer ${i + 1}`}
            </Button>
          </fieldset>
        ))}
        <Button variant="secondary" onClick={() => setState((s) => ({ ...s, layers: [...s.layers, newLayer(s.layers[0]?.startsAt ?? defaultStart)] }))}>
          Add layer
        </Button>
      </section>

      <div className="flex items-center gap-3">
        <SubmitButton pendingText="Saving…">{initial.id ? "Save schedule" : "Create schedule"}</SubmitButton>
      </div>
      <ActionOutcome state={result} success={() => "Saved."} />
    </form>
  );
}
