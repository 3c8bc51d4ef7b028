import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSessionActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/assert-can";
import Link from "next/link";
import { listClusters, listRecentTriggers, type ClusterState } from "@/lib/agents/clusters";
import { PageHeader, Section } from "@/components/page-header";
import { DataTable, EmptyState, TBody, THead, Td, Th, Tr } from "@/components/data-table";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Time } from "@/components/time";
import { Forbidden } from "@/components/forbidden";
import { AutoRefresh } from "@/components/auto-refresh";
import { CreateClusterForm } from "./_components/create-cluster-form";
import { ClusterActions } from "./_components/cluster-actions";

export const metadata: Metadata = { title: "Agents" };
export const dynamic = "force-dynamic";

const STATE: Record<ClusterState, { text: string; tone: BadgeTone }> = {
  connected: { text: "connected", tone: "good" },
  disconnected: { text: "disconnected", tone: "bad" },
  awaiting_enrollment: { text: "awaiting enrollment", tone: "warn" },
  token_expired: { text: "token expired", tone: "bad" },
};

const TRIGGER_TONE: Record<string, BadgeTone> = { succeeded: "good", failed: "bad", rejected: "bad", expired: "warn", cancelled: "neutral", accepted: "accent", sent: "accent", pending: "neutral" };

export default async function AgentsPage() {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  if (!can(actor, "integrations.read")) return <Forbidden>You cannot see this organization&apos;s agents.</Forbidden>;
  const [clusters, triggers] = await Promise.all([listClusters({ actor }), listRecentTriggers({ actor })]);
  const manage = can(actor, "agents.manage");

  return (
    <>
      {/* Connection state and heartbeats change without anyone touching this page. */}
      <AutoRefresh ms={5000} />
      <PageHeader
        title="Agents"
        description="The NeuralOps agent runs in your Kubernetes cluster and dials out to us: no inbound port. It runs only Kubernetes actions we sign for an approved run step, that are fresh, meant for its cluster and on its local allowlist (a ConfigMap), and it forwards your in-cluster Prometheus."
      />
      <Section title="Clusters" id="clusters">
        {clusters.length === 0 ? (
          <EmptyState>No clusters yet. Add one below and install the agent with its one-time token.</EmptyState>
        ) : (
          <DataTable caption="Clusters running the agent">
            <THead>
              <Th>Name</Th>
              <Th>State</Th>
              <Th>Agent</Th>
              <Th>Last heartbeat</Th>
              <Th>Allowed actions</Th>
              <Th>Enrolled</Th>
              {manage ? (
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              ) : null}
            </THead>
            <TBody>
              {clusters.map((c) => (
                <Tr key={c.id}>
                  <Td id={`cluster-${c.id}-name`} className="font-medium text-slate-900">
                    {c.name}
                    {c.fingerprint ? (
                      <div className="font-mono text-xs font-normal text-slate-500" title={`agent key fingerprint ${c.fingerprint}`}>
                        {c.fingerprint.slice(0, 16)}
                      </div>
                    ) : null}
                  </Td>
                  <Td>
                    <Badge tone={STATE[c.state].tone}>
                      <span data-testid="cluster-state">{STATE[c.state].text}</span>
                    </Badge>
                  </Td>
                  <Td className="font-mono text-xs" data-testid="agent-version">
                    {c.agentVersion ?? "—"}
                  </Td>
                  <Td className="text-xs">
                    <Time value={c.lastHeartbeatAt} fallback="never" />
                  </Td>
                  <Td className="max-w-64 text-xs">{c.allowlist.length ? c.allowlist.join(", ") : <span className="text-slate-500">{c.enrolledAt ? "none" : "—"}</span>}</Td>
                  <Td className="text-xs">
                    <Time value={c.enrolledAt} fallback="not yet" />
                  </Td>
                  {manage ? (
                    <Td>
                      <ClusterActions id={c.id} nameCellId={`cluster-${c.id}-name`} />
                    </Td>
                  ) : null}
                </Tr>
              ))}
            </TBody>
          </DataTable>
        )}
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
