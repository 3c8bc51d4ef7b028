"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { CopyButton } from "@/components/ui/copy-button";
import { SubmitButton } from "@/components/ui/submit-button";
import { createIngestTokenAction, type CreateIngestTokenState } from "../actions";

export type SnippetKind = "alertmanager" | "remote-write";

const PLACEHOLDER = "<TOKEN>";

function snippet(kind: SnippetKind, origin: string, token: string): string {
  if (kind === "alertmanager") {
    return `# alertmanager.yml
receivers:
  - name: neuralops
    webhook_configs:
      - url: ${origin}/api/v1/integrations/alertmanager
        send_resolved: true
        http_config:
          authorization:
            type: Bearer
            credentials: ${token}
`;
  }
  return `# prometheus.yml
remote_write:
  - url: ${origin}/api/v1/write
    authorization:
      type: Bearer
      credentials: ${token}
`;
}

/** A config snippet to paste, with a button that mints an ingest token into it (shown once). */
export function SnippetPanel({ kind, title, description, origin, canCreateToken }: { kind: SnippetKind; title: string; description: string; origin: string; canCreateToken: boolean }) {
  const [state, formAction] = useActionState<CreateIngestTokenState, FormData>(createIngestTokenAction, null);
  const token = state?.ok ? state.token : null;
  const text = snippet(kind, origin, token ?? PLACEHOLDER);
  const headingId = `snippet-${kind}-heading`;

  return (
    <section aria-labelledby={headingId} className="flex min-w-0 flex-col rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid={`snippet-${kind}`}>
      <div className="flex items-start justify-between gap-3">
        <div>
          <h3 id={headingId} className="text-sm font-semibold text-slate-900">
            {title}
          </h3>
          <p className="mt-0.5 text-xs text-slate-600">{description}</p>
        </div>
        <CopyButton text={text} label={`${title} snippet`} />
      </div>
      <pre className="mt-3 flex-1 overflow-x-auto rounded-md bg-slate-900 p-3 text-xs leading-relaxed whitespace-pre-wrap text-slate-100 [overflow-wrap:anywhere]" data-testid={`snippet-${kind}-code`}>
        <code>{text}</code>
      </pre>
      <div className="mt-3 space-y-2" aria-live="polite">
        {token ? (
          <Alert tone="success">
            Token <strong>{state?.ok ? state.name : ""}</strong> created and filled in above. Copy the snippet now; the token will not be shown again.
          </Alert>
        ) : (
          <p className="text-xs text-slate-600">
            Replace <code className="rounded bg-slate-100 px-1">{PLACEHOLDER}</code> with an API token scoped to <code className="rounded bg-slate-100 px-1">signals.ingest</code>.
            {canCreateToken ? " Create one here:" : " Ask an admin to create one."}
          </p>
        )}
        {state && !state.ok ? (
          <Alert tone="error" role="alert">
            {state.error}
          </Alert>
        ) : null}
        {canCreateToken && !token ? (
          <form action={formAction}>
            <input type="hidden" name="integration" value={kind} />
            <SubmitButton variant="secondary" size="sm" pendingText="Creating…" aria-describedby={headingId}>
              Create ingest token
            </SubmitButton>
          </form>
        ) : null}
      </div>
    </section>
  );
}
