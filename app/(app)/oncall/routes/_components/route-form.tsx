"use client";

import { useActionState, useEffect, useId, useState } from "react";
import { Field, inputClass, selectClass } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { ActionOutcome } from "@/app/(app)/_lib/action-outcome";
import type { ActionResult } from "@/app/(app)/_lib/action-result";
import { MatchersEditor, type MatcherRow } from "../../_components/matchers-editor";
import { saveRouteAction } from "../actions";

export type RouteState = { id?: string; name: string; matchers: MatcherRow[]; policy: string; isDefault: boolean; enabled: boolean };

/** Create or edit a route: which incidents (label matchers) page which escalation policy. */
export function RouteForm({ initial, policies }: { initial: RouteState; policies: { id: string; name: string }[] }) {
  const [state, setState] = useState<RouteState>(initial);
  const [result, formAction] = useActionState<ActionResult, FormData>(saveRouteAction, null);
  const id = useId();
  // A new route's form starts over once saved; an edit navigates away.
  useEffect(() => {
    if (result?.ok && !initial.id) setState(initial);
  }, [result, initial]);
  const payload = { ...(state.id ? { id: state.id } : {}), name: state.name, matchers: state.isDefault ? [] : state.matchers, policy: state.policy, isDefault: state.isDefault, enabled: state.enabled };
  return (
    <form action={formAction} className="space-y-4" aria-label={initial.id ? "Edit route" : "New route"}>
      <input type="hidden" name="payload" value={JSON.stringify(payload)} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id={`${id}-name`} label="Route name">
          <input id={`${id}-name`} value={state.name} onChange={(e) => setState({ ...state, name: e.target.value })} required maxLength={100} className={inputClass} />
        </Field>
        <Field id={`${id}-policy`} label="Escalation policy">
          <select id={`${id}-policy`} value={state.policy} onChange={(e) => setState({ ...state, policy: e.target.value })} required className={selectClass}>
            {policies.length === 0 ? <option value="">Create an escalation policy first</option> : null}
            {policies.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <div className="flex flex-wrap gap-6">
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" checked={state.isDefault} onChange={(e) => setState({ ...state, isDefault: e.target.checked })} />
          Default route (takes every incident no other route matches; no matchers)
        </label>
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" checked={state.enabled} onChange={(e) => setState({ ...state, enabled: e.target.checked })} />
          Enabled
        </label>
      </div>
      {!state.isDefault ? (
        <MatchersEditor
          legend="Matchers"
          hint={'All must match the incident\'s labels. A regex (=~, !~) matches the whole value; a label the incident does not have counts as "". No matchers: every incident.'}
          value={state.matchers}
          onChange={(matchers) => setState({ ...state, matchers })}
        />
      ) : null}
      <SubmitButton pendingText="Saving…">{initial.id ? "Save route" : "Add route"}</SubmitButton>
      <ActionOutcome state={result} success={() => "Route saved."} />
    </form>
  );
}
