"use client";

// From a recommendation to a run without a dead end. When the incident filled every required param, one click
// requests the run with the suggested params. When some are missing, the same button opens a short form that
// asks only for those (the suggested ones travel along, listed read-only). Both post to the action behind the
// "Run a playbook" form, which redirects to the new run's page or reports problems next to the fields; a
// suggested value the server refused becomes an editable field too.
import { useActionState, useId, useState } from "react";
import type { MissingParam } from "@/lib/recommend/readiness";
import { Button } from "@/components/ui/button";
import { SubmitButton } from "@/components/ui/submit-button";
import { fieldAria, inputClass, labelClass } from "@/components/ui/field";
import { ActionOutcome } from "@/app/(app)/_lib/action-outcome";
import { requestRunAction, type RequestRunState } from "@/app/(app)/runs/actions";
import { PARAM_PREFIX } from "@/app/(app)/runs/_lib/run-types";
import { MissingParamField } from "./missing-param-field";

type Props = {
  playbook: string;
  incidentId: string;
  /** Params filled from the incident (lib/recommend suggestedParams), as form values. */
  params: Record<string, string>;
  /** Required params the incident could not fill. */
  missing: readonly MissingParam[];
};

export function RecommendRunButton({ playbook, incidentId, params, missing }: Props) {
  const [state, formAction] = useActionState<RequestRunState, FormData>(requestRunAction, null);
  const [open, setOpen] = useState(false);
  // After Cancel the focus goes back to the button that opened the form, not to the top of the page.
  const [closedByUser, setClosedByUser] = useState(false);
  const baseId = useId();
  const formId = `${baseId}-form`;
  const echo = state && !state.ok ? state.values : undefined;
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const errorsOf = (name: string) => errors?.[`${PARAM_PREFIX}${name}`];
  // Suggested values the server refused (e.g. a label value that does not fit the param's pattern).
  const refused = Object.keys(params).filter((name) => errorsOf(name)?.length);
  const prefilled = Object.entries(params).filter(([name]) => !refused.includes(name));
  const asksForValues = missing.length > 0 || refused.length > 0;
  const label = `Request run of ${playbook}`;

  if (missing.length > 0 && !open) {
    return (
      <div className="space-y-1">
        <Button size="sm" aria-label={label} aria-expanded={false} aria-controls={formId} aria-describedby={`${baseId}-needs`} autoFocus={closedByUser} onClick={() => setOpen(true)}>
          Request run…
        </Button>
        <p id={`${baseId}-needs`} className="text-xs break-words text-slate-600">
          Needs {missing.length === 1 ? "one more value" : `${missing.length} more values`}: {missing.map((m) => m.name).join(", ")}.
        </p>
      </div>
    );
  }

  return (
    <div className="space-y-2">
      <form
        id={formId}
        action={formAction}
        aria-label={`Request a run of ${playbook}`}
        className={asksForValues ? "max-w-3xl space-y-3 rounded-md border border-slate-200 bg-slate-50 p-3" : undefined}
        data-testid={asksForValues ? "recommendation-params-form" : undefined}
      >
        <input type="hidden" name="playbook" value={playbook} />
        <input type="hidden" name="incidentId" value={incidentId} />
        <input type="hidden" name="reason" value="Recommended for this incident" />
        {prefilled.map(([name, value]) => (
          <input key={name} type="hidden" name={`${PARAM_PREFIX}${name}`} value={value} />
        ))}
        {asksForValues ? (
          <>
            <p className="text-sm text-slate-700">
              {missing.length > 0 ? "The incident does not say what these should be. Fill them in to request the run:" : "Correct these values to request the run:"}
            </p>
            <div className="grid gap-3 sm:grid-cols-2">
              {missing.map((spec, i) => (
                <MissingParamField key={spec.name} id={`${baseId}-${spec.name}`} spec={spec} value={echo?.[`${PARAM_PREFIX}${spec.name}`]} errors={errorsOf(spec.name)} autoFocus={i === 0} />
              ))}
              {refused.map((name) => (
                <RefusedParamField key={name} id={`${baseId}-${name}`} name={name} value={echo?.[`${PARAM_PREFIX}${name}`] ?? params[name]} errors={errorsOf(name)} />
              ))}
            </div>
            {prefilled.length ? (
              <p className="text-xs break-words text-slate-600" data-testid="recommendation-prefilled">
                From the incident:{" "}
                {prefilled.map(([name, value]) => (
                  <code key={name} className="mr-1 rounded bg-white px-1 font-mono break-all text-slate-700">
                    {name}={value}
                  </code>
                ))}
              </p>
            ) : null}
          </>
        ) : null}
        <div className="flex flex-wrap items-center gap-2">
          <SubmitButton size="sm" pendingText="Requesting…" aria-label={label}>
            Request run
          </SubmitButton>
          {missing.length > 0 ? (
            <Button
              size="sm"
              variant="secondary"
              onClick={() => {
                setOpen(false);
                setClosedByUser(true);
              }}
            >
              Cancel
            </Button>
          ) : null}
        </div>
      </form>
      <ActionOutcome state={state} success={() => <>Run requested.</>} />
    </div>
  );
}

/** A suggested value the server refused: its spec is not at hand here, so a plain text input with the reason. */
function RefusedParamField({ id, name, value, errors }: { id: string; name: string; value: string | undefined; errors: string[] | undefined }) {
  return (
    <div className="min-w-0 space-y-1">
      <label htmlFor={id} className={labelClass}>
        <code className="font-mono break-all">{name}</code>
      </label>
      <input id={id} name={`${PARAM_PREFIX}${name}`} defaultValue={value} required autoComplete="off" spellCheck={false} className={`${inputClass} font-mono`} {...fieldAria(id, { errors })} />
      <p id={`${id}-error`} className="text-xs break-words text-red-700">
        {errors?.join(" ")}
      </p>
    </div>
  );
}
