import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getSessionActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/assert-can";
import { listSchedules } from "@/lib/oncall/schedules/queries";
import { PageHeader, Section } from "@/components/page-header";
import { DataTable, EmptyState, TBody, THead, Td, Th, Tr } from "@/components/data-table";
import { Time } from "@/components/time";
import { buttonClass } from "@/components/ui/button";
import { ReadOnlyNote } from "../_components/read-only-note";
import { FeedLink } from "./_components/feed-link";

export const metadata: Metadata = { title: "On-call schedules" };

export default async function SchedulesPage() {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  const manage = can(actor, "oncall.manage");
  const schedules = await listSchedules({ actor });

  return (
    <>
      <PageHeader
        title="On-call schedules"
        description="Who is on call now and next. Escalation policies page a schedule's current person."
        actions={
          manage ? (
            <Link href="/oncall/schedules/new" className={buttonClass("primary")}>
              New schedule
            </Link>
          ) : undefined
        }
      />
      {!manage ? <ReadOnlyNote>You can see schedules and subscribe to their calendars. Only admins create or change schedules and overrides.</ReadOnlyNote> : null}

      <Section title="Schedules" id="schedules">
        {schedules.length === 0 ? (
          <EmptyState>No schedules yet.{manage ? " Create one to start paging whoever is on call." : ""}</EmptyState>
        ) : (
          <DataTable caption="On-call schedules">
            <THead>
              <Th>Name</Th>
              <Th>On call now</Th>
              <Th>Next</Th>
              <Th>Time zone</Th>
              <Th className="text-right">Layers</Th>
            </THead>
            <TBody>
              {schedules.map((s) => (
                <Tr key={s.id}>
                  <Td className="font-medium">
                    <Link href={`/oncall/schedules/${s.id}`} className="text-indigo-700 hover:underline">
                      {s.name}
                    </Link>
                    {s.description ? <div className="text-xs font-normal text-slate-500">{s.description}</div> : null}
                  </Td>
                  <Td data-testid="on-call-now">
                    {s.onCallNow ? (
                      <>
                        <div className="font-medium">{s.onCallNow.name ?? "someone who left"}</div>
                        <div className="text-xs text-slate-500">
                          until <Time value={s.onCallNow.until} fallback="further than 90 days" />
                        </div>
                      </>
                    ) : (
                      <span className="text-amber-800">Nobody</span>
                    )}
                  </Td>
                  <Td>
                    {s.onCallNext ? (
                      <>
                        <div>{s.onCallNext.name ?? "someone who left"}</div>
                        <div className="text-xs text-slate-500">
                          from <Time value={s.onCallNext.startsAt} />
                        </div>
                      </>
                    ) : (
                      <span className="text-slate-500">—</span>
                    )}
                  </Td>
                  <Td className="text-xs">{s.timeZone}</Td>
                  <Td className="text-right tabular-nums">{s.layerCount}</Td>
                </Tr>
              ))}
            </TBody>
          </DataTable>
        )}
      </Section>

      <Section title="My on-call calendar" id="my-calendar" description="Your shifts across every schedule of this organization, for your calendar app.">
        <div className="flex flex-wrap items-start gap-3">
          <a href={`/api/v1/users/${actor.id}/oncall.ical`} className={buttonClass("secondary", "sm")} download>
            Download my shifts (.ics)
          </a>
          <FeedLink kind="user" id={actor.id} what="my shifts" />
        </div>
      </Section>
    </>
  );
}
