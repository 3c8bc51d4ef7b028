"use client";

// One input for a param the incident could not fill (lib/recommend/readiness.ts MissingParam), typed from
// its spec: a select for an enum or a boolean, a number input with min/max, text with the spec's pattern.
// The browser checks what it can before the form is sent; the server checks everything again.
import type { MissingParam } from "@/lib/recommend/readiness";
import { fieldAria, inputClass, labelClass, selectClass } from "@/components/ui/field";
import { htmlPattern } from "@/app/(app)/runs/_lib/html-pattern";
import { PARAM_PREFIX } from "@/app/(app)/runs/_lib/run-types";

/** The hint under a field: what the param is for and what values it takes. */
export function paramHint(spec: Pick<MissingParam, "description" | "pattern" | "min" | "max" | "enum">): string {
  const sentence = (s: string) => (/[.!?]$/.test(s) ? s : `${s}.`);
  return [
    spec.description ? sentence(spec.description) : null,
    spec.pattern && !spec.enum ? `Must match ${spec.pattern}.` : null,
    spec.min !== undefined || spec.max !== undefined ? `From ${spec.min ?? "−∞"} to ${spec.max ?? "∞"}.` : null,
  ]
    .filter(Boolean)
    .join(" ");
}

type Props = {
  /** Unique on the page: several recommendations can ask for a param of the same name. */
  id: string;
  spec: MissingParam;
  value: string | undefined;
  errors: string[] | undefined;
  /** The first field takes the focus when the form opens. */
  autoFocus?: boolean;
};

export function MissingParamField({ id, spec, value, errors, autoFocus }: Props) {
  const hint = paramHint(spec);
  const aria = fieldAria(id, { hint: hint !== "", errors });
  const name = `${PARAM_PREFIX}${spec.name}`;
  let control;
  if (spec.enum || spec.type === "boolean") {
    const choices = spec.enum ? spec.enum.map(String) : ["true", "false"];
    control = (
      <select autoFocus={autoFocus} id={id} name={name} defaultValue={value ?? ""} required className={selectClass} {...aria}>
        <option value="">Choose…</option>
        {choices.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    );
  } else if (spec.type === "number") {
    control = <input autoFocus={autoFocus} id={id} name={name} type="number" step="any" min={spec.min} max={spec.max} defaultValue={value} required className={inputClass} {...aria} />;
  } else {
    const pattern = htmlPattern(spec.pattern);
    control = (
      <input
        autoFocus={autoFocus}
        id={id}
        name={name}
        defaultValue={value}
        required
        pattern={pattern}
        // The browser's message for a pattern mismatch adds this text.
        title={pattern ? `Must match ${spec.pattern}` : undefined}
        autoComplete="off"
        spellCheck={false}
        className={`${inputClass} font-mono`}
        {...aria}
      />
    );
  }
  return (
    <div className="min-w-0 space-y-1">
      <label htmlFor={id} className={labelClass}>
        <code className="font-mono break-all">{spec.name}</code>
        <span aria-hidden="true" className="ml-0.5 text-red-700">
          *
        </span>
        <span className="sr-only"> (required)</span>
        <span className="ml-1 font-normal text-slate-500">{spec.type}</span>
      </label>
      {control}
      {errors?.length ? (
        <p id={`${id}-error`} className="text-xs break-words text-red-700">
          {errors.join(" ")}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="text-xs break-words text-slate-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
