// Range queries against a cluster's in-cluster Prometheus, relayed by its agent (a signed "query" trigger).
import { z } from "zod";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { AppError, notFound } from "@/lib/errors";
import { db } from "@/lib/db";
import { clusterState } from "@/lib/agents/clusters";
import { awaitTrigger, issueTrigger, outcomeOf, rejectionOf } from "@/lib/agents/triggers";

const QUERY_WAIT_MS = 45_000;

export const ZRangeQuery = z
  .object({
    query: z.string().trim().min(1).max(10_000),
    start: z.coerce.number(),
    end: z.coerce.number(),
    step: z.coerce.number().positive().max(86_400),
  })
  .strict()
  .refine((q) => q.end >= q.start, { message: "end must not be before start", path: ["end"] })
  // Prometheus itself refuses more than 11,000 points per series.
  .refine((q) => (q.end - q.start) / q.step <= 11_000, { message: "too many points: raise step or narrow the range", path: ["step"] });
export type RangeQuery = z.input<typeof ZRangeQuery>;

export async function queryClusterRange({ actor, clusterId, input }: { actor: Actor; clusterId: string; input: RangeQuery }) {
  assertCan(actor, "integrations.read");
  const q = ZRangeQuery.parse(input);
  return { status: "success", data: await relayRangeQuery(actor.orgId, clusterId, q) };
}

/**
 * A range query run by the cluster's agent against its in-cluster Prometheus; returns Prometheus' `data`.
 * Errors are AppErrors: `unavailable` (agent not connected, no answer in time) or `unprocessable`.
 */
export async function relayRangeQuery(orgId: string, clusterId: string, q: z.output<typeof ZRangeQuery>): Promise<unknown> {
  const cluster = await db.agentCluster.findFirst({ where: { id: clusterId, orgId } });
  if (!cluster) throw notFound("cluster");
  if (clusterState(cluster) !== "connected") throw new AppError("unavailable", `the agent in cluster ${cluster.name} is not connected`);
  const t = await issueTrigger({
    orgId,
    clusterId,
    runId: null,
    stepId: null,
    attempt: null,
    playbookDigest: null,
    mode: "execute",
    action: "prometheus.query_range",
    params: q,
    ttlMs: QUERY_WAIT_MS,
  });
  const done = await awaitTrigger(t.id, AbortSignal.timeout(QUERY_WAIT_MS)).catch(() => null);
  if (!done) throw new AppError("unavailable", `the agent in cluster ${cluster.name} did not answer within ${QUERY_WAIT_MS / 1000} s`);
  const outcome = outcomeOf(done);
  if (done.status === "succeeded") return outcome?.output?.data;
  const r = rejectionOf(done);
  if (r) throw new AppError("unprocessable", `the agent in cluster ${cluster.name} rejected the query (${r.code}): ${r.reason}`);
  const why = outcome ? `${outcome.summary}${outcome.error && outcome.error !== outcome.summary ? ` (${outcome.error})` : ""}` : done.status;
  // Prometheus refused the query itself (400/422): the query is wrong. Anything else may pass later.
  const badQuery = outcome?.exitStatus === 400 || outcome?.exitStatus === 422;
  throw new AppError(badQuery ? "unprocessable" : "unavailable", `query through the agent in cluster ${cluster.name} failed: ${why}`);
}
