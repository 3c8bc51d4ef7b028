"use client";

import { useActionState, useState } from "react";
import { Field, fieldAria, inputClass, selectClass } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { savePrometheusSourceAction, type SavePrometheusState } from "../actions";
import { ActionOutcome } from "@/app/(app)/_lib/action-outcome";

type Source = { url: string; authType: string; username: string | null; hasSecret: boolean } | null;

export function PrometheusSourceForm({ source }: { source: Source }) {
  const [state, formAction] = useActionState<SavePrometheusState, FormData>(savePrometheusSourceAction, null);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const values = state && !state.ok ? state.values : undefined;
  const [authType, setAuthType] = useState(values?.authType ?? source?.authType ?? "none");
  const hasSecret = state?.ok ? state.hasSecret : !!source?.hasSecret;
  // Remount the uncontrolled fields with the stored (or echoed) values after each save.
  const key = state ? JSON.stringify(state.ok ? { ok: state.url } : values) : "initial";

  return (
    <div className="space-y-3">
      <form key={key} action={formAction} aria-label="Prometheus source" className="grid gap-3 md:grid-cols-[2fr_1fr]">
        <Field id="prom-url" label="URL" errors={errors?.url} hint="Base URL of the Prometheus HTTP API, e.g. http://prometheus:9090">
          <input
            id="prom-url"
            name="url"
            type="url"
            required
            defaultValue={values?.url ?? source?.url ?? ""}
            placeholder="http://prometheus:9090"
            className={inputClass}
            {...fieldAria("prom-url", { errors: errors?.url, hint: true })}
          />
        </Field>
        <Field id="prom-auth" label="Authentication" errors={errors?.authType}>
          <select id="prom-auth" name="authType" value={authType} onChange={(e) => setAuthType(e.target.value)} className={selectClass} {...fieldAria("prom-auth", { errors: errors?.authType })}>
            <option value="none">None</option>
            <option value="bearer">Bearer token</option>
            <option value="basic">Basic (username and password)</option>
          </select>
        </Field>
        {authType === "basic" ? (
          <Field id="prom-username" label="Username" errors={errors?.username}>
            <input
              id="prom-username"
              name="username"
              autoComplete="off"
              defaultValue={values?.username ?? source?.username ?? ""}
              className={inputClass}
              {...fieldAria("prom-username", { errors: errors?.username })}
            />
          </Field>
        ) : null}
        {authType !== "none" ? (
          <Field
            id="prom-secret"
            label={authType === "basic" ? "Password" : "Token"}
            errors={errors?.secret}
            hint={hasSecret ? "A secret is stored. Leave empty to keep it." : "Stored encrypted; never shown again."}
          >
            <input
              id="prom-secret"
              name="secret"
              type="password"
              autoComplete="new-password"
              placeholder={hasSecret ? "•••••••• (stored)" : ""}
              className={inputClass}
              {...fieldAria("prom-secret", { errors: errors?.secret, hint: true })}
            />
          </Field>
        ) : null}
        <div className="flex items-end md:col-span-2">
          <SubmitButton pendingText="Saving…">Save Prometheus source</SubmitButton>
        </div>
      </form>
      <ActionOutcome state={state} success={(s) => <>Saved. Monitors scan {s.url} from now on.</>} />
    </div>
  );
}
