import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getSessionActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/assert-can";
import { listPlaybooks } from "@/lib/playbooks/list-playbooks";
import { PageHeader } from "@/components/page-header";
import { DataTable, EmptyState, TBody, THead, Td, Th, Tr } from "@/components/data-table";
import { RiskBadge } from "../runs/_components/run-badges";
import { VerificationStatus } from "../runs/_components/verification-status";
import { SyncCatalogForm } from "./_components/sync-catalog-form";

export const metadata: Metadata = { title: "Playbooks" };

export default async function PlaybooksPage() {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  const playbooks = await listPlaybooks({ actor });
  const manage = can(actor, "playbooks.manage");

  return (
    <>
      <PageHeader
        title="Playbooks"
        description="The remediation playbooks this organization can run, latest version of each. A version runs only if its signature verifies with a trusted key (or policy allows unsigned playbooks)."
      />
      {manage ? (
        <div className="mb-5 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
          <SyncCatalogForm />
        </div>
      ) : null}
      {playbooks.length === 0 ? (
        <EmptyState>No playbooks yet.{manage ? " Sync the catalog or upload one through the API." : " An admin adds them."}</EmptyState>
      ) : (
        <DataTable caption="Playbook catalog">
          <THead>
            <Th>Name</Th>
            <Th className="text-right">Version</Th>
            <Th>Risk</Th>
            <Th>Signature</Th>
            <Th className="text-right">Steps</Th>
            <Th>Description</Th>
          </THead>
          <TBody>
            {playbooks.map((p) => (
              <Tr key={p.name}>
                <Td className="whitespace-nowrap">
                  <Link href={`/playbooks/${encodeURIComponent(p.name)}`} className="font-medium text-indigo-700 hover:underline">
                    {p.name}
                  </Link>
                </Td>
                <Td className="text-right tabular-nums">v{p.version}</Td>
                <Td>
                  <RiskBadge risk={p.risk} />
                </Td>
                <Td className="max-w-sm text-sm">
                  <VerificationStatus v={p.verification} />
                </Td>
                <Td className="text-right tabular-nums">{p.steps.length}</Td>
                <Td className="max-w-md">
                  <p className="line-clamp-2 text-sm text-slate-700" title={p.description}>
                    {p.description}
                  </p>
                </Td>
              </Tr>
            ))}
          </TBody>
        </DataTable>
      )}
    </>
  );
}
