import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSessionActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/assert-can";
import { PageHeader } from "@/components/page-header";
import { Forbidden } from "@/components/forbidden";
import { BackLink } from "@/components/ui/back-link";
import { PolicyForm } from "../_components/policy-form";
import { newTarget } from "../_lib/form-state";
import { policyFormOptions } from "../_lib/options";

export const metadata: Metadata = { title: "New escalation policy" };

export default async function NewPolicyPage() {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  if (!can(actor, "oncall.manage")) return <Forbidden>Only admins create escalation policies.</Forbidden>;
  const options = await policyFormOptions(actor);
  return (
    <>
      <BackLink href="/oncall/policies">Escalation policies</BackLink>
      <PageHeader title="New escalation policy" />
      <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <PolicyForm initial={{ name: "", description: "", repeat: 0, repeatAfterMinutes: 30, steps: [{ afterMinutes: 0, targets: [newTarget(options)] }] }} options={options} />
      </div>
    </>
  );
}
