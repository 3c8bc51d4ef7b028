"use client";

import { useActionState, useState } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { Button } from "@/components/ui/button";
import { Field, fieldAria, inputClass, selectClass } from "@/components/ui/field";
import { createTokenAction, type CreateTokenState } from "../actions";
import { ActionOutcome } from "@/app/(app)/_lib/action-outcome";

function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Button
      variant="secondary"
      size="sm"
      onClick={() => {
        navigator.clipboard?.writeText(text).then(
          () => setCopied(true),
          () => setCopied(false),
        );
      }}
    >
      {copied ? "Copied" : "Copy"}
    </Button>
  );
}

export function CreateTokenForm({ roles }: { roles: readonly string[] }) {
  const [state, formAction] = useActionState<CreateTokenState, FormData>(createTokenAction, null);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const values = state && !state.ok ? state.values : undefined;

  return (
    <div className="space-y-3">
      <form action={formAction} className="flex flex-wrap items-end gap-3" aria-label="Create API token">
        <Field id="token-name" label="Name" errors={errors?.name} className="w-64">
          <input
            id="token-name"
            name="name"
            required
            maxLength={100}
            placeholder="e.g. grafana-webhook"
            defaultValue={values?.name}
            className={inputClass}
            {...fieldAria("token-name", { errors: errors?.name })}
          />
        </Field>
        <Field id="token-role" label="Role" errors={errors?.role} className="w-40">
          <select id="token-role" name="role" key={values?.role ?? "viewer"} defaultValue={values?.role ?? "viewer"} className={selectClass} {...fieldAria("token-role", { errors: errors?.role })}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </Field>
        <label className="flex items-center gap-2 pb-2 text-sm text-slate-700">
          <input type="checkbox" name="service" value="true" defaultChecked={values?.service === "true"} aria-describedby="token-service-hint" />
          Service token
        </label>
        <SubmitButton pendingText="Creating…">Create token</SubmitButton>
        <p id="token-service-hint" className="w-full text-xs text-slate-500">
          A token acts for you and never has more rights than your current role. A service token (for an integration) belongs to no person: it can never approve runs or manage people or tokens.
        </p>
      </form>

      <ActionOutcome
        state={state}
        success={(s) => (
          <>
            <p>
              Token <strong>{s.name}</strong> ({s.role}) created. Copy it now; it will not be shown again.
            </p>
            <div className="mt-2 flex items-center gap-2">
              <code data-testid="new-token" className="rounded border border-emerald-200 bg-white px-2 py-1 text-xs break-all text-slate-900 select-all">
                {s.token}
              </code>
              <CopyButton text={s.token} />
            </div>
          </>
        )}
      />
    </div>
  );
}
