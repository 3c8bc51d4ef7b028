import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { z } from "zod";
import { getSessionActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/assert-can";
import { getSchedule, scheduleOnCall, upcomingShifts } from "@/lib/oncall/schedules/queries";
import { listMembers } from "@/lib/users/list-members";
import { PageHeader, Section } from "@/components/page-header";
import { DataTable, EmptyState, TBody, THead, Td, Th, Tr } from "@/components/data-table";
import { Time } from "@/components/time";
import { Fact } from "@/components/ui/fact";
import { BackLink } from "@/components/ui/back-link";
import { buttonClass } from "@/components/ui/button";
import { orNotFound } from "../../../_lib/or-not-found";
import { instantToWall } from "../../_lib/wall-time";
import { ActionButton } from "../../_components/action-button";
import { ReadOnlyNote } from "../../_components/read-only-note";
import { FeedLink } from "../_components/feed-link";
import { OverrideForm } from "../_components/override-form";
import { rotationText, windowsText } from "../_lib/form-state";
import { deleteOverrideAction, deleteScheduleAction } from "../actions";

export const metadata: Metadata = { title: "Schedule" };

export default async function SchedulePage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  const parsed = z.object({ id: z.string().uuid() }).safeParse(await params);
  if (!parsed.success) notFound();
  const id = parsed.data.id;
  const manage = can(actor, "oncall.manage");
  const [schedule, onCall, shifts, members] = await Promise.all([
    orNotFound(getSchedule({ actor, id })),
    orNotFound(scheduleOnCall({ actor, scheduleId: id })),
    orNotFound(upcomingShifts({ actor, scheduleId: id })),
    manage ? listMembers({ actor }) : Promise.resolve([]),
  ]);
  const nameOf = new Map(schedule.people.map((p) => [p.userId, p.name]));
  const who = (userId: string) => nameOf.get(userId) ?? "someone who left";
  const now = new Date();
  const hourStart = new Date(Math.ceil(now.getTime() / 3600_000) * 3600_000);

  return (
    <>
      <BackLink href="/oncall/schedules">Schedules</BackLink>
      <PageHeader
        title={schedule.name}
        description={schedule.description || undefined}
        actions={
          manage ? (
            <>
              <Link href={`/oncall/schedules/${id}/edit`} className={buttonClass("secondary")}>
                Edit
              </Link>
              <ActionButton action={deleteScheduleAction} fields={{ id }} label="Delete schedule" pendingText="Deleting…" variant="danger" confirm={`Delete schedule "${schedule.name}"? Policies that page it will reach nobody through it.`} />
            </>
          ) : undefined
        }
      />
      {!manage ? <ReadOnlyNote>Only admins change this schedule and its overrides; you can see it and subscribe to its calendar.</ReadOnlyNote> : null}

      <dl className="mb-6 grid grid-cols-[repeat(auto-fill,minmax(14rem,1fr))] gap-x-6 gap-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <Fact label="On call now">
          <span data-testid="schedule-now">{onCall.now ? who(onCall.now.userId) : "Nobody"}</span>
          {onCall.now ? (
            <span className="block text-xs text-slate-500">
              until <Time value={onCall.now.until} fallback="further than 90 days" />
            </span>
          ) : null}
        </Fact>
        <Fact label="Next">
          {onCall.next ? who(onCall.next.userId) : "—"}
          {onCall.next ? (
            <span className="block text-xs text-slate-500">
              from <Time value={onCall.next.startsAt} />
            </span>
          ) : null}
        </Fact>
        <Fact label="Time zone">{schedule.timeZone}</Fact>
      </dl>

      <Section title="Calendar" id="calendar" description="This schedule's shifts from a week ago to 12 weeks ahead.">
        <div className="flex flex-wrap items-start gap-3">
          <a href={`/api/v1/schedules/${id}/ical`} className={buttonClass("secondary", "sm")} download>
            Download (.ics)
          </a>
          <FeedLink kind="schedule" id={id} what="this schedule" />
        </div>
      </Section>

      <Section title="Layers" id="layers" description="Bottom first: a later layer covers the ones before it wherever it has someone.">
        {schedule.layers.length === 0 ? (
          <EmptyState>No layers: nobody is on call.</EmptyState>
        ) : (
          <DataTable caption="Layers">
            <THead>
              <Th>Layer</Th>
              <Th>Rotation</Th>
              <Th>Starts</Th>
              <Th>Participants, in order</Th>
              <Th>Covers</Th>
            </THead>
            <TBody>
              {schedule.layers.map((l, i) => (
                <Tr key={l.id}>
                  <Td className="font-medium">{l.name || `Layer ${i + 1}`}</Td>
                  <Td className="text-xs">{rotationText(l)}</Td>
                  <Td className="text-xs">
                    {instantToWall(l.startsAt, schedule.timeZone).replace("T", " ")} <span className="text-slate-500">({schedule.timeZone})</span>
                  </Td>
                  <Td className="text-xs">{l.participants.map(who).join(" → ") || "nobody"}</Td>
                  <Td className="text-xs">{windowsText(l.restrictions)}</Td>
                </Tr>
              ))}
            </TBody>
          </DataTable>
        )}
      </Section>

      <Section title="Next 14 days" id="shifts">
        {shifts.shifts.length === 0 ? (
          <EmptyState>Nobody is on call in the next 14 days.</EmptyState>
        ) : (
          <DataTable caption="Shifts in the next 14 days">
            <THead>
              <Th>Who</Th>
              <Th>From</Th>
              <Th>Until</Th>
            </THead>
            <TBody>
              {shifts.shifts.map((s) => (
                <Tr key={`${s.userId}-${s.startsAt.toISOString()}`}>
                  <Td>{s.name ?? "someone who left"}</Td>
                  <Td className="text-xs">
                    <Time value={s.startsAt} />
                  </Td>
                  <Td className="text-xs">
                    <Time value={s.endsAt} />
                  </Td>
                </Tr>
              ))}
            </TBody>
          </DataTable>
        )}
      </Section>

      <Section title="Overrides" id="overrides" description="Someone covering the whole schedule for a while; a later override covers an earlier one.">
        {schedule.overrides.length === 0 ? (
          <EmptyState>No current or recent overrides.</EmptyState>
        ) : (
          <DataTable caption="Overrides">
            <THead>
              <Th>Who</Th>
              <Th>From</Th>
              <Th>Until</Th>
              <Th>Reason</Th>
              <Th>By</Th>
              {manage ? (
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              ) : null}
            </THead>
            <TBody>
              {schedule.overrides.map((o) => (
                <Tr key={o.id}>
                  <Td id={`override-${o.id}`}>{who(o.userId)}</Td>
                  <Td className="text-xs">
                    <Time value={o.startsAt} />
                  </Td>
                  <Td className="text-xs">
                    <Time value={o.endsAt} />
                  </Td>
                  <Td className="text-xs">{o.reason || "—"}</Td>
                  <Td className="text-xs">{o.createdBy}</Td>
                  {manage ? (
                    <Td className="text-right">
                      <ActionButton action={deleteOverrideAction} fields={{ scheduleId: id, overrideId: o.id }} label="Delete" pendingText="Deleting…" variant="danger" describedBy={`override-${o.id}`} />
                    </Td>
                  ) : null}
                </Tr>
              ))}
            </TBody>
          </DataTable>
        )}
        {manage ? (
          <div className="mt-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <OverrideForm
              scheduleId={id}
              timeZone={schedule.timeZone}
              members={members}
              defaultStart={instantToWall(hourStart, schedule.timeZone)}
              defaultEnd={instantToWall(new Date(hourStart.getTime() + 8 * 3600_000), schedule.timeZone)}
            />
          </div>
        ) : null}
      </Section>
    </>
  );
}
