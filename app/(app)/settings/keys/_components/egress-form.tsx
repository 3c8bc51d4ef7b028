"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { Field, fieldAria, inputClass } from "@/components/ui/field";
import { ActionOutcome } from "@/app/(app)/_lib/action-outcome";
import { updateEgressAction, type EgressState } from "../actions";

export function EgressForm({ allowHosts, allowCidrs }: { allowHosts: string[]; allowCidrs: string[] }) {
  const [state, formAction] = useActionState<EgressState, FormData>(updateEgressAction, null);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const shown = state && !state.ok ? state.values : undefined;
  return (
    <div className="space-y-3">
      <form key={`${allowHosts.join()}|${allowCidrs.join()}`} action={formAction} aria-label="Egress policy" className="grid max-w-3xl gap-4 sm:grid-cols-2">
        <Field id="egress-hosts" label="Allowed hosts" hint="One per line: api.example.com, or *.example.com for its subdomains, or * for any name. Empty: no host." errors={errors?.allowHosts}>
          <textarea
            id="egress-hosts"
            name="allowHosts"
            rows={5}
            spellCheck={false}
            defaultValue={shown?.allowHosts ?? allowHosts.join("\n")}
            className={`${inputClass} h-auto py-1.5 font-mono text-xs`}
            {...fieldAria("egress-hosts", { hint: true, errors: errors?.allowHosts })}
          />
        </Field>
        <Field id="egress-cidrs" label="Allowed networks (CIDR)" hint="One per line, e.g. 10.0.0.0/8 or 127.0.0.1/32. Needed for IP addresses and for names that resolve to private or loopback addresses." errors={errors?.allowCidrs}>
          <textarea
            id="egress-cidrs"
            name="allowCidrs"
            rows={5}
            spellCheck={false}
            defaultValue={shown?.allowCidrs ?? allowCidrs.join("\n")}
            className={`${inputClass} h-auto py-1.5 font-mono text-xs`}
            {...fieldAria("egress-cidrs", { hint: true, errors: errors?.allowCidrs })}
          />
        </Field>
        <p className="text-xs text-slate-600 sm:col-span-2">
          Cloud metadata (169.254.169.254, fd00:ec2::254, metadata.google.internal) and link-local addresses stay denied unless a network inside their range is listed explicitly; a wide range such as 0.0.0.0/0 does not open them.
        </p>
        <div>
          <SubmitButton pendingText="Saving…">Save egress policy</SubmitButton>
        </div>
      </form>
      <ActionOutcome state={state} success={(s) => <>Egress policy saved: {s.allowHosts.length} host rule(s), {s.allowCidrs.length} network(s).</>} />
    </div>
  );
}
