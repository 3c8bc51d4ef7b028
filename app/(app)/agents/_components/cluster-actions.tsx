"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { ActionOutcome } from "@/app/(app)/_lib/action-outcome";
import { deleteClusterAction, reissueTokenAction, type DeleteState, type TokenState } from "../actions";
import { TokenOutcome } from "./token-outcome";

/** nameCellId: the row's name cell, which tells a screen reader which cluster a button acts on. */
export function ClusterActions({ id, nameCellId }: { id: string; nameCellId: string }) {
  const [issued, issue] = useActionState<TokenState, FormData>(reissueTokenAction, null);
  const [deleted, remove] = useActionState<DeleteState, FormData>(deleteClusterAction, null);
  return (
    <div className="space-y-2">
      <div className="flex justify-end gap-2">
        <form action={issue}>
          <input type="hidden" name="id" value={id} />
          <SubmitButton variant="secondary" size="sm" pendingText="Issuing…" aria-describedby={nameCellId}>
            New token
          </SubmitButton>
        </form>
        <form action={remove}>
          <input type="hidden" name="id" value={id} />
          <SubmitButton variant="danger" size="sm" pendingText="Removing…" aria-describedby={nameCellId}>
            Remove
          </SubmitButton>
        </form>
      </div>
      <ActionOutcome state={issued} success={(s) => <TokenOutcome {...s} />} />
      {deleted && !deleted.ok ? <ActionOutcome state={deleted} success={() => null} /> : null}
    </div>
  );
}
