import type { ParsedPayload } from "@/lib/jobs/definitions";
import { runDryRun } from "@/lib/orchestrator/dry-run";
import { executeRun } from "@/lib/orchestrator/execute-run";
import { sweepRuns } from "@/lib/orchestrator/sweep-runs";
import { requestEmbedding } from "@/lib/vectors/embed-objects";

export const handleRunDryRun = (p: ParsedPayload<"run.dry_run">) => runDryRun(p.runId);
export async function handleRunExecute(p: ParsedPayload<"run.execute">) {
  const outcome = await executeRun(p.runId);
  await requestEmbedding("run", [p.runId]);
  return outcome;
}
export const handleRunsSweep = (_p: ParsedPayload<"runs.sweep">) => sweepRuns();
