import type { JobContext, ParsedPayload } from "@/lib/jobs/definitions";
import { failExport, runExport } from "@/lib/etl/run-export";
import { scheduleNightlyExports } from "@/lib/etl/manage-exports";
import { JOBS } from "@/lib/jobs/definitions";

export async function handleExportRun(p: ParsedPayload<"export.run">, ctx: JobContext) {
  try {
    return await runExport(p.exportId);
  } catch (err) {
    // Every attempt resumes from the last checkpoint; after the last one the export is marked failed.
    if (ctx.attempt >= (JOBS["export.run"].defaults?.attempts ?? 1)) await failExport(p.exportId, (err as Error).message);
    throw err;
  }
}

export const handleExportsNightly = (_p: ParsedPayload<"exports.nightly">) => scheduleNightlyExports();
