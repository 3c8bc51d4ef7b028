"use client";

import { useActionState, type ReactNode } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { verifyChainAction, type VerifyChainState } from "../actions";

export function VerifyChainForm() {
  const [state, formAction] = useActionState<VerifyChainState, FormData>(verifyChainAction, null);

  let message: ReactNode = null;
  let tone = "";
  if (state?.ok) {
    const v = state.verdict;
    tone = v.ok ? "border-emerald-200 bg-emerald-50 text-emerald-900" : "border-red-200 bg-red-50 text-red-800";
    message = v.ok ? (
      <>
        <strong>Chain intact</strong> — {v.checked} {v.checked === 1 ? "event" : "events"} checked.
      </>
    ) : (
      <>
        <strong>Chain broken at event #{v.firstBrokenSeq ?? "?"}</strong>
        {v.reason ? `: ${v.reason}` : ""} ({v.checked} events checked before it).
      </>
    );
  } else if (state && !state.ok) {
    tone = "border-red-200 bg-red-50 text-red-800";
    message = state.error;
  }

  return (
    <form action={formAction} className="flex items-center gap-3">
      <div role="status" aria-live="polite" data-testid="verify-result" className={message ? `rounded-md border px-3 py-1.5 text-sm ${tone}` : "sr-only"}>
        {message}
      </div>
      <SubmitButton variant="secondary" pendingText="Verifying…">
        Verify chain
      </SubmitButton>
    </form>
  );
}
