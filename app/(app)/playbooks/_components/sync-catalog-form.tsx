"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { ActionOutcome } from "@/app/(app)/_lib/action-outcome";
import { syncCatalogAction, type SyncCatalogState } from "../actions";

/** Admins: read playbooks/*.yaml (+ .sig) into the catalog and show what happened to each file. */
export function SyncCatalogForm() {
  const [state, formAction] = useActionState<SyncCatalogState, FormData>(syncCatalogAction, null);
  return (
    <div className="space-y-2">
      <form action={formAction} aria-label="Sync catalog">
        <SubmitButton variant="secondary" pendingText="Syncing…">
          Sync catalog from playbooks/
        </SubmitButton>
      </form>
      <ActionOutcome
        state={state}
        success={(s) => {
          const failed = s.results.filter((r) => r.error).length;
          const added = s.results.filter((r) => r.created).length;
          return (
            <>
              <p>
                Synced {s.results.length} {s.results.length === 1 ? "file" : "files"}: {added} new {added === 1 ? "version" : "versions"}, {s.results.length - added - failed} unchanged, {failed}{" "}
                {failed === 1 ? "error" : "errors"}.
              </p>
              {s.results.length ? (
                <ul className="mt-2 space-y-0.5 text-xs" data-testid="sync-results">
                  {s.results.map((r) => (
                    <li key={r.file} className={r.error ? "text-red-800" : "text-slate-800"}>
                      <code className="font-mono">{r.file}</code>:{" "}
                      {r.error ? (
                        <>error: {r.error}</>
                      ) : (
                        <>
                          {r.name} v{r.version} {r.created ? "added" : "unchanged"} <code className="font-mono text-slate-500">{r.digest?.slice(0, 12)}</code>
                        </>
                      )}
                    </li>
                  ))}
                </ul>
              ) : null}
            </>
          );
        }}
      />
    </div>
  );
}
