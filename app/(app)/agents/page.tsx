import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSessionActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/assert-can";
import Link from "next/link";
import { listClusters, listRecentTriggers } from "@/lib/agents/clusters";
import { PageHeader, Section } from "@/components/page-header";
import { DataTable, TBody, THead, Td, Th, Tr } from "@/components/data-table";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Time } from "@/components/time";
import { Forbidden } from "@/components/forbidden";
import { CreateClusterForm } from "./_components/create-cluster-form";
import { ClustersLive, type ClusterRow } from "./_components/clusters-live";

export const metadata: Metadata = { title: "Agents" };
export const dynamic = "force-dynamic";


const TRIGGER_TONE: Record<string, BadgeTone> = { succeeded: "good", failed: "bad", rejected: "bad", expired: "warn", cancelled: "neutral", accepted: "accent", sent: "accent", pending: "neutral" };

export default async function AgentsPage() {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  if (!can(actor, "integrations.read")) return <Forbidden>You cannot see this organization&apos;s agents.</Forbidden>;
  const [clusters, triggers] = await Promise.all([listClusters({ actor }), listRecentTriggers({ actor })]);
  const manage = can(actor, "agents.manage");

  return (
    <>
      <PageHeader
        title="Agents"
        description="The NeuralOps agent runs in your Kubernetes cluster and dials out to us: no inbound port. It runs only Kubernetes actions we sign for an approved run step, that are fresh, meant for its cluster and on its local allowlist (a ConfigMap), and it forwards your in-cluster Prometheus."
      />
      <Section title="Clusters" id="clusters">
        <ClustersLive initial={JSON.parse(JSON.stringify(clusters)) as ClusterRow[]} manage={manage} />
      </Section>
      {triggers.length ? (
        <Section title="Recent triggers" id="triggers" description="Signed requests sent to agents, newest first. A rejection is the agent refusing a trigger; each is also on the audit trail.">
          <DataTable caption="Recent triggers">
            <THead>
              <Th>Sent</Th>
              <Th>Cluster</Th>
              <Th>Action</Th>
              <Th>Run step</Th>
              <Th>Outcome</Th>
            </THead>
            <TBody>
              {triggers.map((t) => (
                <Tr key={t.id}>
                  <Td className="text-xs">
                    <Time value={t.createdAt} />
                  </Td>
                  <Td className="text-xs">{t.cluster}</Td>
                  <Td className="text-xs">
                    <code>{t.action}</code>
                    {t.mode === "dryRun" ? <span className="ml-1 text-slate-500">(dry run)</span> : null}
                  </Td>
                  <Td className="text-xs">
                    {t.runId ? (
                      <Link href={`/runs/${t.runId}`} className="text-indigo-700 hover:underline">
                        {t.stepId}
                      </Link>
                    ) : (
                      <span className="text-slate-500">—</span>
                    )}
                  </Td>
                  <Td className="max-w-96 text-xs" data-testid="trigger-outcome">
                    <Badge tone={TRIGGER_TONE[t.status] ?? "neutral"}>{t.status}</Badge>{" "}
                    {t.rejection ? `${t.rejection.code}: ${t.rejection.reason}` : t.summary}
                  </Td>
                </Tr>
              ))}
            </TBody>
          </DataTable>
        </Section>
      ) : null}
      {manage ? (
        <Section title="Add a cluster" id="add" description="You get a one-time bootstrap token and the install commands. The agent generates its own key pair; only the public half reaches us.">
          <CreateClusterForm />
        </Section>
      ) : null}
    </>
  );
}
