// `verify`: a PromQL condition that must hold before a deadline, e.g. that the error rate is back under 1%
// after a restart. PromQL comparisons filter, so "holds" is "the query returns series" (or none, for
// `expect: empty`).
import { z } from "zod";
import { instantQuery, type InstantQueryResult } from "@/lib/insight/prometheus/client";
import { PrometheusError } from "@/lib/insight/prometheus/errors";
import type { PrometheusConnection } from "@/lib/integrations/prometheus-source";
import { ZDuration } from "@/lib/playbooks/schema";
import { EgressDeniedError, guardedFetch, type EgressGuard } from "@/lib/egress/fetch";
import { DENY_ALL } from "@/lib/egress/policy";
import { PermanentActionError, type Action, type ExecuteContext } from "./types";
import { abortableSleep, formatDuration } from "./wait";

// Below this a verify step is a load test on the org's Prometheus.
const MIN_INTERVAL_MS = 1000;
const MAX_QUERY_TIMEOUT_MS = 30_000;
const MIN_QUERY_TIMEOUT_MS = 5_000;
const PLAN_QUERY_TIMEOUT_MS = 10_000;
const NO_PROMETHEUS = "no Prometheus configured for this organization";

export const ZVerifyInput = z
  .object({
    query: z.string().trim().min(1).max(10_000),
    expect: z.enum(["non_empty", "empty"]).default("non_empty"),
    deadline: ZDuration.default(5 * 60_000),
    interval: ZDuration.refine((ms) => ms >= MIN_INTERVAL_MS, `interval must be at least ${MIN_INTERVAL_MS / 1000}s`).default(15_000),
  })
  .strict();
export type VerifyInput = z.output<typeof ZVerifyInput>;

/** One evaluation. `value` is the first series' sample; NaN and ±Inf become strings so it stays JSON. */
type Observation =
  | { holds: boolean; seriesCount: number; value: number | string | null; labels?: Record<string, string> }
  | { error: PrometheusError };

async function observe(input: VerifyInput, prom: PrometheusConnection, egress: EgressGuard = { policy: DENY_ALL }, timeoutMs: number, signal?: AbortSignal): Promise<Observation> {
  let result: InstantQueryResult;
  const guarded = guardedFetch(egress);
  try {
    result = await instantQuery({
      baseUrl: prom.baseUrl,
      ...(prom.auth ? { auth: prom.auth } : {}),
      query: input.query,
      timeoutMs,
      // instantQuery has no signal of its own; the step's abort must also end a query in flight.
      fetchImpl: signal ? (url, init) => guarded(url, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal }) : guarded,
    });
  } catch (e) {
    // The org's egress policy does not allow its Prometheus: no later check will be different.
    if (e instanceof PrometheusError && e.cause instanceof EgressDeniedError) throw new PermanentActionError(`verify: ${e.cause.message}`);
    if (e instanceof PrometheusError) return { error: e };
    // instantQuery throws TypeError for a base URL that is not http(s): configuration, not a blip.
    throw new PermanentActionError(`Prometheus connection: ${(e as Error).message}`);
  }
  const first = result.series[0];
  const holds = input.expect === "non_empty" ? result.series.length > 0 : result.series.length === 0;
  const sample = first?.points.at(-1)?.v;
  return {
    holds,
    seriesCount: result.series.length,
    value: sample === undefined ? null : Number.isFinite(sample) ? sample : String(sample),
    ...(first && Object.keys(first.labels).length ? { labels: first.labels } : {}),
  };
}

/**
 * Whether the org's Prometheus answers a trivial query now (null) or why not: the dry-run and the approval
 * check ask before anyone relies on a verify step.
 */
export async function probePrometheus(prom: PrometheusConnection, egress: EgressGuard = { policy: DENY_ALL }, timeoutMs = PLAN_QUERY_TIMEOUT_MS): Promise<string | null> {
  const o = await observe({ query: "vector(1)", expect: "non_empty", deadline: timeoutMs, interval: MIN_INTERVAL_MS }, prom, egress, timeoutMs).catch((e: Error) => ({ error: e }));
  return "error" in o ? o.error.message : null;
}

