"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { ActionOutcome } from "@/app/(app)/_lib/action-outcome";
import { updateRedactionAction, type RedactionState } from "../actions";

export function RedactionForm({ maskPrivateAddresses }: { maskPrivateAddresses: boolean }) {
  const [state, formAction] = useActionState<RedactionState, FormData>(updateRedactionAction, null);
  return (
    <div className="space-y-3">
      {/* key: re-mount with the stored value after a save, so the checkbox shows what is in force. */}
      <form key={String(maskPrivateAddresses)} action={formAction} aria-label="Redaction" className="max-w-2xl space-y-4">
        <div className="space-y-1.5">
          <div className="flex items-center gap-2">
            <input
              id="mask-private-addresses"
              name="maskPrivateAddresses"
              type="checkbox"
              defaultChecked={maskPrivateAddresses}
              className="size-4 rounded border-slate-300 text-indigo-600 focus-visible:outline-2 focus-visible:outline-indigo-600"
              aria-describedby="mask-private-addresses-hint"
            />
            <label htmlFor="mask-private-addresses" className="text-sm font-medium text-slate-900">
              Mask private addresses in exports and embeddings
            </label>
          </div>
          <p id="mask-private-addresses-hint" className="text-xs text-slate-600">
            Private (10.x, 172.16–31.x, 192.168.x), loopback, link-local, CGNAT (100.64.x) and IPv6 unique-local addresses and CIDR blocks name your infrastructure, so they
            are kept by default. Public client addresses are always masked.
          </p>
        </div>
        <SubmitButton pendingText="Saving…">Save redaction</SubmitButton>
      </form>
      <ActionOutcome state={state} success={(s) => <>Redaction saved: private addresses are {s.maskPrivateAddresses ? "masked" : "kept"}.</>} />
    </div>
  );
}
