import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { z } from "zod";
import { getSessionActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/assert-can";
import { getChannel } from "@/lib/oncall/manage-channels";
import { PageHeader } from "@/components/page-header";
import { Forbidden } from "@/components/forbidden";
import { BackLink } from "@/components/ui/back-link";
import { orNotFound } from "../../../_lib/or-not-found";
import { ChannelForm } from "../_components/channel-form";

export const metadata: Metadata = { title: "Edit channel" };

export default async function EditChannelPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  const parsed = z.object({ id: z.string().uuid() }).safeParse(await params);
  if (!parsed.success) notFound();
  if (!can(actor, "oncall.manage")) return <Forbidden>Only admins see and change notification channels: they hold credentials.</Forbidden>;
  const channel = await orNotFound(getChannel({ actor, id: parsed.data.id }));
  return (
    <>
      <BackLink href="/oncall/channels">Channels</BackLink>
      <PageHeader title={`Edit ${channel.name}`} />
      <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <ChannelForm initial={channel} />
      </div>
    </>
  );
}