function describe(o: Observation): string {
  if ("error" in o) return `query failed: ${o.error.message}`;
  const value = o.seriesCount === 0 ? "no series" : `value ${o.value}${o.seriesCount > 1 ? `, ${o.seriesCount} series` : ""}`;
  return `${o.holds ? "holds" : "does not hold"} (${value})`;
}

function toOutput(o: Observation, checks: number): Record<string, unknown> {
  return "error" in o ? { error: o.error.message, errorKind: o.error.kind, checks } : { ...o, checks };
}

function requirePrometheus(prom: PrometheusConnection | null): PrometheusConnection {
  if (!prom) throw new PermanentActionError(NO_PROMETHEUS);
  return prom;
}

async function pollUntilHolds(input: VerifyInput, ctx: ExecuteContext) {
  const prom = requirePrometheus(ctx.prometheus);
  const deadlineAt = Date.now() + input.deadline;
  for (let checks = 1; ; checks++) {
    const remaining = deadlineAt - Date.now();
    const timeoutMs = Math.min(MAX_QUERY_TIMEOUT_MS, Math.max(MIN_QUERY_TIMEOUT_MS, remaining));
    const o = await observe(input, prom, ctx.egress, timeoutMs, ctx.signal);
    if (ctx.signal.aborted) throw new Error(`verify aborted (step timeout or shutdown) after ${checks} checks`, { cause: ctx.signal.reason });
    if (!("error" in o) && o.holds) return { o, checks };
    // The run page shows the value and the count while the step waits for the condition.
    await ctx.progress?.({ summary: `checking: ${describe(o)}`, ...toOutput(o, checks) });
    // Unreachable or slow Prometheus may recover before the deadline; a wrong query or credentials will not.
    if ("error" in o && !o.error.retryable) throw new PermanentActionError(`verify: ${describe(o)}`, toOutput(o, checks));
    const left = deadlineAt - Date.now();
    if (left <= 0) throw new PermanentActionError(`condition did not hold within ${formatDuration(input.deadline)}: last check ${describe(o)}`, toOutput(o, checks));
    // The last check lands on the deadline rather than one interval short of it.
    await abortableSleep(Math.min(input.interval, left), ctx.signal, "verify");
  }
}

function condition(input: VerifyInput): string {
  return `${input.query} (expect ${input.expect === "non_empty" ? "series" : "no series"} within ${formatDuration(input.deadline)}, checking every ${formatDuration(input.interval)})`;
}

export const verifyAction: Action<VerifyInput> = {
  name: "verify",
  schema: ZVerifyInput,
  idempotent: () => true,
  destinations: (_input, ctx) => (ctx.prometheus ? [ctx.prometheus.baseUrl] : []),

  // A read-only query, so evaluating it now is allowed here and tells the approver where things stand.
  async plan(input, ctx) {
    const details = { query: input.query, expect: input.expect, deadlineMs: input.deadline, intervalMs: input.interval };
    if (!ctx.prometheus) return { summary: `verify ${condition(input)}: ${NO_PROMETHEUS}, so this step will fail`, details };
    let now: Observation;
    try {
      now = await observe(input, ctx.prometheus, ctx.egress, PLAN_QUERY_TIMEOUT_MS);
    } catch (e) {
      return { summary: `verify ${condition(input)}: ${(e as Error).message}`, details: { ...details, now: { error: (e as Error).message } } };
    }
    return { summary: `verify ${condition(input)}: currently ${describe(now)}`, details: { ...details, now: toOutput(now, 1) } };
  },

  async execute(input, ctx) {
    const { o, checks } = await pollUntilHolds(input, ctx);
    return { summary: `condition holds after ${checks} check${checks === 1 ? "" : "s"} (${describe(o)})`, output: toOutput(o, checks) };
  },
};
