import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { z } from "zod";
import { getSessionActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/assert-can";
import { getPolicy } from "@/lib/oncall/manage-policies";
import { targetNames } from "@/lib/oncall/target-names";
import { PageHeader } from "@/components/page-header";
import { BackLink } from "@/components/ui/back-link";
import { orNotFound } from "../../../_lib/or-not-found";
import { ReadOnlyNote } from "../../_components/read-only-note";
import { PolicyForm } from "../_components/policy-form";
import { PolicySteps } from "../_components/policy-steps";
import { formStateOf } from "../_lib/form-state";
import { policyFormOptions } from "../_lib/options";

export const metadata: Metadata = { title: "Escalation policy" };

export default async function PolicyPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  const parsed = z.object({ id: z.string().uuid() }).safeParse(await params);
  if (!parsed.success) notFound();
  const policy = await orNotFound(getPolicy({ actor, id: parsed.data.id }));
  if (!can(actor, "oncall.manage")) {
    const names = await targetNames({ actor, targets: policy.steps.flatMap((s) => s.targets) });
    return (
      <>
        <BackLink href="/oncall/policies">Escalation policies</BackLink>
        <PageHeader title={policy.name} description={policy.description ?? undefined} />
        <ReadOnlyNote>Only admins change escalation policies.</ReadOnlyNote>
        <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
          <PolicySteps steps={policy.steps} repeat={policy.repeat} repeatAfterMinutes={policy.repeatAfterMinutes} names={names} />
        </div>
      </>
    );
  }
  return (
    <>
      <BackLink href="/oncall/policies">Escalation policies</BackLink>
      <PageHeader title={`Edit ${policy.name}`} description="Incidents already paging keep the steps they started with." />
      <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <PolicyForm initial={formStateOf(policy)} options={await policyFormOptions(actor)} />
      </div>
    </>
  );
}
