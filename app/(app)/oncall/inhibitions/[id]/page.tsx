import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { z } from "zod";
import { getSessionActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/assert-can";
import { listInhibitionRules } from "@/lib/oncall/manage-inhibitions";
import { PageHeader } from "@/components/page-header";
import { Forbidden } from "@/components/forbidden";
import { BackLink } from "@/components/ui/back-link";
import { InhibitionForm } from "../_components/inhibition-form";

export const metadata: Metadata = { title: "Edit inhibition rule" };

export default async function EditInhibitionPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  const parsed = z.object({ id: z.string().uuid() }).safeParse(await params);
  if (!parsed.success) notFound();
  if (!can(actor, "oncall.manage")) return <Forbidden>Only admins change inhibition rules.</Forbidden>;
  const rule = (await listInhibitionRules({ actor })).find((r) => r.id === parsed.data.id);
  if (!rule) notFound();
  return (
    <>
      <BackLink href="/oncall/inhibitions">Inhibition rules</BackLink>
      <PageHeader title={`Edit ${rule.name}`} />
      <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <InhibitionForm initial={{ id: rule.id, name: rule.name, sourceMatchers: rule.sourceMatchers, targetMatchers: rule.targetMatchers, equal: rule.equal.join(", ") }} />
      </div>
    </>
  );
}
