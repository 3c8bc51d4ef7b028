"use client";

import { useActionState, useEffect, useId, useState } from "react";
import { Field, inputClass } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { ActionOutcome } from "@/app/(app)/_lib/action-outcome";
import type { ActionResult } from "@/app/(app)/_lib/action-result";
import { MatchersEditor, type MatcherRow } from "../../_components/matchers-editor";
import { saveInhibitionAction } from "../actions";

export type InhibitionState = { id?: string; name: string; sourceMatchers: MatcherRow[]; targetMatchers: MatcherRow[]; equal: string };

const EMPTY: InhibitionState = { name: "", sourceMatchers: [{ label: "alertname", op: "=", value: "" }], targetMatchers: [{ label: "alertname", op: "=~", value: "" }], equal: "" };

/** Alertmanager's inhibit rule: while a source alert fires, matching target incidents with equal labels page nobody. */
export function InhibitionForm({ initial = EMPTY }: { initial?: InhibitionState }) {
  const [s, setS] = useState<InhibitionState>(initial);
  const [result, formAction] = useActionState<ActionResult, FormData>(saveInhibitionAction, null);
  const id = useId();
  useEffect(() => {
    if (result?.ok && !initial.id) setS(EMPTY);
  }, [result, initial.id]);
  const payload = { ...(s.id ? { id: s.id } : {}), name: s.name, sourceMatchers: s.sourceMatchers, targetMatchers: s.targetMatchers, equal: s.equal.split(/[\s,]+/).filter(Boolean) };
  return (
    <form action={formAction} className="space-y-4" aria-label={initial.id ? "Edit inhibition rule" : "New inhibition rule"}>
      <input type="hidden" name="payload" value={JSON.stringify(payload)} />
      <Field id={`${id}-name`} label="Rule name" className="max-w-md">
        <input id={`${id}-name`} value={s.name} onChange={(e) => setS({ ...s, name: e.target.value })} required maxLength={100} className={inputClass} />
      </Field>
      <MatchersEditor legend="Source matchers" hint="A firing alert matching all of these…" value={s.sourceMatchers} onChange={(sourceMatchers) => setS({ ...s, sourceMatchers })} />
      <MatchersEditor legend="Target matchers" hint="…keeps incidents matching all of these from paging…" value={s.targetMatchers} onChange={(targetMatchers) => setS({ ...s, targetMatchers })} />
      <Field id={`${id}-equal`} label="Equal labels" hint="…when both have the same values for these labels (comma-separated, e.g. node, cluster). Empty: any target." className="max-w-md">
        <input id={`${id}-equal`} value={s.equal} onChange={(e) => setS({ ...s, equal: e.target.value })} className={inputClass} aria-describedby={`${id}-equal-hint`} />
      </Field>
      <SubmitButton pendingText="Saving…">{initial.id ? "Save rule" : "Add rule"}</SubmitButton>
      <ActionOutcome state={result} success={() => "Rule saved."} />
    </form>
  );
}
