"use client";

// The clusters table, kept live: connection state and heartbeats change without anyone touching the page,
// so it polls GET /api/v1/agents through the app's one query hook.
import type { ClusterState, ClusterView } from "@/lib/agents/clusters";
import { useApiQuery } from "@/app/(app)/_lib/api-client";
import { DataTable, EmptyState, TBody, THead, Td, Th, Tr } from "@/components/data-table";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Time } from "@/components/time";
import { ClusterActions } from "./cluster-actions";

/** A cluster as the API sends it (dates as ISO strings). */
export type ClusterRow = { [K in keyof ClusterView]: ClusterView[K] extends Date ? string : ClusterView[K] extends Date | null ? string | null : ClusterView[K] };

const POLL_MS = 5_000;

const STATE: Record<ClusterState, { text: string; tone: BadgeTone }> = {
  connected: { text: "connected", tone: "good" },
  disconnected: { text: "disconnected", tone: "bad" },
  awaiting_enrollment: { text: "awaiting enrollment", tone: "warn" },
  token_expired: { text: "token expired", tone: "bad" },
};

export function ClustersLive({ initial, manage }: { initial: ClusterRow[]; manage: boolean }) {
  const { data: clusters, error } = useApiQuery<ClusterRow[]>(["agents"], "/api/v1/agents", { initial, pollMs: POLL_MS, poll: () => true });
  return (
    <>
      {error ? (
        <p role="status" className="mb-2 text-xs text-amber-700">
          Could not refresh ({error.message}); showing the last state.
        </p>
      ) : null}
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
    </>
  );
}
