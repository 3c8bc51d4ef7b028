"use client";

import { useActionState, useEffect } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { SubmitButton } from "@/components/ui/submit-button";
import { fieldAria, inputClass, labelClass } from "@/components/ui/field";
import { ActionOutcome } from "@/app/(app)/_lib/action-outcome";
import { startExportAction, type StartExportState } from "../actions";
import { EXPORTS_QUERY_KEY } from "../_lib/export-types";

const KINDS = [
  { value: "incidents", label: "Incidents", hint: "with their signals and timeline" },
  { value: "runs", label: "Runs", hint: "with their steps and approvals" },
] as const;

function FieldError({ id, errors }: { id: string; errors?: string[] }) {
  return errors?.length ? (
    <p id={id} className="text-xs text-red-700">
      {errors.join(" ")}
    </p>
  ) : null;
}

/** Kinds, an optional range of whole UTC days, gzip; the new export shows up in the list, which then follows it live. */
export function StartExportForm() {
  const [state, formAction] = useActionState<StartExportState, FormData>(startExportAction, null);
  const queryClient = useQueryClient();
  useEffect(() => {
    if (state?.ok) void queryClient.invalidateQueries({ queryKey: EXPORTS_QUERY_KEY });
  }, [state, queryClient]);

  const echo = state && !state.ok ? state.values : undefined;
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const echoKinds = echo?.kinds !== undefined ? new Set(echo.kinds.split(",")) : null;

  return (
    <div className="space-y-3">
      <form action={formAction} aria-label="Start export" className="flex flex-wrap items-end gap-x-6 gap-y-4">
        <fieldset className="space-y-1" aria-describedby={errors?.kinds ? "export-kinds-error" : undefined}>
          <legend className={labelClass}>Include</legend>
          <div className="flex gap-4 pt-1">
            {KINDS.map((k) => (
              <label key={k.value} className="flex items-center gap-1.5 text-sm text-slate-800" title={k.hint}>
                <input type="checkbox" name="kinds" value={k.value} defaultChecked={echoKinds ? echoKinds.has(k.value) : true} className="size-4 accent-indigo-600" />
                {k.label}
              </label>
            ))}
          </div>
          <FieldError id="export-kinds-error" errors={errors?.kinds} />
        </fieldset>
        <div className="w-44 space-y-1">
          <label htmlFor="export-from" className={labelClass}>
            From <span className="font-normal text-slate-500">(UTC, optional)</span>
          </label>
          <input id="export-from" name="from" type="date" defaultValue={echo?.from ?? ""} className={inputClass} {...fieldAria("export-from", { errors: errors?.from })} />
          <FieldError id="export-from-error" errors={errors?.from} />
        </div>
        <div className="w-44 space-y-1">
          <label htmlFor="export-to" className={labelClass}>
            To <span className="font-normal text-slate-500">(UTC, optional)</span>
          </label>
          <input id="export-to" name="to" type="date" defaultValue={echo?.to ?? ""} className={inputClass} {...fieldAria("export-to", { errors: errors?.to })} />
          <FieldError id="export-to-error" errors={errors?.to} />
        </div>
        <label className="flex h-9 items-center gap-1.5 text-sm text-slate-800">
          <input type="checkbox" name="gzip" defaultChecked={echo ? echo.gzip === "on" : true} className="size-4 accent-indigo-600" />
          Compress (gzip)
        </label>
        <SubmitButton pendingText="Starting…">Start export</SubmitButton>
      </form>
      <p className="text-xs text-slate-500">Both dates are whole days in UTC and included; leave them empty to export everything. Incidents are selected by when they opened, runs by when they were requested.</p>
      <ActionOutcome
        state={state}
        success={(ok) => (
          <>
            Export <code data-testid="started-export-id">{ok.id.slice(0, 8)}</code> queued. Its progress shows in the list below.
          </>
        )}
      />
    </div>
  );
}
