import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getSessionActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/assert-can";
import { formatMatchers } from "@/lib/oncall/matchers";
import { listPolicies } from "@/lib/oncall/manage-policies";
import { listRoutes } from "@/lib/oncall/manage-routes";
import { PageHeader, Section } from "@/components/page-header";
import { DataTable, EmptyState, TBody, THead, Td, Th, Tr } from "@/components/data-table";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { ActionButton } from "../_components/action-button";
import { ReadOnlyNote } from "../_components/read-only-note";
import { RouteForm } from "./_components/route-form";
import { deleteRouteAction, moveRouteAction } from "./actions";

export const metadata: Metadata = { title: "Routes" };

export default async function RoutesPage() {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  const manage = can(actor, "oncall.manage");
  const [routes, policies] = await Promise.all([listRoutes({ actor }), listPolicies({ actor })]);
  const ordered = [...routes.filter((r) => !r.isDefault), ...routes.filter((r) => r.isDefault)];
  const hasDefault = routes.some((r) => r.isDefault && r.enabled);

  return (
    <>
      <PageHeader title="Routes" description="An incident pages the policy of the first enabled route whose matchers all match its labels, in this order; the default route takes the rest." />
      {!manage ? <ReadOnlyNote>Only admins add, change or reorder routes; you can see which incidents page whom.</ReadOnlyNote> : null}
      {!hasDefault && routes.length ? <p className="mb-3 text-sm text-amber-800">No enabled default route: incidents that match no route page nobody.</p> : null}
      <Section title="In evaluation order" id="routes">
        {ordered.length === 0 ? (
          <EmptyState>No routes: incidents page nobody.</EmptyState>
        ) : (
          <DataTable caption="Routes, in evaluation order">
            <THead>
              <Th className="text-right">#</Th>
              <Th>Name</Th>
              <Th>Matches</Th>
              <Th>Escalation policy</Th>
              <Th>State</Th>
              {manage ? (
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              ) : null}
            </THead>
            <TBody>
              {ordered.map((r, i) => (
                <Tr key={r.id}>
                  <Td className="text-right text-xs text-slate-500 tabular-nums">{r.isDefault ? "—" : i + 1}</Td>
                  <Td id={`route-${r.id}`} className="font-medium">
                    {r.name}
                  </Td>
                  <Td>{r.isDefault ? <span className="text-xs text-slate-600">everything no other route matches</span> : <code className="text-xs">{formatMatchers(r.matchers)}</code>}</Td>
                  <Td>
                    <Link href={`/oncall/policies/${r.policy}`} className="text-indigo-700 hover:underline">
                      {r.policyName}
                    </Link>
                  </Td>
                  <Td className="space-x-1">
                    {r.isDefault ? <Badge tone="accent">Default</Badge> : null}
                    {r.enabled ? <Badge tone="good">Enabled</Badge> : <Badge>Disabled</Badge>}
                  </Td>
                  {manage ? (
                    <Td>
                      <div className="flex flex-wrap items-center justify-end gap-1">
                        {!r.isDefault ? (
                          <>
                            <ActionButton action={moveRouteAction} fields={{ id: r.id, direction: "up" }} label="↑" ariaLabel={`Move ${r.name} up`} />
                            <ActionButton action={moveRouteAction} fields={{ id: r.id, direction: "down" }} label="↓" ariaLabel={`Move ${r.name} down`} />
                          </>
                        ) : null}
                        <Link href={`/oncall/routes/${r.id}`} className={buttonClass("secondary", "sm")} aria-describedby={`route-${r.id}`}>
                          Edit
                        </Link>
                        <ActionButton action={deleteRouteAction} fields={{ id: r.id }} label="Delete" variant="danger" pendingText="Deleting…" describedBy={`route-${r.id}`} confirm={`Delete route "${r.name}"?`} />
                      </div>
                    </Td>
                  ) : null}
                </Tr>
              ))}
            </TBody>
          </DataTable>
        )}
      </Section>
      {manage ? (
        <Section title="New route" id="new-route" description="Added after the existing routes; move it up to try it earlier.">
          <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <RouteForm initial={{ name: "", matchers: [{ label: "team", op: "=", value: "" }], policy: policies[0]?.id ?? "", isDefault: false, enabled: true }} policies={policies} />
          </div>
        </Section>
      ) : null}
    </>
  );
}
