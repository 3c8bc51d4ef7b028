// The live region under a form: the action's error, or what to say when it succeeded.
import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import type { ActionResult } from "./action-result";

export function ActionOutcome<T extends object>({ state, success }: { state: ActionResult<T>; success: (ok: { ok: true } & T) => ReactNode }) {
  return (
    <div aria-live="polite">
      {state && !state.ok ? (
        <Alert tone="error" role="alert">
          {state.error}
        </Alert>
      ) : null}
      {state?.ok ? <Alert tone="success">{success(state)}</Alert> : null}
    </div>
  );
}
