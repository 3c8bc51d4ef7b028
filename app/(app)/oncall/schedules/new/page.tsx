import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSessionActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/assert-can";
import { listMembers } from "@/lib/users/list-members";
import { PageHeader } from "@/components/page-header";
import { Forbidden } from "@/components/forbidden";
import { BackLink } from "@/components/ui/back-link";
import { instantToWall } from "../../_lib/wall-time";
import { ScheduleForm } from "../_components/schedule-form";
import { newLayer } from "../_lib/form-state";

export const metadata: Metadata = { title: "New schedule" };

export default async function NewSchedulePage() {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  if (!can(actor, "oncall.manage")) return <Forbidden>Only admins create schedules.</Forbidden>;
  const members = await listMembers({ actor });
  // Today at 09:00 UTC: a start people usually want, already on a whole hour.
  const start = `${instantToWall(new Date(), "UTC").slice(0, 10)}T09:00`;
  return (
    <>
      <BackLink href="/oncall/schedules">Schedules</BackLink>
      <PageHeader title="New schedule" description="A rotation of people, in layers. Escalation policies page whoever it has on call." />
      <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <ScheduleForm initial={{ name: "", timeZone: "UTC", description: "", layers: [newLayer(start)] }} members={members} defaultStart={start} />
      </div>
    </>
  );
}
