import type { ReactNode } from "react";

const controlBase =
  "block rounded-md border border-slate-300 bg-white px-2.5 text-slate-900 shadow-sm placeholder:text-slate-500 focus-visible:border-indigo-600 focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-indigo-600 aria-invalid:border-red-500";

export const inputClass = `${controlBase} h-9 w-full text-sm`;
export const selectClass = `${controlBase} h-9 w-full pr-8 text-sm`;
/** For selects inside table rows. */
export const compactSelectClass = `${controlBase} h-7 w-32 shrink-0 pr-7 text-xs`;

export const labelClass = "block text-xs font-medium text-slate-700";

/** Label + control + optional hint/error, wired together with ids for screen readers. */
export function Field({
  id,
  label,
  hint,
  errors,
  children,
  className = "",
}: {
  id: string;
  label: string;
  hint?: string;
  errors?: string[];
  children: ReactNode;
  className?: string;
}) {
  return (
    <div className={`space-y-1 ${className}`}>
      <label htmlFor={id} className={labelClass}>
        {label}
      </label>
      {children}
      {hint && !errors?.length ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {errors?.length ? (
        <p id={`${id}-error`} className="text-xs text-red-700">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

/** aria-* props for a control inside <Field>. */
export function fieldAria(id: string, opts: { hint?: boolean; errors?: string[] }) {
  const invalid = !!opts.errors?.length;
  const describedBy = invalid ? `${id}-error` : opts.hint ? `${id}-hint` : undefined;
  return { "aria-invalid": invalid || undefined, "aria-describedby": describedBy };
}
