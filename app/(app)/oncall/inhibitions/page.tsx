import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getSessionActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/assert-can";
import { formatMatchers } from "@/lib/oncall/matchers";
import { listInhibitionRules } from "@/lib/oncall/manage-inhibitions";
import { PageHeader, Section } from "@/components/page-header";
import { DataTable, EmptyState, TBody, THead, Td, Th, Tr } from "@/components/data-table";
import { buttonClass } from "@/components/ui/button";
import { ActionButton } from "../_components/action-button";
import { ReadOnlyNote } from "../_components/read-only-note";
import { InhibitionForm } from "./_components/inhibition-form";
import { deleteInhibitionAction } from "./actions";

export const metadata: Metadata = { title: "Inhibition rules" };

export default async function InhibitionsPage() {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  const manage = can(actor, "oncall.manage");
  const rules = await listInhibitionRules({ actor });
  return (
    <>
      <PageHeader title="Inhibition rules" description="While a source alert fires, incidents matching the target and sharing the equal labels page nobody (a node that is down mutes its pods' alerts)." />
      {!manage ? <ReadOnlyNote>Only admins add or change inhibition rules; you can see which alerts mute which.</ReadOnlyNote> : null}
      <Section title="Rules" id="rules">
        {rules.length === 0 ? (
          <EmptyState>No inhibition rules.</EmptyState>
        ) : (
          <DataTable caption="Inhibition rules">
            <THead>
              <Th>Name</Th>
              <Th>While this fires</Th>
              <Th>Mute</Th>
              <Th>With equal</Th>
              {manage ? (
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              ) : null}
            </THead>
            <TBody>
              {rules.map((r) => (
                <Tr key={r.id}>
                  <Td id={`rule-${r.id}`} className="font-medium">
                    {r.name}
                  </Td>
                  <Td>
                    <code className="text-xs">{formatMatchers(r.sourceMatchers)}</code>
                  </Td>
                  <Td>
                    <code className="text-xs">{formatMatchers(r.targetMatchers)}</code>
                  </Td>
                  <Td className="text-xs">{r.equal.length ? r.equal.join(", ") : "—"}</Td>
                  {manage ? (
                    <Td>
                      <div className="flex items-center justify-end gap-1">
                        <Link href={`/oncall/inhibitions/${r.id}`} className={buttonClass("secondary", "sm")} aria-describedby={`rule-${r.id}`}>
                          Edit
                        </Link>
                        <ActionButton action={deleteInhibitionAction} fields={{ id: r.id }} label="Delete" variant="danger" pendingText="Deleting…" describedBy={`rule-${r.id}`} confirm={`Delete inhibition rule "${r.name}"?`} />
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
        <Section title="New rule" id="new-rule">
          <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <InhibitionForm />
          </div>
        </Section>
      ) : null}
    </>
  );
}
