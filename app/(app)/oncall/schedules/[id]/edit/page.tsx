import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { z } from "zod";
import { getSessionActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/assert-can";
import { getSchedule } from "@/lib/oncall/schedules/queries";
import { listMembers } from "@/lib/users/list-members";
import { PageHeader } from "@/components/page-header";
import { Forbidden } from "@/components/forbidden";
import { BackLink } from "@/components/ui/back-link";
import { orNotFound } from "../../../../_lib/or-not-found";
import { instantToWall } from "../../../_lib/wall-time";
import { ScheduleForm } from "../../_components/schedule-form";
import { formStateOf } from "../../_lib/form-state";

export const metadata: Metadata = { title: "Edit schedule" };

export default async function EditSchedulePage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  const parsed = z.object({ id: z.string().uuid() }).safeParse(await params);
  if (!parsed.success) notFound();
  if (!can(actor, "oncall.manage")) return <Forbidden>Only admins change schedules.</Forbidden>;
  const [schedule, members] = await Promise.all([orNotFound(getSchedule({ actor, id: parsed.data.id })), listMembers({ actor })]);
  return (
    <>
      <BackLink href={`/oncall/schedules/${schedule.id}`}>{schedule.name}</BackLink>
      <PageHeader title={`Edit ${schedule.name}`} description="Saving replaces the layers; overrides stay." />
      <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <ScheduleForm initial={formStateOf(schedule)} members={members} defaultStart={instantToWall(new Date(), schedule.timeZone)} />
      </div>
    </>
  );
}
