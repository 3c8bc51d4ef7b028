"use client";

import { useActionState, useState } from "react";
import type { ParamSpec } from "@/lib/playbooks/schema";
import { SubmitButton } from "@/components/ui/submit-button";
import { Badge } from "@/components/ui/badge";
import { fieldAria, inputClass, labelClass, selectClass } from "@/components/ui/field";
import { ActionOutcome } from "@/app/(app)/_lib/action-outcome";
import { requestRunAction, type RequestRunState } from "../actions";
import { PARAM_PREFIX } from "../_lib/run-types";
import { RiskBadge } from "./run-badges";

export type PlaybookChoice = {
  name: string;
  description: string;
  risk: string;
  version: number;
  /** e.g. "verified by key release-2026", "invalid: …" */
  signature: string;
  signatureOk: boolean;
  params: Record<string, ParamSpec>;
  /** Whether the playbook's label selector matches the incident (only when requested from one). */
  matchesIncident?: boolean;
};

function ParamField({
  name,
  spec,
  prefill,
  echo,
  errors,
}: {
  name: string;
  spec: ParamSpec;
  prefill: string | undefined;
  echo: string | undefined;
  errors: string[] | undefined;
}) {
  const id = `param-${name}`;
  const initial = echo ?? prefill ?? (spec.default === undefined ? "" : String(spec.default));
  const aria = fieldAria(id, { hint: true, errors });
  const hint = [
    spec.description ? (/[.!?]$/.test(spec.description) ? spec.description : `${spec.description}.`) : null,
    prefill !== undefined ? "Prefilled from the incident's labels." : null,
    spec.default !== undefined ? `Default: ${String(spec.default)}.` : null,
    spec.pattern ? `Must match ${spec.pattern}.` : null,
    spec.min !== undefined || spec.max !== undefined ? `Range: ${spec.min ?? "−∞"} to ${spec.max ?? "∞"}.` : null,
  ]
    .filter(Boolean)
    .join(" ");
  const inputName = `${PARAM_PREFIX}${name}`;
  let control;
  if (spec.enum || spec.type === "boolean") {
    const choices = spec.enum ? spec.enum.map(String) : ["true", "false"];
    control = (
      <select id={id} name={inputName} defaultValue={initial} required={spec.required} className={selectClass} {...aria}>
        {!spec.required || initial === "" ? <option value="">{spec.required ? "Choose…" : "(not set)"}</option> : null}
        {choices.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    );
  } else if (spec.type === "number") {
    control = <input id={id} name={inputName} type="number" step="any" min={spec.min} max={spec.max} defaultValue={initial} required={spec.required} className={inputClass} {...aria} />;
  } else {
    control = <input id={id} name={inputName} defaultValue={initial} required={spec.required} autoComplete="off" spellCheck={false} className={`${inputClass} font-mono`} {...aria} />;
  }
  return (
    <div className="space-y-1">
      <label htmlFor={id} className={labelClass}>
        <code className="font-mono">{name}</code>
        {spec.required ? (
          <>
            <span aria-hidden="true" className="ml-0.5 text-red-700">
              *
            </span>
            <span className="sr-only"> (required)</span>
          </>
        ) : null}
        <span className="ml-1 font-normal text-slate-500">{spec.type}</span>
      </label>
      {control}
      {errors?.length ? (
        <p id={`${id}-error`} className="text-xs text-red-700">
          {errors.join(" ")}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/**
 * Pick a playbook, fill its parameters (generated from its param specs; inputs whose name matches an
 * incident label start with the label's value) and request a run. On success the action redirects to
 * the run page, where the dry-run shows up.
 */
export function RequestRunForm({
  playbooks,
  incidentId,
  prefill = {},
  initialPlaybook,
  label,
}: {
  playbooks: PlaybookChoice[];
  incidentId?: string;
  prefill?: Record<string, string>;
  initialPlaybook?: string;
  label: string;
}) {
  const [state, formAction] = useActionState<RequestRunState, FormData>(requestRunAction, null);
  const echo = state && !state.ok ? state.values : undefined;
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const [selected, setSelected] = useState(echo?.playbook ?? (playbooks.some((p) => p.name === initialPlaybook) ? initialPlaybook! : ""));
  const playbook = playbooks.find((p) => p.name === selected);
  const params = playbook ? Object.entries(playbook.params) : [];

  if (playbooks.length === 0) return <p className="text-sm text-slate-600">No playbooks in the catalog yet. An admin can sync or upload them on the Playbooks page.</p>;

  return (
    <div className="space-y-3">
      <form action={formAction} aria-label={label} className="space-y-4">
        {incidentId ? <input type="hidden" name="incidentId" value={incidentId} /> : null}
        <div className="max-w-xl space-y-1">
          <label htmlFor="run-playbook" className={labelClass}>
            Playbook
          </label>
          {/* Uncontrolled: React resets forms after an action, and a reset restores the default value, which
              follows the choice. */}
          <select id="run-playbook" name="playbook" defaultValue={selected} onChange={(e) => setSelected(e.target.value)} required className={selectClass} {...fieldAria("run-playbook", { errors: errors?.playbook })}>
            <option value="">Choose a playbook…</option>
            {playbooks.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name} v{p.version} — {p.risk} risk, {p.signature}
                {p.matchesIncident ? " — matches this incident" : ""}
              </option>
            ))}
          </select>
          {errors?.playbook ? (
            <p id="run-playbook-error" className="text-xs text-red-700">
              {errors.playbook.join(" ")}
            </p>
          ) : null}
        </div>

        {playbook ? (
          <div className="space-y-4" key={playbook.name}>
            <div className="max-w-3xl rounded-md border border-slate-200 bg-slate-50 p-3 text-sm" data-testid="chosen-playbook">
              <div className="flex flex-wrap items-center gap-2">
                <RiskBadge risk={playbook.risk} />
                <Badge tone={playbook.signatureOk ? "good" : "bad"}>Signature: {playbook.signature}</Badge>
                {playbook.matchesIncident ? <Badge tone="accent">matches this incident</Badge> : null}
              </div>
              <p className="mt-2 whitespace-pre-line text-slate-700">{playbook.description}</p>
              {!playbook.signatureOk ? (
                <p className="mt-2 font-medium text-red-800">This version does not pass the signature check: it can be dry-run, but approval and execution will be refused.</p>
              ) : null}
            </div>
            <fieldset className="max-w-3xl">
              <legend className="text-sm font-semibold text-slate-900">Parameters</legend>
              {params.length === 0 ? (
                <p className="mt-1 text-sm text-slate-600">This playbook takes no parameters.</p>
              ) : (
                <div className="mt-2 grid gap-3 sm:grid-cols-2">
                  {params.map(([name, spec]) => (
                    <ParamField key={name} name={name} spec={spec} prefill={prefill[name]} echo={echo?.[`${PARAM_PREFIX}${name}`]} errors={errors?.[`${PARAM_PREFIX}${name}`]} />
                  ))}
                </div>
              )}
            </fieldset>
            <div className="max-w-3xl space-y-1">
              <label htmlFor="run-reason" className={labelClass}>
                Reason <span className="font-normal text-slate-500">(optional, shown to approvers)</span>
              </label>
              <input id="run-reason" name="reason" maxLength={2000} defaultValue={echo?.reason} placeholder="e.g. error rate above SLO since 10:40" className={inputClass} />
            </div>
            <SubmitButton pendingText="Requesting…">Request run</SubmitButton>
          </div>
        ) : null}
      </form>
      <ActionOutcome state={state} success={() => <>Run requested.</>} />
    </div>
  );
}
