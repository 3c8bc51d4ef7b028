"use client";

import { useId } from "react";
import { Button } from "@/components/ui/button";
import { inputClass, labelClass, selectClass } from "@/components/ui/field";
import { MATCH_OPS, type MatchOp } from "@/lib/oncall/matchers";

export type MatcherRow = { label: string; op: MatchOp; value: string };

const OP_NAMES: Record<MatchOp, string> = { "=": "= equals", "!=": "!= differs from", "=~": "=~ matches regex", "!~": "!~ does not match regex" };

/**
 * Label matchers (Alertmanager's: a regex is anchored; a missing label counts as ""). Controlled: the
 * parent form owns the rows. `legend` names the group for screen readers.
 */
export function MatchersEditor({ legend, value, onChange, hint, disabled = false }: { legend: string; value: MatcherRow[]; onChange: (rows: MatcherRow[]) => void; hint?: string; disabled?: boolean }) {
  const id = useId();
  const set = (i: number, patch: Partial<MatcherRow>) => onChange(value.map((m, j) => (j === i ? { ...m, ...patch } : m)));
  return (
    <fieldset className="space-y-2" disabled={disabled} aria-describedby={hint ? `${id}-hint` : undefined}>
      <legend className={labelClass}>{legend}</legend>
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {value.length === 0 ? <p className="text-xs text-slate-500">No matchers.</p> : null}
      <ul className="space-y-2">
        {value.map((m, i) => (
          <li key={i} className="flex flex-wrap items-end gap-2">
            <div className="w-40">
              <label htmlFor={`${id}-l${i}`} className="sr-only">{`${legend} ${i + 1}: label`}</label>
              <input id={`${id}-l${i}`} value={m.label} onChange={(e) => set(i, { label: e.target.value })} placeholder="label" required className={inputClass} />
            </div>
            <div className="w-48">
              <label htmlFor={`${id}-o${i}`} className="sr-only">{`${legend} ${i + 1}: operator`}</label>
              <select id={`${id}-o${i}`} value={m.op} onChange={(e) => set(i, { op: e.target.value as MatchOp })} className={selectClass}>
                {MATCH_OPS.map((op) => (
                  <option key={op} value={op}>
                    {OP_NAMES[op]}
                  </option>
                ))}
              </select>
            </div>
            <div className="w-56">
              <label htmlFor={`${id}-v${i}`} className="sr-only">{`${legend} ${i + 1}: value`}</label>
              <input id={`${id}-v${i}`} value={m.value} onChange={(e) => set(i, { value: e.target.value })} placeholder="value" className={inputClass} />
            </div>
            <Button variant="secondary" size="sm" onClick={() => onChange(value.filter((_, j) => j !== i))} aria-label={`Remove ${legend.toLowerCase()} ${i + 1}`}>
              Remove
            </Button>
          </li>
        ))}
      </ul>
      <Button variant="secondary" size="sm" onClick={() => onChange([...value, { label: "", op: "=", value: "" }])}>
        Add matcher
      </Button>
    </fieldset>
  );
}

