// Job name → domain handler. Typed over every job in lib/jobs/definitions.ts: a job without a handler
// does not compile.
import type { JobContext, JobName, ParsedPayload } from "@/lib/jobs/definitions";
export type { JobContext };
import { handleAuditVerify } from "@/lib/audit/jobs";
import { handleMonitorScan } from "@/lib/monitors/jobs";
import { handleRunDryRun, handleRunExecute, handleRunsSweep } from "@/lib/orchestrator/jobs";
import { handleExportRun, handleExportsNightly } from "@/lib/etl/jobs";
import { handleVectorsEmbed, handleVectorsReembed } from "@/lib/vectors/jobs";
import { handleDeliver, handleEscalate, handleIncidentOpened, handleIncidentStatus, handleSweep } from "@/lib/oncall/jobs";

type Handlers = { [N in JobName]: (payload: ParsedPayload<N>, ctx: JobContext) => Promise<unknown> };

export const HANDLERS: Handlers = {
  "audit.verify": handleAuditVerify,
  "monitor.scan": handleMonitorScan,
  "run.dry_run": handleRunDryRun,
  "run.execute": handleRunExecute,
  "runs.sweep": handleRunsSweep,
  "export.run": handleExportRun,
  "exports.nightly": handleExportsNightly,
  "vectors.embed": handleVectorsEmbed,
  "vectors.reembed": handleVectorsReembed,
  "oncall.incident_opened": handleIncidentOpened,
  "oncall.escalate": handleEscalate,
  "oncall.deliver": handleDeliver,
  "oncall.incident_status": handleIncidentStatus,
  "oncall.sweep": handleSweep,
};
