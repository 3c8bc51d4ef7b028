import type { ParsedPayload } from "@/lib/jobs/definitions";
import { runDryRun } from "@/lib/orchestrator/dry-run";
import { executeRun } from "@/lib/orchestrator/execute-run";
import { sweepRuns } from "@/lib/orchestrator/sweep-runs";

export const handleRunDryRun = (p: ParsedPayload<"run.dry_run">) => runDryRun(p.runId);
export const handleRunExecute = (p: ParsedPayload<"run.execute">) => executeRun(p.runId);
export const handleRunsSweep = (_p: ParsedPayload<"runs.sweep">) => sweepRuns();
