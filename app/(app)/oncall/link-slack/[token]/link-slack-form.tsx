"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { ActionOutcome } from "@/app/(app)/_lib/action-outcome";
import { linkSlackAction, type LinkSlackState } from "./actions";

export function LinkSlackForm({ token }: { token: string }) {
  const [state, formAction] = useActionState<LinkSlackState, FormData>(linkSlackAction, null);
  return (
    <form action={formAction} aria-label="Link Slack account" className="space-y-3">
      <input type="hidden" name="token" value={token} />
      {state?.ok ? null : <SubmitButton pendingText="Linking…">This is me: link my Slack account</SubmitButton>}
      <ActionOutcome state={state} success={() => <>Linked. Press the button in Slack again.</>} />
    </form>
  );
}
