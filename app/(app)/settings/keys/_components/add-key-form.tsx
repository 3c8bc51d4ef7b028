"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { Field, fieldAria, inputClass } from "@/components/ui/field";
import { ActionOutcome } from "@/app/(app)/_lib/action-outcome";
import { addKeyAction, type AddKeyState } from "../actions";

export function AddKeyForm() {
  const [state, formAction] = useActionState<AddKeyState, FormData>(addKeyAction, null);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const values = state && !state.ok ? state.values : undefined;
  return (
    <div className="space-y-3">
      <form action={formAction} aria-label="Add trusted key" className="grid max-w-3xl gap-3 sm:grid-cols-[1fr_12rem]">
        <Field id="key-name" label="Name" errors={errors?.name}>
          <input id="key-name" name="name" required maxLength={100} autoComplete="off" placeholder="e.g. release-signing-2026" defaultValue={values?.name} className={inputClass} {...fieldAria("key-name", { errors: errors?.name })} />
        </Field>
        <Field id="key-not-after" label="Not after (optional)" hint="Stops verifying at 00:00 UTC that day." errors={errors?.notAfter}>
          <input id="key-not-after" name="notAfter" type="date" defaultValue={values?.notAfter} className={inputClass} {...fieldAria("key-not-after", { hint: true, errors: errors?.notAfter })} />
        </Field>
        <Field
          id="key-pem"
          label="Public key (PEM)"
          hint="An ECDSA P-256 public key: -----BEGIN PUBLIC KEY-----… (openssl pkey -in private.pem -pubout, or cosign.pub)."
          errors={errors?.publicKeyPem}
          className="sm:col-span-2"
        >
          <textarea
            id="key-pem"
            name="publicKeyPem"
            required
            rows={5}
            spellCheck={false}
            placeholder={"-----BEGIN PUBLIC KEY-----\n…\n-----END PUBLIC KEY-----"}
            defaultValue={values?.publicKeyPem}
            className={`${inputClass} h-auto py-1.5 font-mono text-xs`}
            {...fieldAria("key-pem", { hint: true, errors: errors?.publicKeyPem })}
          />
        </Field>
        <div>
          <SubmitButton pendingText="Adding…">Add key</SubmitButton>
        </div>
      </form>
      <ActionOutcome
        state={state}
        success={(s) => (
          <>
            Key <strong>{s.name}</strong> added (fingerprint <code className="font-mono text-xs">{s.fingerprint.slice(0, 16)}</code>). Playbooks signed with it now verify.
          </>
        )}
      />
    </div>
  );
}
