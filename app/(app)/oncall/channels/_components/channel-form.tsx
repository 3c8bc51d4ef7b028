"use client";

import { useActionState, useId, useState } from "react";
import { Field, fieldAria, inputClass, selectClass } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { CopyButton } from "@/components/ui/copy-button";
import { Alert } from "@/components/ui/alert";
import type { ChannelType } from "@/lib/oncall/schemas";
import { saveChannelAction, type SaveChannelState } from "../actions";
import { CHANNEL_TYPE_NAMES } from "../_lib/channel-input";

export type ChannelFormInitial = { id?: string; name: string; type: ChannelType; enabled: boolean; config: Record<string, unknown>; credentials: string[] | null };

/**
 * Create or edit a notification channel; the fields depend on its type. Credentials are never shown:
 * on an edit, a credential left empty keeps the stored one.
 */
export function ChannelForm({ initial }: { initial: ChannelFormInitial }) {
  const [type, setType] = useState<ChannelType>(initial.type);
  const [state, formAction] = useActionState<SaveChannelState, FormData>(saveChannelAction, null);
  const id = useId();
  const editing = !!initial.id;
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const values = state && !state.ok ? state.values : undefined;
  const c = initial.config;
  const smtp = (c.smtp ?? {}) as { host?: string; port?: number; secure?: boolean; username?: string };
  const has = (k: string) => initial.credentials?.includes(k) ?? false;
  const keep = (k: string) => (editing && has(k) ? "Set. Leave empty to keep it." : undefined);
  const text = (name: string, label: string, opts: { def?: unknown; required?: boolean; placeholder?: string; hint?: string; secret?: boolean; type?: string } = {}) => {
    const fid = `${id}-${name}`;
    return (
      <Field id={fid} label={label} hint={opts.hint} errors={errors?.[name]}>
        <input
          id={fid}
          name={name}
          type={opts.secret ? "password" : (opts.type ?? "text")}
          autoComplete={opts.secret ? "off" : undefined}
          defaultValue={opts.secret ? undefined : (values?.[name] ?? (opts.def as string | undefined) ?? "")}
          required={opts.required}
          placeholder={opts.placeholder}
          className={inputClass}
          {...fieldAria(fid, { hint: !!opts.hint, errors: errors?.[name] })}
        />
      </Field>
    );
  };

  return (
    <div className="space-y-3">
      <form action={formAction} className="space-y-4" aria-label={editing ? "Edit channel" : "New channel"}>
        {editing ? <input type="hidden" name="id" value={initial.id} /> : null}
        <div className="grid gap-4 sm:grid-cols-3">
          {text("name", "Channel name", { def: initial.name, required: true })}
          <Field id={`${id}-type`} label="Type">
            {editing ? (
              <>
                <input type="hidden" name="type" value={type} />
                <p id={`${id}-type`} className="py-2 text-sm text-slate-800">
                  {CHANNEL_TYPE_NAMES[type]} <span className="text-xs text-slate-500">(to change it, make a new channel)</span>
                </p>
              </>
            ) : (
              <select id={`${id}-type`} name="type" value={type} onChange={(e) => setType(e.target.value as ChannelType)} className={selectClass}>
                {(Object.keys(CHANNEL_TYPE_NAMES) as ChannelType[]).map((t) => (
                  <option key={t} value={t}>
                    {CHANNEL_TYPE_NAMES[t]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <label className="flex items-center gap-2 self-end pb-2 text-sm text-slate-700">
            <input type="checkbox" name="enabled" defaultChecked={initial.enabled} />
            Enabled
          </label>
        </div>

        {type === "webhook" ? (
          <div className="grid gap-4 sm:grid-cols-2">
            {text("url", "URL", { def: c.url, required: true, placeholder: "https://receiver.example.com/neuralops", hint: "Receives a signed JSON POST per notification (Standard Webhooks)." })}
            {text("signingSecret", "Signing secret (optional)", { secret: true, placeholder: "whsec_…", hint: editing ? "Set. Leave empty to keep it, or tick Rotate." : "Leave empty to have one generated; it is shown once." })}
            {editing ? (
              <label className="flex items-center gap-2 text-sm text-slate-700">
                <input type="checkbox" name="rotate" />
                Rotate the signing secret (a new one is generated and shown once)
              </label>
            ) : null}
          </div>
        ) : null}
        {type === "slack" ? (
          <div className="grid gap-4 sm:grid-cols-2">
            {text("channel", "Slack channel", { def: c.channel, required: true, placeholder: "#ops or C0123ABCD", hint: "Invite the bot to it." })}
            {text("botToken", "Bot token", { secret: true, required: !editing, placeholder: "xoxb-…", hint: keep("botToken") })}
            {text("slackSigningSecret", "Signing secret (for buttons, optional)", { secret: true, hint: keep("signingSecret") ?? "From the Slack app's Basic Information; verifies button clicks." })}
            {text("apiUrl", "Slack API URL (optional)", { def: c.apiUrl, placeholder: "https://slack.com/api" })}
          </div>
        ) : null}
        {type === "teams" ? (
          <div className="grid gap-4 sm:grid-cols-2">
            {text("webhookUrl", "Workflows webhook URL", { secret: true, required: !editing, hint: keep("webhookUrl") ?? "The URL is the credential: it is stored encrypted and never shown again." })}
          </div>
        ) : null}
        {type === "email" ? (
          <div className="grid gap-4 sm:grid-cols-3">
            {text("to", "To (for the channel's own target)", { def: ((c.to as string[] | undefined) ?? []).join(", "), placeholder: "oncall@example.com", hint: "Steps naming people send to their own address." })}
            {text("from", "From (optional)", { def: c.from })}
            {text("smtpHost", "SMTP host (optional)", { def: smtp.host, hint: "Empty: the server's SMTP_URL." })}
            {text("smtpPort", "SMTP port", { def: smtp.port ? String(smtp.port) : "", type: "number", placeholder: "587" })}
            {text("smtpUsername", "SMTP user name", { def: smtp.username })}
            {text("smtpPassword", "SMTP password", { secret: true, hint: keep("smtpPassword") })}
            <label className="flex items-center gap-2 text-sm text-slate-700">
              <input type="checkbox" name="smtpSecure" defaultChecked={smtp.secure ?? false} />
              TLS from the start (port 465)
            </label>
          </div>
        ) : null}
        {type === "pagerduty" ? (
          <div className="grid gap-4 sm:grid-cols-2">
            {text("routingKey", "Integration (routing) key", { secret: true, required: !editing, hint: keep("routingKey") ?? "From the PagerDuty service's Events API v2 integration." })}
            {text("pdUrl", "Events API URL (optional)", { def: c.url, placeholder: "https://events.pagerduty.com" })}
          </div>
        ) : null}

        <SubmitButton pendingText="Saving…">{editing ? "Save channel" : "Create channel"}</SubmitButton>
      </form>
      <div aria-live="polite">
        {state && !state.ok ? (
          <Alert tone="error" role="alert">
            {state.error}
          </Alert>
        ) : null}
        {state?.ok ? (
          <Alert tone="success">
            <p>
              Channel <strong>{state.name}</strong> {state.created ? "created" : "saved"}.
            </p>
            {state.signingSecret ? (
              <>
                <p className="mt-1">Its signing secret is shown once: give it to the receiver now, which verifies each request&apos;s webhook-signature with it.</p>
                <div className="mt-2 flex items-center gap-2">
                  <code data-testid="signing-secret" className="rounded border border-emerald-200 bg-white px-2 py-1 text-xs break-all text-slate-900 select-all">
                    {state.signingSecret}
                  </code>
                  <CopyButton text={state.signingSecret} label="signing secret" />
                </div>
              </>
            ) : null}
          </Alert>
        ) : null}
      </div>
    </div>
  );
}
