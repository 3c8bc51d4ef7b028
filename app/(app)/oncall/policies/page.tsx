import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getSessionActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/assert-can";
import { listPolicies } from "@/lib/oncall/manage-policies";
import { listRoutes } from "@/lib/oncall/manage-routes";
import { targetNames } from "@/lib/oncall/target-names";
import { PageHeader } from "@/components/page-header";
import { EmptyState } from "@/components/data-table";
import { buttonClass } from "@/components/ui/button";
import { ActionButton } from "../_components/action-button";
import { ReadOnlyNote } from "../_components/read-only-note";
import { PolicySteps } from "./_components/policy-steps";
import { deletePolicyAction } from "./actions";

export const metadata: Metadata = { title: "Escalation policies" };

export default async function PoliciesPage() {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  const manage = can(actor, "oncall.manage");
  const [policies, routes] = await Promise.all([listPolicies({ actor }), listRoutes({ actor })]);
  const names = await targetNames({ actor, targets: policies.flatMap((p) => p.steps.flatMap((s) => s.targets)) });

  return (
    <>
      <PageHeader
        title="Escalation policies"
        description="Who is notified, in which order, until someone acknowledges. Routes choose the policy for each incident."
        actions={
          manage ? (
            <Link href="/oncall/policies/new" className={buttonClass("primary")}>
              New policy
            </Link>
          ) : undefined
        }
      />
      {!manage ? <ReadOnlyNote>Only admins create or change escalation policies; you can see who each one pages.</ReadOnlyNote> : null}
      {policies.length === 0 ? (
        <EmptyState>No escalation policies yet.</EmptyState>
      ) : (
        <ul className="space-y-3" aria-label="Escalation policies">
          {policies.map((p) => {
            const usedBy = routes.filter((r) => r.policy === p.id).map((r) => r.name);
            return (
              <li key={p.id} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="policy">
                <div className="mb-2 flex flex-wrap items-start justify-between gap-2">
                  <div>
                    <h2 id={`policy-${p.id}`} className="font-semibold text-slate-900">
                      <Link href={`/oncall/policies/${p.id}`} className="text-indigo-700 hover:underline">
                        {p.name}
                      </Link>
                    </h2>
                    {p.description ? <p className="text-sm text-slate-600">{p.description}</p> : null}
                  </div>
                  {manage ? (
                    <div className="flex items-center gap-2">
                      <Link href={`/oncall/policies/${p.id}`} className={buttonClass("secondary", "sm")} aria-describedby={`policy-${p.id}`}>
                        Edit
                      </Link>
                      <ActionButton action={deletePolicyAction} fields={{ id: p.id }} label="Delete" variant="danger" pendingText="Deleting…" describedBy={`policy-${p.id}`} confirm={`Delete escalation policy "${p.name}"?`} />
                    </div>
                  ) : null}
                </div>
                <PolicySteps steps={p.steps} repeat={p.repeat} repeatAfterMinutes={p.repeatAfterMinutes} names={names} />
                <p className="mt-2 text-xs text-slate-500">{usedBy.length ? `Used by routes: ${usedBy.join(", ")}` : "No route uses it yet."}</p>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
