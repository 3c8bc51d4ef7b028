import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSessionActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/assert-can";
import { formatMatchers } from "@/lib/oncall/matchers";
import { listSilences } from "@/lib/oncall/manage-silences";
import { PageHeader, Section } from "@/components/page-header";
import { DataTable, EmptyState, TBody, THead, Td, Th, Tr } from "@/components/data-table";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Time } from "@/components/time";
import { ActionButton } from "../_components/action-button";
import { ReadOnlyNote } from "../_components/read-only-note";
import { SilenceForm } from "./_components/silence-form";
import { expireSilenceAction } from "./actions";

export const metadata: Metadata = { title: "Silences" };

const STATE: Record<string, { label: string; tone: BadgeTone }> = {
  active: { label: "Active", tone: "warn" },
  pending: { label: "Starts later", tone: "accent" },
  outside_window: { label: "Outside its window", tone: "neutral" },
  expired: { label: "Expired", tone: "neutral" },
};

type Silence = Awaited<ReturnType<typeof listSilences>>[number];

function windowText(r: Silence["recurrence"]) {
  return r ? `${r.days.join(", ")} ${r.start}–${r.end} (${r.timeZone})` : "—";
}

function SilenceTable({ caption, silences, manage }: { caption: string; silences: Silence[]; manage: boolean }) {
  return (
    <DataTable caption={caption}>
      <THead>
        <Th>Matchers</Th>
        <Th>State</Th>
        <Th>From</Th>
        <Th>Until</Th>
        <Th>Weekly window</Th>
        <Th>Comment</Th>
        <Th>By</Th>
        {manage ? (
          <Th>
            <span className="sr-only">Actions</span>
          </Th>
        ) : null}
      </THead>
      <TBody>
        {silences.map((s) => (
          <Tr key={s.id}>
            <Td id={`silence-${s.id}`}>
              <code className="text-xs">{formatMatchers(s.matchers)}</code>
            </Td>
            <Td>
              <Badge tone={STATE[s.state]!.tone}>{STATE[s.state]!.label}</Badge>
            </Td>
            <Td className="text-xs">
              <Time value={s.startsAt} />
            </Td>
            <Td className="text-xs">
              <Time value={s.endsAt} />
            </Td>
            <Td className="text-xs">{windowText(s.recurrence)}</Td>
            <Td className="max-w-xs text-sm">{s.comment}</Td>
            <Td className="text-xs">{s.createdBy}</Td>
            {manage ? (
              <Td className="text-right">
                {s.state !== "expired" ? <ActionButton action={expireSilenceAction} fields={{ id: s.id }} label="Expire" pendingText="Expiring…" variant="danger" describedBy={`silence-${s.id}`} /> : null}
              </Td>
            ) : null}
          </Tr>
        ))}
      </TBody>
    </DataTable>
  );
}

export default async function SilencesPage() {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  const manage = can(actor, "silences.manage");
  const all = await listSilences({ actor, includeExpired: true });
  const current = all.filter((s) => s.state !== "expired");
  const expired = all.filter((s) => s.state === "expired").reverse();

  return (
    <>
      <PageHeader title="Silences" description="Incidents matching a silence page nobody while it lasts; the incident's timeline says which silence kept it quiet." />
      {!manage ? <ReadOnlyNote>Operators and admins create and expire silences; you can see what is muted and why.</ReadOnlyNote> : null}
      <Section title="Active and upcoming" id="current">
        {current.length === 0 ? <EmptyState>Nothing is silenced.</EmptyState> : <SilenceTable caption="Active and upcoming silences" silences={current} manage={manage} />}
      </Section>
      {manage ? (
        <Section title="New silence" id="new-silence">
          <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <SilenceForm />
          </div>
        </Section>
      ) : null}
      <Section title="Expired in the last 7 days" id="expired">
        {expired.length === 0 ? <EmptyState>None.</EmptyState> : <SilenceTable caption="Expired silences" silences={expired} manage={false} />}
      </Section>
    </>
  );
}
