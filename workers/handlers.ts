// Job name → domain handler. Typed over every job in lib/jobs/definitions.ts: a job without a handler
// does not compile.
import type { JobName, ParsedPayload } from "@/lib/jobs/definitions";
import { handleAuditVerify } from "@/lib/audit/jobs";
import { handleMonitorScan } from "@/lib/monitors/jobs";
import { handleRunDryRun, handleRunExecute, handleRunsSweep } from "@/lib/orchestrator/jobs";

export type JobContext = { jobId: string; attempt: number };
type Handlers = { [N in JobName]: (payload: ParsedPayload<N>, ctx: JobContext) => Promise<unknown> };

export const HANDLERS: Handlers = {
  "audit.verify": handleAuditVerify,
  "monitor.scan": handleMonitorScan,
  "run.dry_run": handleRunDryRun,
  "run.execute": handleRunExecute,
  "runs.sweep": handleRunsSweep,
};
