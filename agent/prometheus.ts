// The "query" trigger: a range query against the in-cluster Prometheus, relayed because the control plane
// cannot reach it (nothing in the cluster listens to the outside).
import { z } from "zod";
import type { Outcome } from "@/lib/agents/protocol";

const ZQuery = z
  .object({
    query: z.string().min(1).max(10_000),
    start: z.union([z.number(), z.string()]),
    end: z.union([z.number(), z.string()]),
    step: z.union([z.number().positive(), z.string().min(1)]),
  })
  .strict();

// Larger answers are cut rather than risk the socket's message limit.
const MAX_RESULT_BYTES = 2 * 1024 * 1024;

export async function queryRange(prometheusUrl: string | undefined, params: Record<string, unknown>, dryRun: boolean): Promise<Outcome> {
  if (!prometheusUrl) return { ok: false, exitStatus: 1, summary: "no in-cluster Prometheus configured", error: "set PROMETHEUS_URL (Helm value prometheus.url)" };
  const q = ZQuery.safeParse(params);
  if (!q.success) return { ok: false, exitStatus: 1, summary: "invalid query parameters", error: q.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") };
  const url = new URL("api/v1/query_range", prometheusUrl.endsWith("/") ? prometheusUrl : `${prometheusUrl}/`);
  for (const [k, v] of Object.entries(q.data)) url.searchParams.set(k, String(v));
  // A dry run asks Prometheus to parse the query (and that it is reachable) without evaluating a range.
  if (dryRun) url.pathname = url.pathname.replace(/query_range$/, "format_query");
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  } catch (e) {
    return { ok: false, exitStatus: 1, summary: "Prometheus unreachable", error: (e as Error).message };
  }
  const text = await res.text();
  if (text.length > MAX_RESULT_BYTES) return { ok: false, exitStatus: 1, summary: "query result too large", error: `the result is over ${MAX_RESULT_BYTES} bytes; narrow the query or the range` };
  let body: { status?: string; data?: unknown; error?: string };
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, exitStatus: res.status || 1, summary: "Prometheus answered with something other than JSON", error: text.slice(0, 500) };
  }
  if (!res.ok || body.status !== "success") return { ok: false, exitStatus: res.status, summary: `query failed: ${body.error ?? res.statusText}`, error: body.error ?? res.statusText };
  if (dryRun) return { ok: true, exitStatus: 0, summary: "query parses and Prometheus is reachable", output: { formatted: body.data } };
  const series = (body.data as { result?: unknown[] })?.result?.length ?? 0;
  return { ok: true, exitStatus: 0, summary: `${series} series`, output: { data: body.data } };
}
