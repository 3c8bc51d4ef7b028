"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { CopyButton } from "@/components/ui/copy-button";
import { createFeedLinkAction, revokeFeedLinkAction, type FeedLinkState } from "../actions";

/**
 * A calendar app cannot sign in: this makes a secret link to the feed for the signed-in person (a new
 * one replaces their previous link), shown once, and revokes it.
 */
export function FeedLink({ kind, id, what }: { kind: "schedule" | "user"; id: string; what: string }) {
  const [made, make] = useActionState<FeedLinkState, FormData>(createFeedLinkAction, null);
  const [revoked, revoke] = useActionState<FeedLinkState, FormData>(revokeFeedLinkAction, null);
  const shown = made?.ok && made.url && !(revoked?.ok && revoked !== null) ? made.url : null;
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        <form action={make}>
          <input type="hidden" name="kind" value={kind} />
          <input type="hidden" name="id" value={id} />
          <SubmitButton variant="secondary" size="sm" pendingText="Making link…">
            {`Get calendar link for ${what}`}
          </SubmitButton>
        </form>
        <form action={revoke}>
          <input type="hidden" name="kind" value={kind} />
          <input type="hidden" name="id" value={id} />
          <SubmitButton variant="secondary" size="sm" pendingText="Revoking…">
            Revoke my link
          </SubmitButton>
        </form>
      </div>
      <div aria-live="polite">
        {shown ? (
          <div className="rounded-md border border-emerald-200 bg-emerald-50 p-2 text-sm text-emerald-900">
            <p>Subscribe to this address in your calendar app. It is shown once and works without signing in, so keep it private; making a new link revokes this one.</p>
            <div className="mt-1 flex items-center gap-2">
              <code data-testid="feed-link" className="rounded border border-emerald-200 bg-white px-2 py-1 text-xs break-all text-slate-900 select-all">
                {shown}
              </code>
              <CopyButton text={shown} label="calendar link" />
            </div>
          </div>
        ) : null}
        {revoked?.ok ? <p className="text-sm text-slate-700">Your link was revoked.</p> : null}
        {made && !made.ok ? <p role="alert" className="text-sm text-red-700">{made.error}</p> : null}
        {revoked && !revoked.ok ? <p role="alert" className="text-sm text-red-700">{revoked.error}</p> : null}
      </div>
    </div>
  );
}
