// "Who was asked": the approval requests sent when the run started waiting for approval
// (lib/oncall/page-approvers.ts), each with its recipient, channel, time and outcome. Server-rendered;
// a failure only empties this panel.
import type { Actor } from "@/lib/context";
import { AppError } from "@/lib/errors";
import { listRunNotifications } from "@/lib/oncall/list-notifications";
import { Section } from "@/components/page-header";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/time";

const STATUS_TONE = { sent: "good", failed: "bad", queued: "neutral" } as const;

async function load(actor: Actor, runId: string) {
  try {
    return { data: await listRunNotifications({ actor, id: runId }), error: null };
  } catch (err) {
    console.error(JSON.stringify({ level: "error", msg: "run notifications failed", runId, error: String((err as Error)?.stack ?? err) }));
    return { data: null, error: err instanceof AppError ? err.message : "The approval requests could not be loaded." };
  }
}

export async function ApprovalRequests({ actor, runId }: { actor: Actor; runId: string }) {
  const { data, error } = await load(actor, runId);
  if (error !== null) return <Alert tone="error">Approval requests are unavailable: {error}</Alert>;
  // Nothing to show for a run nobody was paged about (no route takes approval requests).
  if (!data?.attempts.length) return null;
  return (
    <Section title="Approval requests" id="approval-requests" description="Who was asked to approve this run, through which channel, and when.">
      <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white shadow-sm" data-testid="approval-requests">
        {data.attempts.map((a) => (
          <li key={a.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 text-sm" data-testid="approval-request">
            <span className="font-medium text-slate-900">{a.user ? a.user.name || a.user.email : a.recipient === "channel" ? a.channel.name : a.recipient}</span>
            <span className="text-slate-600">
              via {a.channel.name} ({a.channel.type}
              {a.address && a.address !== a.user?.email ? `, ${a.address}` : ""})
            </span>
            <Badge tone={STATUS_TONE[a.status]}>{a.status}</Badge>
            <span className="text-slate-600">
              <Time value={a.sentAt ?? a.at} />
            </span>
            {a.status === "failed" && a.error ? <span className="w-full text-xs text-red-800">{a.error}</span> : null}
          </li>
        ))}
      </ul>
    </Section>
  );
}
